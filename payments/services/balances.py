"""Balances past their due date: give the buyer more time, or cancel the order as the campaign's
PO terms say (the deposit kept, or refunded)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from kernel.clock import shop_time
from kernel.sentences import moment, money, say
from orders.models import Order, OrderEvent
from orders.services.fulfilment import complete_campaign_when_done
from payments.exceptions import BalanceRefused
from payments.models import Payment
from payments.services.cancellations import Cancellation, cancel_locked, lock_order
from payments.services.ledger import ZERO, amount_paid

# A balance can be moved this far ahead at most: further is a new agreement, not an extension.
MAX_BALANCE_EXTENSION = timedelta(days=180)


def cancel_unpaid_balance(*, order: Order, actor) -> Cancellation:
    """Cancel an order whose balance was not paid in time, keeping or refunding the deposit as
    the campaign's PO terms say (`Campaign.late_balance`).

    Rules: the order is waiting for its balance and its due date has passed; no payment of it is
    waiting for review (the buyer may have paid at the last minute). When the deposit is kept,
    anything paid beyond it is still refunded; otherwise everything paid is.
    """
    with transaction.atomic():
        locked = lock_order(order)
        campaign = locked.campaign
        now = timezone.now()
        if locked.status != Order.Status.AWAITING_BALANCE:
            raise BalanceRefused(
                _(
                    "Order %(code)s is “%(status)s”: it is not waiting for its balance. "
                    "Nothing changed."
                )
                % {"code": locked.code, "status": locked.get_status_display()}
            )
        if locked.balance_due_at is None or locked.balance_due_at > now:
            raise BalanceRefused(
                _("The balance of order %(code)s is not overdue yet. Nothing changed.")
                % {"code": locked.code}
            )
        if locked.payments.filter(status=Payment.Status.SUBMITTED).exists():
            raise BalanceRefused(
                _(
                    "Order %(code)s has a payment waiting for your review: review it first. "
                    "Nothing changed."
                )
                % {"code": locked.code}
            )
        keep = campaign.late_balance == Campaign.LateBalance.KEEP_DEPOSIT
        kept = min(amount_paid(locked), locked.deposit_amount) if keep else ZERO
        reason = say(
            "The balance was not paid by %(due)s.",
            due=moment(locked.balance_due_at, campaign.shop.time_zone),
        )
        if kept > 0:
            reason += say(
                "The deposit of %(kept)s is kept, as the PO terms say.",
                kept=money(kept, locked.currency),
            )
        elif not keep:
            reason += say("The deposit is refunded, as the PO terms say.")
        cancellation = cancel_locked(locked, actor=actor, reason=reason, kept=kept)
        complete_campaign_when_done(campaign, actor=actor)
    order.status = locked.status
    return cancellation


def extend_balance(*, order: Order, due_at: datetime, actor) -> Order:
    """Give the buyer more time for the balance: a new due date, and a new reminder before it.

    Rules: the order is waiting for its balance; the new date is in the future, later than the
    current one and at most MAX_BALANCE_EXTENSION from now.
    """
    now = timezone.now()
    if due_at <= now:
        raise BalanceRefused(_("Choose a due date in the future."))
    if due_at > now + MAX_BALANCE_EXTENSION:
        raise BalanceRefused(
            _("Choose a due date within %(days)d days.") % {"days": MAX_BALANCE_EXTENSION.days}
        )
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("campaign__shop")
            .get(pk=order.pk)
        )
        if locked.status != Order.Status.AWAITING_BALANCE:
            raise BalanceRefused(
                _(
                    "Order %(code)s is “%(status)s”: it is not waiting for its balance. "
                    "Nothing changed."
                )
                % {"code": locked.code, "status": locked.get_status_display()}
            )
        if locked.balance_due_at is not None and due_at <= locked.balance_due_at:
            raise BalanceRefused(
                _("Choose a date after the current due date, %(due)s.")
                % {"due": shop_time(locked.campaign.shop, locked.balance_due_at)}
            )
        locked.balance_due_at = due_at
        # The reminder before the old deadline is spent; the new one gets its own (`tick`).
        locked.balance_reminded_at = None
        locked.save(update_fields=["balance_due_at", "balance_reminded_at", "updated_at"])
        note = say(
            "Balance due date moved to %(due)s.",
            due=moment(due_at, locked.campaign.shop.time_zone),
        )
        OrderEvent.objects.create(order=locked, kind=OrderEvent.Kind.NOTE, actor=actor, note=note)
    order.balance_due_at = due_at
    order.balance_reminded_at = None
    return locked
