"""Staff can find and read everything in the admin, in the same queries for 2 rows as for 20."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services.transitions import move_campaign
from orders.models import Order
from payments.models import PaymentAccount, Refund
from tests.factories import make_campaign, make_many_orders, make_order, payment_in_review

CHANGELISTS = [
    "campaigns_shop",
    "campaigns_campaign",
    "campaigns_vendor",
    "orders_order",
    "payments_payment",
    "payments_refund",
    "payments_paymentaccount",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_changelist_opens_for_staff(staff_client, everything, model):
    # when
    response = staff_client.get(reverse(f"admin:{model}_changelist"))
    # then
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_change_page_opens_for_staff(staff_client, everything, model):
    # given the newest row of each list
    changelist = staff_client.get(reverse(f"admin:{model}_changelist"))
    obj = changelist.context["cl"].result_list[0]
    # when
    response = staff_client.get(reverse(f"admin:{model}_change", args=[obj.pk]))
    # then
    assert response.status_code == 200


def test_campaign_change_page_shows_quotes_and_the_read_only_timeline(staff_client, everything):
    # given a decision on the campaign's timeline
    campaign = everything.campaign
    move_campaign(campaign=campaign, to=Campaign.Status.CANCELLED, note="Fabric never came")
    # when
    response = staff_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    # then
    page = response.content.decode()
    assert "Konveksi" in page
    assert "Fabric never came" in page
    events = next(
        f
        for f in response.context["inline_admin_formsets"]
        if f.opts.model.__name__ == "CampaignEvent"
    )
    assert not events.has_add_permission and not events.has_change_permission


def test_order_filters_narrow_by_status_shop_campaign_and_date(staff_client, everything):
    url = reverse("admin:orders_order_changelist")
    campaign = everything.campaign
    today = timezone.localdate()
    for query in [
        {"status__exact": "cancelled"},
        {"campaign__shop__id__exact": campaign.shop_id, "status__exact": "cancelled"},
        {"campaign__id__exact": campaign.pk, "status__exact": "cancelled"},
        {"created_at__year": today.year, "status__exact": "cancelled"},
    ]:
        # when
        response = staff_client.get(url, query)
        # then
        assert response.context["cl"].result_count == 1, query


def test_payments_and_refunds_are_found_by_order_code(
    staff_client, everything, cancelled_with_refund
):
    for model, order in [
        ("payments_payment", everything),
        ("payments_refund", cancelled_with_refund),
    ]:
        # when
        response = staff_client.get(reverse(f"admin:{model}_changelist"), {"q": order.code})
        # then
        assert response.context["cl"].result_count == 1, model


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


# --- query counts: a page of 20 costs what a page of 2 does -----------------------------------


@pytest.fixture
def roomy_campaign(shop):
    return make_campaign(shop, capacity=None, min_quantity=1)


def grow(campaign, count: int, *, start: int) -> None:
    """`count` more orders, each with a payment in review and a refund asked for."""
    make_many_orders(campaign, count, start=start)
    for order in Order.objects.filter(campaign=campaign, payments__isnull=True):
        payment_in_review(order)
        Refund.objects.create(order=order, amount=Decimal(1000), reason="Test")


@pytest.mark.parametrize(
    "model",
    [
        "campaigns_shop",
        "campaigns_campaign",
        "orders_order",
        "payments_payment",
        "payments_refund",
        "payments_paymentaccount",
    ],
)
def test_changelist_query_count_is_the_same_for_2_and_20_rows(
    staff_client, shop, roomy_campaign, django_assert_num_queries, model
):
    # given 2 rows of everything, measured
    url = reverse(f"admin:{model}_changelist")
    for number in ["1", "2"]:
        PaymentAccount.objects.create(shop=shop, provider="BCA", number=number, holder="Rajut")
    grow(roomy_campaign, 2, start=0)
    make_campaign()  # in a second shop
    with CaptureQueriesContext(connection) as two:
        staff_client.get(url)
    # when there are 20 of each
    grow(roomy_campaign, 18, start=2)
    for n in range(18):
        make_campaign()
        PaymentAccount.objects.create(shop=shop, provider="BCA", number=f"x{n}", holder="Rajut")
    # then the list runs exactly as many queries
    with django_assert_num_queries(len(two)):
        response = staff_client.get(url)
    assert response.context["cl"].result_count >= 20


def test_the_order_page_writes_money_as_its_currency_names_its_rows_and_offers_languages(
    staff_client, everything
):
    # given Sari's order of 2 totes at Rp 150.000, with a deposit proof waiting
    order = everything

    # when staff open the order and the orders list
    page = staff_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    listing = staff_client.get(reverse("admin:orders_order_changelist")).content.decode()

    # then amounts read as the shop writes them, never 300000.00
    assert "Rp 300.000" in page and "Rp 150.000" in page
    assert "Rp 300.000" in listing
    assert "300000.00" not in page + listing
    # each payment row is named by what it is
    assert "Down payment · Rp 150.000 · Waiting for review" in page
    # and the order's language is a choice, not free text
    assert '<select name="language"' in page
    assert '<option value="id">' in page
