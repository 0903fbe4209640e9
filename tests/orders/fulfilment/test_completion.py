"""Completion: the buyer (or the seller) says a shipped order arrived, and the campaign completes
when its last open order is done (DESIGN.md, Order life)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from orders.exceptions import ShippingRefused
from orders.models import Order, OrderEvent
from orders.selectors import order_for_buyer, order_timeline
from orders.services.fulfilment import complete_order, confirm_receipt, mark_shipped
from orders.services.placing import expire_overdue
from orders.services.transitions import move_order
from payments.services.cancellations import cancel_order
from tests.factories import make_order, past_deadline
from tests.orders.fulfilment.checks import campaign_status, fresh, snapshot
from tests.orders.production import paid_orders

S = Order.Status
C = Campaign.Status


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
