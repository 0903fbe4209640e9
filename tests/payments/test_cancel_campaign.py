"""The seller cancels a campaign before shipping: every order still going is cancelled and all it
paid refunded, orders that stopped before left as they are (DESIGN.md, Campaign life)."""

from decimal import Decimal

import pytest

from campaigns.models import Campaign
from campaigns.services.transitions import move_campaign
from orders.models import Order
from orders.services.transitions import move_order
from payments.exceptions import CancelRefused
from payments.services.decisions import cancel_campaign
from payments.services.payments import verify_payment
from tests.factories import make_campaign
from tests.payments.conftest import order_for, send
from tests.payments.stopping import refunds_by_buyer, snapshot

S = Order.Status
C = Campaign.Status


@pytest.mark.django_db
def test_cancelling_an_open_campaign_cancels_and_refunds_every_order(open_campaign, orders, owner):
    stopped = cancel_campaign(campaign=open_campaign, actor=owner, reason="Vendor closed")
    open_campaign.refresh_from_db()
    assert open_campaign.status == C.CANCELLED
    assert open_campaign.reserved == 0
    assert len(stopped.cancellations) == 3
    assert refunds_by_buyer(open_campaign) == {"Buyer 1": Decimal(75000), "Buyer 2": Decimal(30000)}


@pytest.mark.django_db
def test_cancelling_in_production_refunds_deposits_and_balances_alike(open_campaign, owner):
    # given one order paid in full and one with its deposit only, in production
    full = order_for(open_campaign, 1, paid=75000, owner=owner)
    deposit = order_for(open_campaign, 2, paid=75000, owner=owner)
    move_campaign(campaign=open_campaign, to=C.IN_PRODUCTION)
    for order in (full, deposit):
        move_order(order=order, to=S.IN_PRODUCTION)
    move_order(order=full, to=S.AWAITING_BALANCE)
    verify_payment(payment=send(full, "75000"), amount_received=Decimal(75000), actor=owner)
    full.refresh_from_db()
    assert full.status == S.PAID

    # when the seller cancels the campaign
    cancel_campaign(campaign=open_campaign, actor=owner, reason="Factory fire")

    # then each gets back all it paid
    assert refunds_by_buyer(open_campaign) == {
        "Buyer 1": Decimal(150000),
        "Buyer 2": Decimal(75000),
    }
    assert set(open_campaign.orders.values_list("status", flat=True)) == {S.CANCELLED}


@pytest.mark.django_db
def test_orders_that_stopped_before_are_left_as_they_are(open_campaign, orders, owner):
    # given Citra's order expired earlier
    move_order(order=orders["citra"], to=S.EXPIRED)
    expired_events = orders["citra"].events.count()
    # when
    stopped = cancel_campaign(campaign=open_campaign, actor=owner, reason="Vendor closed")
    # then it is neither cancelled again nor on the timeline twice
    orders["citra"].refresh_from_db()
    assert orders["citra"].status == S.EXPIRED
    assert orders["citra"].events.count() == expired_events
    assert len(stopped.cancellations) == 2


@pytest.mark.django_db
def test_a_campaign_with_a_shipped_order_cannot_be_cancelled(open_campaign, owner):
    # given one order already shipped while the campaign collects balances
    order = order_for(open_campaign, 1, paid=75000, owner=owner)
    other = order_for(open_campaign, 2, paid=75000, owner=owner)
    move_campaign(campaign=open_campaign, to=C.IN_PRODUCTION)
    move_campaign(campaign=open_campaign, to=C.READY)
    for step in (S.IN_PRODUCTION, S.PAID, S.SHIPPED):
        move_order(order=order, to=step)
    before = snapshot(open_campaign)
    # when
    with pytest.raises(CancelRefused, match=f"Orders {order.code} have already shipped"):
        cancel_campaign(campaign=open_campaign, actor=owner, reason="Too late")
    # then nothing changed, the other order included
    assert snapshot(open_campaign) == before
    other.refresh_from_db()
    assert other.status == S.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [C.DRAFT, C.FAILED, C.CANCELLED])
def test_only_a_campaign_before_shipping_can_be_cancelled(shop, owner, status):
    campaign = make_campaign(shop, status=status)
    before = snapshot(campaign)
    with pytest.raises(CancelRefused, match="cannot be cancelled"):
        cancel_campaign(campaign=campaign, actor=owner, reason="Again")
    assert snapshot(campaign) == before


@pytest.mark.django_db
def test_a_shipping_campaign_cannot_be_cancelled(open_campaign, owner):
    for step in (C.IN_PRODUCTION, C.READY, C.SHIPPING):
        move_campaign(campaign=open_campaign, to=step)
    with pytest.raises(CancelRefused):
        cancel_campaign(campaign=open_campaign, actor=owner, reason="Too late")
    open_campaign.refresh_from_db()
    assert open_campaign.status == C.SHIPPING
