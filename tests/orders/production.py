"""Builders for the production decisions: a window that has closed, orders whose deposit is in,
a campaign in production."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order
from orders.services.transitions import move_order
from payments.models import Payment
from payments.services.decisions import finish_production, start_production
from tests.factories import make_order


def close_window(campaign: Campaign, *, ago: timedelta = timedelta(minutes=1)) -> Campaign:
    """The order window closed `ago` (and opened before that)."""
    closes_at = timezone.now() - ago
    opens_at = min(campaign.opens_at, closes_at - timedelta(days=1))
    Campaign.objects.filter(pk=campaign.pk).update(opens_at=opens_at, closes_at=closes_at)
    campaign.refresh_from_db()
    return campaign


def received(order: Order, amount, *, kind: str = Payment.Kind.DEPOSIT) -> Payment:
    """Money the seller has already checked in the bank."""
    amount = Decimal(amount)
    return Payment.objects.create(
        order=order,
        kind=kind,
        amount=amount,
        amount_received=amount,
        status=Payment.Status.VERIFIED,
        sender_name="Sari Wulandari",
        sender_bank="BCA",
    )


def sent(order: Order, amount) -> Payment:
    """A proof of payment waiting for the seller's review."""
    return Payment.objects.create(
        order=order,
        kind=Payment.Kind.DEPOSIT,
        amount=Decimal(amount),
        sender_name="Sari Wulandari",
        sender_bank="BCA",
    )


def confirmed_order(campaign: Campaign, *, quantity: int = 1, paid=None, **fields) -> Order:
    """An order whose deposit (or `paid`) was received, confirmed through the one door."""
    order = make_order(campaign, quantity=quantity, **fields)
    received(order, order.deposit_amount if paid is None else paid)
    move_order(order=order, to=Order.Status.CONFIRMED)
    order.refresh_from_db()
    return order


def paid_orders(campaign: Campaign, count: int, *, actor=None) -> list[Order]:
    """`count` orders paid in full with production finished: the campaign is ready to ship.

    The campaign should ask for full payment (`deposit_rule="full"`), its minimum within `count`.
    """
    orders = [confirmed_order(campaign) for _ in range(count)]
    close_window(campaign)
    start_production(campaign=campaign, actor=actor)
    finish_production(campaign=campaign, actor=actor)
    for order in orders:
        order.refresh_from_db()
    campaign.refresh_from_db()
    return orders


def in_production(campaign: Campaign, actor) -> Campaign:
    close_window(campaign)
    return start_production(campaign=campaign, actor=actor)
