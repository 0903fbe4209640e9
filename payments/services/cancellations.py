"""Cancelling an order that may hold the buyer's money: its units go back on sale and what it
paid goes on the refunds list, in one transaction.

Locks are taken campaign first, then the order, then a refund: the order every campaign decision
takes them in, so a single cancellation never deadlocks with a decision on its campaign. Orders
move through orders/services/transitions.py, the one door (DESIGN.md, Order life).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign, DelayRefund
from kernel.sentences import Sentence, day, money, say, say_plural
from orders.models import Order
from orders.services.fulfilment import complete_campaign_when_done
from orders.services.revisions import delay_choice_open
from orders.services.transitions import ALLOWED as ORDER_MOVES
from orders.services.transitions import move_order
from payments import emails
from payments.exceptions import CancelRefused
from payments.models import Payment, Refund
from payments.services.ledger import ZERO, refundable
from payments.services.refunds import add_refund, check_reason


@dataclass(frozen=True)
class Cancellation:
    order: Order
    refund: Refund | None


@dataclass(frozen=True)
class CampaignStopped:
    """A campaign failed or cancelled, with each order it cancelled and the refunds to send."""

    campaign: Campaign
    cancellations: list[Cancellation]

    @property
    def refunds(self) -> list[Refund]:
        return [c.refund for c in self.cancellations if c.refund is not None]

    @property
    def refund_total(self) -> Decimal:
        return sum((refund.amount for refund in self.refunds), ZERO)

    def summary(self) -> Sentence:
        """For the timeline and the message: "12 orders cancelled; 9 refunds of Rp … to send"."""
        return say_plural(
            "%(count)d order cancelled;", "%(count)d orders cancelled;", len(self.cancellations)
        ) + say_plural(
            "%(count)d refund of %(total)s in all to send.",
            "%(count)d refunds of %(total)s in all to send.",
            len(self.refunds),
            total=money(self.refund_total, self.campaign.shop.currency),
        )


def cancel_order(*, order: Order, actor, reason: str, refund: bool = True) -> Cancellation:
    """Cancel an order: its units go back on sale and what it paid is put on the refunds list.

    Rules: a reason is required (the buyer reads it); only an order that may still be cancelled
    (not shipped, completed, expired or already cancelled), checked under its row lock, so two
    taps cancel it once; the refund is what the order paid, less refunds already waiting, and
    none is made when nothing was received or `refund` is False. The buyer is emailed once the
    cancellation commits.
    """
    reason = check_reason(reason)
    with transaction.atomic():
        locked = lock_order(order)
        cancellation = cancel_locked(locked, actor=actor, reason=reason, refund=refund)
        complete_campaign_when_done(locked.campaign, actor=actor)
    order.status = locked.status
    return cancellation


def cancel_locked(
    order: Order,
    *,
    actor,
    reason: Sentence | str,
    kept: Decimal = ZERO,
    refund: bool = True,
    available: Decimal | None = None,
) -> Cancellation:
    """Cancel a locked order and ask for the refund of what it paid beyond `kept`.

    `available` is what the order may refund, when the caller read it under the same lock.
    """
    if Order.Status.CANCELLED not in ORDER_MOVES[order.status]:
        raise CancelRefused(
            _("Order %(code)s is “%(status)s” and can no longer be cancelled. Nothing changed.")
            % {"code": order.code, "status": order.get_status_display()}
        )
    move_order(order=order, to=Order.Status.CANCELLED, actor=actor, note=reason)
    made = None
    if refund:
        available = refundable(order) if available is None else available
        if available - kept > 0:
            made = add_refund(
                order,
                amount=available - kept,
                reason=reason,
                actor=actor,
                available=available,
                first=True,
            )
    emails.order_cancelled(order, reason=reason, refund=made)
    return Cancellation(order=order, refund=made)


def buyer_may_cancel(order: Order) -> bool:
    """A pending order with no payment sent (none waiting for review, none verified)."""
    return (
        order.status == Order.Status.PENDING
        and not Payment.objects.filter(
            order=order, status__in=(Payment.Status.SUBMITTED, Payment.Status.VERIFIED)
        ).exists()
    )


def cancel_by_buyer(*, order: Order) -> Order:
    """The buyer cancels their own order before paying; its units go back on sale at once.

    Rules: only a pending order with no payment sent or verified, checked under the order's lock
    (a proof sent from another tab at the same moment wins, and the order stays); nothing is
    refunded, since nothing was received. The timeline says the buyer did it; the buyer gets the
    usual cancellation e-mail.
    """
    with transaction.atomic():
        locked = lock_order(order)
        if not buyer_may_cancel(locked):
            raise CancelRefused(
                _(
                    "This order can no longer be cancelled here: a payment was sent or it moved "
                    "on. Ask the shop on WhatsApp."
                )
            )
        cancel_locked(
            locked, actor=None, reason=say("Cancelled by the buyer before paying."), refund=False
        )
    order.status = locked.status
    return locked


def delay_refund_kept(order: Order) -> Decimal:
    """What the shop keeps when a buyer cancels over a delay, by its policy (PO terms)."""
    if order.campaign.shop.delay_refund == DelayRefund.BEYOND_DEPOSIT:
        return order.deposit_amount
    return ZERO


def cancel_over_delay(*, order: Order) -> Cancellation:
    """The buyer refuses a delay beyond the shop's threshold: the order is cancelled, its units
    go back, and what the shop's policy says goes on the refunds list (everything paid, or what
    was paid beyond the down payment).

    Rules: only while the choice is open (orders/services/revisions.py), checked under the lock.
    """
    with transaction.atomic():
        locked = lock_order(order)
        if not delay_choice_open(locked):
            raise CancelRefused(_("There is nothing to choose on this order now."))
        campaign = locked.campaign
        reason = say(
            "Cancelled by the buyer: shipping moved from %(was)s to %(now)s, more than the "
            "shop's %(days)s days.",
            was=day(campaign.ships_on),
            now=day(campaign.current_ships_on),
            days=campaign.shop.delay_threshold_days,
        )
        cancellation = cancel_locked(
            locked, actor=None, reason=reason, kept=delay_refund_kept(locked)
        )
        complete_campaign_when_done(campaign, actor=None)
    order.status = locked.status
    return cancellation


def cancellable(order: Order) -> bool:
    return Order.Status.CANCELLED in ORDER_MOVES[order.status]


def lock_order(order: Order) -> Order:
    # Campaign first (cancelling gives its units back), then the order.
    Campaign.objects.select_for_update().filter(pk=order.campaign_id).exists()
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("campaign__shop")
        .get(pk=order.pk)
    )
