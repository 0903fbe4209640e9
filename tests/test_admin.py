"""Staff can find and read everything in the admin, and cannot store what the rules forbid."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from payments.models import PaymentAccount
from tests.factories import make_order


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-staff")
    client.force_login(staff)
    return client


@pytest.fixture
def placed_order(open_campaign):
    PaymentAccount.objects.create(
        shop=open_campaign.shop, provider="BCA", number="123", holder="Rajut"
    )
    return make_order(open_campaign, quantity=2, note="Red, “SARI”")


@pytest.mark.parametrize(
    "model", ["campaigns.shop", "campaigns.campaign", "orders.order", "payments.paymentaccount"]
)
def test_every_changelist_opens_for_staff(staff_client, placed_order, model):
    # when
    response = staff_client.get(reverse(f"admin:{model.replace('.', '_')}_changelist"))
    # then
    assert response.status_code == 200


def test_order_change_page_shows_lines_and_timeline(staff_client, placed_order):
    # when
    response = staff_client.get(reverse("admin:orders_order_change", args=[placed_order.pk]))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Red, “SARI”" in page
    assert "Order placed" in page


def test_order_search_finds_by_code_phone_and_email(staff_client, placed_order):
    url = reverse("admin:orders_order_changelist")
    for term in [placed_order.code, placed_order.buyer_phone, placed_order.buyer_email]:
        # when
        response = staff_client.get(url, {"q": term})
        # then
        assert response.context["cl"].result_count == 1, term


def test_order_list_query_count_does_not_grow_with_orders(
    staff_client, open_campaign, django_assert_max_num_queries
):
    # given a first page with one order, measured
    make_order(open_campaign, note="x")
    url = reverse("admin:orders_order_changelist")
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    # when the list holds more orders
    for _ in range(4):
        make_order(open_campaign, note="x")
    # then it runs no more queries
    with django_assert_max_num_queries(len(one)):
        staff_client.get(url)


def test_capacity_below_units_ordered_is_a_form_error_not_a_crash(staff_client, open_campaign):
    # given 3 units ordered
    make_order(open_campaign, quantity=3, note="x")
    url = reverse("admin:campaigns_campaign_change", args=[open_campaign.pk])
    # when staff lowers the capacity under what buyers hold
    response = staff_client.post(url, {**_post_data(staff_client, url), "capacity": "2"})
    # then the form says why and nothing changes
    assert response.status_code == 200
    assert "already ordered" in response.content.decode()
    open_campaign.refresh_from_db()
    assert open_campaign.capacity == 10


def _post_data(client, url):
    """The admin change form as the browser would send it back unchanged."""
    response = client.get(url)
    data = {}
    for form in [response.context["adminform"].form, *_inline_forms(response)]:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            if hasattr(value, "isoformat"):
                local = timezone.localtime(value)
                data[form.add_prefix(name) + "_0"] = local.strftime("%Y-%m-%d")
                data[form.add_prefix(name) + "_1"] = local.strftime("%H:%M:%S")
                continue
            data[form.add_prefix(name)] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


def _inline_forms(response):
    for formset in response.context["inline_admin_formsets"]:
        yield from formset.formset.forms


def test_staff_cannot_add_or_delete_orders_by_hand(staff_client, placed_order):
    # Orders are made by buyers through place_order, which takes the units; never by hand.
    assert staff_client.get(reverse("admin:orders_order_add")).status_code == 403
    delete = reverse("admin:orders_order_delete", args=[placed_order.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=placed_order.pk).exists()
