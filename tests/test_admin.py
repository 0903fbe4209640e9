"""Staff can find and read everything in the admin, and cannot store what the rules forbid."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Vendor, VendorQuote
from campaigns.services.transitions import move_campaign
from orders.models import Order, OrderEvent
from payments.models import Payment, PaymentAccount, Refund
from payments.services.cancellations import cancel_order
from payments.services.payments import verify_payment
from tests.factories import make_campaign, make_many_orders, make_order, payment_in_review
from tests.orders.production import paid_orders


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


@pytest.fixture
def cancelled_with_refund(open_campaign, django_user_model):
    """An order whose deposit was verified, then cancelled: a refund waits to be sent."""
    order = make_order(open_campaign, quantity=1, note="Navy, “DIAN”")
    verify_payment(
        payment=payment_in_review(order), amount_received=order.deposit_amount, actor=None
    )
    cancel_order(order=order, actor=None, reason="Changed my mind")
    return order


@pytest.fixture
def everything(placed_order, cancelled_with_refund):
    """One of each thing staff can open: a pending order with a payment in review, a cancelled
    one with a refund, a vendor quote and a campaign event."""
    payment_in_review(placed_order)
    campaign = placed_order.campaign
    vendor = Vendor.objects.create(shop=campaign.shop, name="Konveksi")
    VendorQuote.objects.create(
        campaign=campaign, vendor=vendor, unit_cost=Decimal(70_000), lead_time_days=21
    )
    return placed_order


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


# --- actions: the same services as the dashboard, with staff as the actor -----------------------


def run_action(client, model, action, objects):
    return client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_verifying_a_payment_confirms_the_order_with_staff_as_the_actor(staff_client, placed_order):
    # given a deposit waiting for review
    payment = payment_in_review(placed_order)
    # when staff verifies it from the payments list
    response = run_action(staff_client, "payments_payment", "verify_as_sent", [payment])
    # then the order is confirmed, and the timeline says who did it
    assert response.status_code == 200
    payment.refresh_from_db()
    placed_order.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    assert payment.amount_received == payment.amount
    assert placed_order.status == Order.Status.CONFIRMED
    move = placed_order.events.get(to_status=Order.Status.CONFIRMED)
    assert move.actor.username == "staff"
    assert texts(response) == ["1 payment verified."]


def test_verifying_a_reviewed_payment_is_refused_with_a_message(staff_client, placed_order):
    # given a payment already verified, and one waiting
    done = payment_in_review(placed_order)
    verify_payment(payment=done, amount_received=done.amount, actor=None)
    events = OrderEvent.objects.count()
    # when staff verifies it again
    response = run_action(staff_client, "payments_payment", "verify_as_sent", [done])
    # then it says why, and nothing changed
    assert response.status_code == 200
    assert texts(response) == [
        f"Payment {done.pk} of order {placed_order.code}: This payment has already been reviewed."
    ]
    done.refresh_from_db()
    assert done.reviewed_by is None
    assert OrderEvent.objects.count() == events


def test_cancelling_orders_refunds_what_they_paid(staff_client, placed_order, open_campaign):
    # given a confirmed order (deposit verified) and a pending one
    paid = make_order(open_campaign, quantity=1, note="x")
    payment = payment_in_review(paid)
    verify_payment(payment=payment, amount_received=payment.amount, actor=None)
    reserved = Campaign.objects.get(pk=open_campaign.pk).reserved
    # when staff cancels both
    response = run_action(staff_client, "orders_order", "cancel_and_refund", [paid, placed_order])
    # then both are cancelled, units are back, and the paid one has a refund to send
    paid.refresh_from_db()
    placed_order.refresh_from_db()
    assert paid.status == placed_order.status == Order.Status.CANCELLED
    assert Campaign.objects.get(pk=open_campaign.pk).reserved == reserved - 3
    refund = Refund.objects.get(order=paid)
    assert refund.status == Refund.Status.PENDING
    assert refund.amount == payment.amount
    assert not Refund.objects.filter(order=placed_order).exists()
    cancelled = paid.events.get(to_status=Order.Status.CANCELLED)
    assert cancelled.actor.username == "staff"
    assert texts(response) == ["2 orders cancelled; 1 refund is on the refunds list, to send."]


def test_cancelling_an_order_that_cannot_be_is_refused_and_changes_nothing(
    staff_client, cancelled_with_refund, placed_order
):
    # given one order already cancelled (with its refund) and one that can be
    events = cancelled_with_refund.events.count()
    # when staff cancels both
    response = run_action(
        staff_client, "orders_order", "cancel_and_refund", [cancelled_with_refund, placed_order]
    )
    # then the cancelled one is refused by name, the other is cancelled
    messages = texts(response)
    assert messages[0].startswith(f"{cancelled_with_refund.code}: ")
    assert messages[1].startswith("1 order cancelled")
    assert cancelled_with_refund.refunds.count() == 1
    assert cancelled_with_refund.events.count() == events
    placed_order.refresh_from_db()
    assert placed_order.status == Order.Status.CANCELLED


# --- read-only where services own the value -----------------------------------------------------


def test_order_status_and_amounts_cannot_be_changed_by_post(staff_client, placed_order):
    # given the change form sent back with forged values
    url = reverse("admin:orders_order_change", args=[placed_order.pk])
    data = _post_data(staff_client, url)
    data.update(
        status="paid",
        subtotal="1",
        deposit_amount="1",
        balance_amount="0",
        buyer_name="Sari Corrected",
    )
    # when
    response = staff_client.post(url, data)
    # then the buyer's name is corrected, and nothing the services own moved
    assert response.status_code == 302
    before = placed_order
    placed_order.refresh_from_db()
    assert placed_order.buyer_name == "Sari Corrected"
    assert placed_order.status == Order.Status.PENDING
    assert placed_order.subtotal == before.deposit_amount + before.balance_amount
    assert placed_order.subtotal == Decimal(300_000)


def test_campaign_status_and_reserved_cannot_be_changed_by_post(staff_client, placed_order):
    # given
    campaign = placed_order.campaign
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    data = _post_data(staff_client, url)
    data.update(status="completed", reserved="0", **{"variants-0-reserved": "0"})
    # when
    response = staff_client.post(url, data)
    # then
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED
    assert campaign.reserved == 2
    assert campaign.variants.get(name="Green").reserved == 2


def test_payments_and_refunds_cannot_be_changed_added_or_deleted(
    staff_client, everything, cancelled_with_refund
):
    payment = Payment.objects.filter(order=everything).get()
    refund = Refund.objects.get(order=cancelled_with_refund)
    for model, obj in [("payments_payment", payment), ("payments_refund", refund)]:
        # when staff posts to the change, add and delete pages
        change = staff_client.post(
            reverse(f"admin:{model}_change", args=[obj.pk]), {"amount": "1", "status": "verified"}
        )
        add = staff_client.get(reverse(f"admin:{model}_add"))
        delete = staff_client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {"post": "yes"})
        # then every one is refused
        assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403), model
    payment.refresh_from_db()
    refund.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED
    assert refund.status == Refund.Status.PENDING


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


def test_staff_ship_orders_with_their_tracking_numbers_through_the_shipping_service(
    staff_client, shop
):
    # given a paid order ready to ship and one still waiting for its deposit
    pins = make_campaign(shop, capacity=None, min_quantity=1, deposit_rule="full")
    pending = make_order(pins)
    (paid,) = paid_orders(pins, 1)
    url = reverse("admin:orders_order_changelist")
    selected = {"action": "ship", "_selected_action": [paid.pk, pending.pk]}

    # when staff choose the action, they are asked each order's carrier and tracking number
    asked = staff_client.post(url, selected)
    assert asked.status_code == 200
    assert f"tracking-{paid.pk}" in asked.content.decode()
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID

    # and when they give them
    response = staff_client.post(
        url,
        {**selected, "apply": "1", f"carrier-{paid.pk}": "JNE", f"tracking-{paid.pk}": "JX123"},
        follow=True,
    )

    # then the paid order is shipped by the service, with staff as the actor
    paid.refresh_from_db()
    assert (paid.status, paid.carrier, paid.tracking_number) == ("shipped", "JNE", "JX123")
    assert paid.events.last().actor.username == "staff"
    # and the pending one is named, not shipped, not a crash
    page = response.content.decode()
    assert pending.code in page and "1 order marked shipped." in page
    assert Order.objects.get(pk=pending.pk).status == Order.Status.PENDING
