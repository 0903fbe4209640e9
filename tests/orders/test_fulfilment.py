"""Shipping and completion: paid orders leave the shop with a carrier and tracking number, the
buyer (or the seller) says they arrived, and the campaign follows (DESIGN.md, Order life)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from orders.exceptions import ShippingRefused
from orders.models import Order, OrderEvent
from orders.selectors import order_for_buyer, order_timeline
from orders.services.fulfilment import (
    complete_order,
    confirm_receipt,
    mark_shipped,
    preview_bulk_shipping,
    ship_in_bulk,
)
from orders.services.placing import expire_overdue
from orders.services.transitions import move_order
from payments.services.cancellations import cancel_order
from tests.factories import make_campaign, make_order, past_deadline
from tests.orders.production import paid_orders
from tests.support import race

S = Order.Status
C = Campaign.Status


@pytest.fixture
def seller(shop):
    return shop.owner


@pytest.fixture
def pins(shop):
    """Enamel pins paid in full up front, minimum 2."""
    return make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=2, capacity=None, deposit_rule="full"
    )


@pytest.fixture
def ready(pins, seller):
    """Production finished: three orders paid in full, waiting to ship."""
    return paid_orders(pins, 3, actor=seller)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def campaign_status(order: Order) -> str:
    return Campaign.objects.get(pk=order.campaign_id).status


def snapshot(campaign: Campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.status,
        CampaignEvent.objects.filter(campaign=campaign).count(),
        list(
            campaign.orders.order_by("pk").values_list(
                "status", "carrier", "tracking_number", "shipped_at", "received_at"
            )
        ),
        OrderEvent.objects.filter(order__campaign=campaign).count(),
        len(mail.outbox),
    )


# --- one order --------------------------------------------------------------------------------


def test_marking_a_paid_order_shipped_records_carrier_tracking_and_starts_the_campaign_shipping(
    ready, seller, django_capture_on_commit_callbacks
):
    order = ready[0]
    assert campaign_status(order) == C.READY

    # when
    with django_capture_on_commit_callbacks(execute=True):
        mark_shipped(order=order, carrier=" JNE ", tracking_number=" JNE123 ", actor=seller)

    # then
    shipped = fresh(order)
    assert shipped.status == S.SHIPPED
    assert (shipped.carrier, shipped.tracking_number) == ("JNE", "JNE123")
    assert shipped.shipped_at is not None
    event = shipped.events.filter(kind=OrderEvent.Kind.STATUS).last()
    assert (event.from_status, event.to_status, event.actor) == (S.PAID, S.SHIPPED, seller)
    assert "JNE123" in event.note
    assert campaign_status(order) == C.SHIPPING
    assert (
        CampaignEvent.objects.filter(
            campaign_id=order.campaign_id, from_status=C.READY, to_status=C.SHIPPING
        ).count()
        == 1
    )


def test_the_campaign_starts_shipping_once_however_many_orders_ship(ready, seller):
    # when
    for order in ready:
        mark_shipped(order=order, carrier="JNE", tracking_number=f"T{order.pk}", actor=seller)

    # then
    assert CampaignEvent.objects.filter(to_status=C.SHIPPING).count() == 1


def test_a_pickup_ships_without_carrier_or_tracking_number(ready, seller):
    # when
    mark_shipped(order=ready[0], carrier="", tracking_number="", actor=seller)

    # then
    assert fresh(ready[0]).status == S.SHIPPED


def test_the_buyer_is_emailed_the_carrier_tracking_number_and_their_link(
    ready, seller, django_capture_on_commit_callbacks
):
    order = ready[0]
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        mark_shipped(order=order, carrier="SiCepat", tracking_number="SC-998877", actor=seller)

    # then
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [order.buyer_email]
    assert order.code in email.subject
    assert "SiCepat" in email.body and "SC-998877" in email.body
    assert f"/o/{order.token}/" in email.body
    html, _mimetype = email.alternatives[0]
    assert "SC-998877" in html and f"/o/{order.token}/" in html


@pytest.mark.parametrize("status", [S.PENDING, S.CONFIRMED])
def test_an_order_not_paid_in_full_cannot_ship_and_nothing_changes(pins, seller, status):
    # given an order still waiting for its deposit, or with only its deposit in
    order = make_order(pins)
    if status == S.CONFIRMED:
        move_order(order=order, to=S.CONFIRMED)
    before = snapshot(pins)

    # when / then
    with pytest.raises(ShippingRefused, match="paid in full"):
        mark_shipped(order=order, carrier="JNE", tracking_number="X1", actor=seller)
    assert snapshot(pins) == before


def test_an_order_ships_only_once(ready, seller):
    mark_shipped(order=ready[0], carrier="JNE", tracking_number="A1", actor=seller)
    before = snapshot(ready[0].campaign)

    # when the page, loaded before, is submitted again
    with pytest.raises(ShippingRefused, match="already been shipped"):
        mark_shipped(order=ready[0], carrier="JNT", tracking_number="B2", actor=seller)

    # then the first tracking number stands
    assert snapshot(ready[0].campaign) == before
    assert fresh(ready[0]).tracking_number == "A1"


def test_too_long_a_tracking_number_is_refused(ready, seller):
    with pytest.raises(ShippingRefused, match="too long"):
        mark_shipped(order=ready[0], carrier="JNE", tracking_number="9" * 61, actor=seller)
    assert fresh(ready[0]).status == S.PAID


def test_the_database_refuses_a_shipped_order_without_its_shipping_time(ready):
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=ready[0].pk).update(status=S.SHIPPED)


# --- completion -------------------------------------------------------------------------------


def test_the_buyer_confirms_receipt_and_the_order_completes_with_the_day_received(ready, seller):
    mark_shipped(order=ready[0], carrier="JNE", tracking_number="A1", actor=seller)

    # when
    confirm_receipt(order=ready[0])

    # then
    order = fresh(ready[0])
    assert order.status == S.COMPLETED
    assert timezone.now() - order.received_at < timedelta(minutes=1)
    event = order.events.filter(kind=OrderEvent.Kind.STATUS).last()
    assert (event.to_status, event.actor) == (S.COMPLETED, None)
    # the other orders are still on their way: the campaign is still shipping
    assert campaign_status(order) == C.SHIPPING


def test_a_second_tap_on_received_changes_nothing(ready, seller):
    mark_shipped(order=ready[0], carrier="JNE", tracking_number="A1", actor=seller)
    confirm_receipt(order=ready[0])
    before = snapshot(ready[0].campaign)

    # when
    confirm_receipt(order=fresh(ready[0]))

    # then
    assert snapshot(ready[0].campaign) == before


def test_an_order_not_shipped_cannot_be_received_or_completed(ready, seller):
    before = snapshot(ready[0].campaign)
    with pytest.raises(ShippingRefused, match="Only a shipped order"):
        confirm_receipt(order=ready[0])
    with pytest.raises(ShippingRefused, match="Only a shipped order"):
        complete_order(order=ready[0], actor=seller)
    assert snapshot(ready[0].campaign) == before


def test_the_seller_completes_a_shipped_order(ready, seller):
    mark_shipped(order=ready[0], carrier="JNE", tracking_number="A1", actor=seller)

    # when
    complete_order(order=ready[0], actor=seller)

    # then
    order = fresh(ready[0])
    assert order.status == S.COMPLETED and order.received_at is not None
    assert order.events.last().actor == seller
    with pytest.raises(ShippingRefused, match="already completed"):
        complete_order(order=order, actor=seller)


def test_the_campaign_completes_when_its_last_active_order_completes(pins, seller):
    # given a cancelled order that never ships, and three paid ones
    cancelled = make_order(pins)
    ready = paid_orders(pins, 3, actor=seller)
    move_order(order=cancelled, to=S.CANCELLED)
    for order in ready:
        mark_shipped(order=order, carrier="JNE", tracking_number=f"T{order.pk}", actor=seller)

    # when all but one are received, the campaign is still shipping
    confirm_receipt(order=ready[0])
    complete_order(order=ready[1], actor=seller)
    assert campaign_status(ready[0]) == C.SHIPPING

    # when the last one is
    confirm_receipt(order=ready[2])

    # then
    assert campaign_status(ready[0]) == C.COMPLETED
    assert CampaignEvent.objects.filter(campaign=pins, to_status=C.COMPLETED).count() == 1


def test_the_buyer_timeline_shows_shipped_and_completed_with_their_dates(ready, seller):
    mark_shipped(order=ready[0], carrier="JNE", tracking_number="A1", actor=seller)
    confirm_receipt(order=ready[0])

    # when
    steps = order_timeline(order_for_buyer(ready[0].token))

    # then
    by_title = {str(step.title): step for step in steps}
    assert by_title["Shipped"].done and by_title["Shipped"].when is not None
    assert "A1" in by_title["Shipped"].note
    assert by_title["Completed"].done and by_title["Completed"].when is not None
    assert "Shipping (estimate)" not in by_title


# --- bulk -------------------------------------------------------------------------------------


def test_preview_reads_pasted_lines_in_any_separator_header_and_case_and_saves_nothing(ready, pins):
    a, b, c = ready
    text = (
        "Order code;Carrier;Tracking number\n"
        f"  {a.code.lower()} ; JNE ; JNE001 \n"
        "\n"
        f"{b.code};J&T;JT002\n"
        f"{c.code};SC003\n"
    )
    before = snapshot(pins)

    # when
    preview = preview_bulk_shipping(campaign=pins, text=text)

    # then
    assert [(r.code, r.carrier, r.tracking_number) for r in preview.ok] == [
        (a.code, "JNE", "JNE001"),
        (b.code, "J&T", "JT002"),
        (c.code, "", "SC003"),
    ]
    assert [row.line for row in preview.ok] == [2, 4, 5]
    assert snapshot(pins) == before


@pytest.mark.parametrize("separator", [",", "\t"])
def test_preview_reads_comma_and_tab_separated_lines_without_header(ready, pins, separator):
    text = "\n".join(f"{order.code}{separator}T{order.pk}" for order in ready)
    preview = preview_bulk_shipping(campaign=pins, text=text)
    assert [row.code for row in preview.ok] == [order.code for order in ready]


def test_preview_flags_unknown_duplicate_and_unpaid_rows(pins, shop, seller):
    unpaid = make_order(pins)
    a, b, c = paid_orders(pins, 3, actor=seller)
    elsewhere = make_order(make_campaign(shop))
    text = "\n".join(
        [
            f"{a.code},JNE,1",
            f"{b.code},JNE,2",
            f"{b.code},JNE,3",
            "ZZZZZZZ,JNE,4",
            f"{elsewhere.code},JNE,5",  # another campaign's order is unknown here
            f"{unpaid.code},JNE,6",
            f"{c.code}",  # no tracking number: unreadable
        ]
    )

    # when
    preview = preview_bulk_shipping(campaign=pins, text=text)

    # then
    assert [row.code for row in preview.ok] == [a.code]
    assert [row.code for row in preview.duplicates] == [b.code, b.code]
    assert [row.code for row in preview.unknown] == ["ZZZZZZZ", elsewhere.code]
    assert [row.code for row in preview.not_ready] == [unpaid.code]
    assert [row.code for row in preview.unreadable] == [c.code]


def test_bulk_shipping_ships_only_the_valid_rows_and_the_campaign_once(
    ready, pins, seller, django_capture_on_commit_callbacks
):
    a, b, c = ready
    mark_shipped(order=c, carrier="JNE", tracking_number="EARLIER", actor=seller)
    mail.outbox.clear()
    rows = [
        (a.code.lower(), "JNE", "A1"),
        (b.code, "JNE", "B1"),
        (c.code, "JNE", "C-again"),  # shipped since the preview
        ("ZZZZZZZ", "JNE", "Z"),
    ]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = ship_in_bulk(campaign=pins, rows=rows, actor=seller)

    # then
    assert result.shipped == [a.code, b.code]
    assert result.skipped == [c.code, "ZZZZZZZ"]
    assert fresh(a).tracking_number == "A1" and fresh(b).tracking_number == "B1"
    assert fresh(c).tracking_number == "EARLIER"
    assert len(mail.outbox) == 2
    assert CampaignEvent.objects.filter(campaign=pins, to_status=C.SHIPPING).count() == 1


def test_bulk_shipping_never_ships_a_code_given_twice(ready, pins, seller):
    rows = [(ready[0].code, "JNE", "1"), (ready[0].code, "JNE", "2")]
    result = ship_in_bulk(campaign=pins, rows=rows, actor=seller)
    assert result.shipped == []
    assert fresh(ready[0]).status == S.PAID
    assert campaign_status(ready[0]) == C.READY


def test_bulk_shipping_is_refused_before_production_has_finished(pins, seller):
    order = make_order(pins)
    before = snapshot(pins)
    with pytest.raises(ShippingRefused, match="production has finished"):
        ship_in_bulk(campaign=pins, rows=[(order.code, "JNE", "1")], actor=seller)
    assert snapshot(pins) == before


# --- concurrency ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_taps_on_mark_shipped_ship_the_order_once_with_one_event(shop):
    pins = make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=1, capacity=None, deposit_rule="full"
    )
    (order,) = paid_orders(pins, 1, actor=shop.owner)

    # when ten people press "Mark shipped" at once
    results = race(
        10,
        lambda i, loaded: mark_shipped(
            order=loaded, carrier="JNE", tracking_number=f"T{i}", actor=shop.owner
        ),
        setup=lambda i: Order.objects.get(pk=order.pk),
    )

    # then one ships it; the others are told it already was
    shipped = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, ShippingRefused)]
    assert (len(shipped), len(refused)) == (1, 9), results
    assert OrderEvent.objects.filter(order=order, to_status=S.SHIPPED).count() == 1
    assert fresh(order).tracking_number == shipped[0].tracking_number
    assert CampaignEvent.objects.filter(campaign=pins, to_status=C.SHIPPING).count() == 1


@pytest.mark.parametrize("leaves", ["expires", "is cancelled"])
def test_the_campaign_completes_when_its_last_open_order_leaves_rather_than_completes(
    pins, seller, leaves
):
    # given a buyer who never paid the deposit, and two paid orders shipped and received
    unpaid = make_order(pins)
    ready = paid_orders(pins, 2, actor=seller)
    for order in ready:
        mark_shipped(order=order, carrier="JNE", tracking_number=f"T{order.pk}", actor=seller)
        confirm_receipt(order=order)
    assert campaign_status(ready[0]) == C.SHIPPING  # the unpaid order is still open

    # when that last open order expires, or the seller cancels it
    if leaves == "expires":
        expire_overdue(now=past_deadline(unpaid).deposit_due_at + timedelta(minutes=1))
    else:
        cancel_order(order=unpaid, actor=seller, reason="Never paid")

    # then the campaign is done
    assert campaign_status(ready[0]) == C.COMPLETED
