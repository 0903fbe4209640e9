"""Shipping one order: a paid order leaves the shop with a carrier and tracking number, once, the
buyer is told, and the campaign starts shipping (DESIGN.md, Order life)."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from campaigns.models import Campaign, CampaignEvent
from orders.exceptions import ShippingRefused
from orders.models import Order, OrderEvent
from orders.services.fulfilment import mark_shipped
from orders.services.transitions import move_order
from tests.factories import make_campaign, make_order
from tests.orders.fulfilment.checks import campaign_status, fresh, snapshot
from tests.orders.production import paid_orders
from tests.support import race

S = Order.Status
C = Campaign.Status


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
