"""Cancelling orders and campaigns that hold buyers' money, and sending that money back.

Each function is one transaction. Money goes back as a Refund: pending when the order stops,
sent once the seller has transferred it and typed the bank's reference. A refund is asked for
under the order's row lock and never for more than the order still has to refund (paid, less
the refunds already waiting: payments/ledger.py), so refunds never exceed what was paid.
Refunds are only ever made for orders that stopped (cancelled or expired), so an active order's
ledger is its payments alone.

Locks are taken campaign first, then orders by id, then a refund: the order every campaign
decision takes them in, so a single cancellation never deadlocks with a decision on its campaign.
Orders move through orders.transitions.move_order, campaigns through campaigns.transitions.
move_campaign: the one door each (DESIGN.md, Order life and Campaign life).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.images import encode, open_upload
from campaigns.models import Campaign, CampaignEvent
from campaigns.money import format_money
from campaigns.transitions import ALLOWED as CAMPAIGN_MOVES
from campaigns.transitions import move_campaign
from orders.decisions import confirmed_units
from orders.fulfilment import complete_campaign_when_done
from orders.models import Order, OrderEvent
from orders.transitions import ALLOWED as ORDER_MOVES
from orders.transitions import move_order
from payments import emails
from payments.exceptions import (
    BalanceRefused,
    CancelRefused,
    InvalidReason,
    InvalidRefund,
    RefundAlreadySent,
    RefundRefused,
    RefundTooLarge,
)
from payments.ledger import ZERO, amount_paid, refundable, refundable_sql
from payments.models import Payment, Refund

MAX_REASON_LENGTH = 500
MAX_REFERENCE_LENGTH = 100
# A screenshot of the banking app stays readable; stored like payment proofs.
REFUND_PROOF_SIZE = (1600, 2400)
# A balance can be moved this far ahead at most: further is a new agreement, not an extension.
MAX_BALANCE_EXTENSION = timedelta(days=180)
# Closed by the clock or by its last unit: nobody can order any more, so it is time to decide.
DECIDING_PHASES = (Campaign.Phase.CLOSED, Campaign.Phase.SOLD_OUT)
# An account number or an e-wallet's phone number, as people write them.
ACCOUNT_NUMBER = re.compile(r"\+?[0-9][0-9 .\-]*")
MIN_ACCOUNT_DIGITS = 5


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

    def summary(self) -> str:
        """For the timeline and the message: "12 orders cancelled; 9 refunds of Rp … to send"."""
        orders, refunds = len(self.cancellations), len(self.refunds)
        return ngettext("%(orders)d order cancelled; ", "%(orders)d orders cancelled; ", orders) % {
            "orders": orders
        } + ngettext(
            "%(refunds)d refund of %(total)s in all to send.",
            "%(refunds)d refunds of %(total)s in all to send.",
            refunds,
        ) % {
            "refunds": refunds,
            "total": format_money(self.refund_total, self.campaign.shop.currency),
        }


# --- cancelling ---------------------------------------------------------------------------------


def cancel_order(*, order: Order, actor, reason: str, refund: bool = True) -> Cancellation:
    """Cancel an order: its units go back on sale and what it paid is put on the refunds list.

    Rules: a reason is required (the buyer reads it); only an order that may still be cancelled
    (not shipped, completed, expired or already cancelled), checked under its row lock, so two
    taps cancel it once; the refund is what the order paid, less refunds already waiting, and
    none is made when nothing was received or `refund` is False. The buyer is emailed once the
    cancellation commits.
    """
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = _lock_order(order)
        cancellation = _cancel(locked, actor=actor, reason=reason, refund=refund)
        complete_campaign_when_done(locked.campaign, actor=actor)
    order.status = locked.status
    return cancellation


def fail_campaign(*, campaign: Campaign, actor, reason: str) -> CampaignStopped:
    """The minimum was missed: the campaign fails, every active order is cancelled and what
    each paid is refunded (DESIGN.md, Campaign life).

    Rules: a reason is required; only a published campaign whose order window has closed (or
    sold out) with fewer confirmed units than its minimum. Everything in one transaction, under
    the campaign's and then each order's row lock: two people deciding at once decide once.
    """
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = _lock_campaign(campaign)
        if (
            locked.status != Campaign.Status.PUBLISHED
            or locked.phase_at(timezone.now()) not in DECIDING_PHASES
        ):
            raise CancelRefused(
                _(
                    "Only a published campaign whose order window has closed can be marked "
                    "failed; this one is “%(phase)s”. Nothing changed."
                )
                % {"phase": locked.phase.label}
            )
        confirmed = confirmed_units(locked)
        if confirmed >= locked.min_quantity:
            raise CancelRefused(
                _(
                    "%(confirmed)d units are confirmed and the minimum is %(minimum)d: this "
                    "campaign did not fail. Nothing changed."
                )
                % {"confirmed": confirmed, "minimum": locked.min_quantity}
            )
        stopped = _stop(locked, to=Campaign.Status.FAILED, actor=actor, reason=reason)
    campaign.status = stopped.campaign.status
    return stopped


def cancel_campaign(*, campaign: Campaign, actor, reason: str) -> CampaignStopped:
    """Cancel a campaign before shipping: every active order is cancelled and what each paid
    is refunded (DESIGN.md, Campaign life).

    Rules: a reason is required; a published campaign, or one in production or collecting its
    balances, and none of its orders shipped yet. One transaction, as for fail_campaign.
    """
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = _lock_campaign(campaign)
        if Campaign.Status.CANCELLED not in CAMPAIGN_MOVES[locked.status]:
            raise CancelRefused(
                _("A campaign that is “%(status)s” cannot be cancelled. Nothing changed.")
                % {"status": locked.get_status_display()}
            )
        stopped = _stop(locked, to=Campaign.Status.CANCELLED, actor=actor, reason=reason)
    campaign.status = stopped.campaign.status
    return stopped


def cancel_unpaid_balance(*, order: Order, actor) -> Cancellation:
    """Cancel an order whose balance was not paid in time, keeping or refunding the deposit as
    the campaign's PO terms say (`Campaign.late_balance`).

    Rules: the order is waiting for its balance and its due date has passed; no payment of it is
    waiting for review (the buyer may have paid at the last minute). When the deposit is kept,
    anything paid beyond it is still refunded; otherwise everything paid is.
    """
    with transaction.atomic():
        locked = _lock_order(order)
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
        with translation.override(locked.language):
            reason = _("The balance was not paid by %(due)s.") % {
                "due": _local(locked.balance_due_at, campaign.shop.time_zone)
            }
            if kept > 0:
                reason += " " + _("The deposit of %(kept)s is kept, as the PO terms say.") % {
                    "kept": format_money(kept, locked.currency)
                }
            elif not keep:
                reason += " " + _("The deposit is refunded, as the PO terms say.")
        cancellation = _cancel(locked, actor=actor, reason=reason, kept=kept)
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
        zone = locked.campaign.shop.time_zone
        if locked.balance_due_at is not None and due_at <= locked.balance_due_at:
            raise BalanceRefused(
                _("Choose a date after the current due date, %(due)s.")
                % {"due": _local(locked.balance_due_at, zone)}
            )
        locked.balance_due_at = due_at
        # The reminder before the old deadline is spent; the new one gets its own (`tick`).
        locked.balance_reminded_at = None
        locked.save(update_fields=["balance_due_at", "balance_reminded_at", "updated_at"])
        with translation.override(locked.language):
            note = _("Balance due date moved to %(due)s.") % {"due": _local(due_at, zone)}
        OrderEvent.objects.create(order=locked, kind=OrderEvent.Kind.NOTE, actor=actor, note=note)
    order.balance_due_at = due_at
    order.balance_reminded_at = None
    return locked


# --- refunds ------------------------------------------------------------------------------------


def refund_order(*, order: Order, actor, reason: str, amount: Decimal | None = None) -> Refund:
    """Send back money an order that stopped still holds (a deposit short of the full amount on
    an expired order, a kept deposit the seller returns after all).

    Rules: a reason is required; the order is cancelled or expired (an active order is cancelled
    with cancel_order instead); the amount, all that is refundable when not given, is more than
    zero and at most what the order paid less the refunds already waiting, checked under the
    order's row lock, so refunds asked for at the same moment never add up to more than was paid.
    """
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("campaign__shop")
            .get(pk=order.pk)
        )
        if locked.status in Order.ACTIVE:
            raise RefundRefused(
                _("Order %(code)s is “%(status)s”: cancel it to refund it.")
                % {"code": locked.code, "status": locked.get_status_display()}
            )
        if amount is None:
            amount = refundable(locked)
            if amount <= 0:
                raise RefundRefused(
                    _("Order %(code)s holds no money to refund.") % {"code": locked.code}
                )
        return _add_refund(locked, amount=amount, reason=reason, actor=actor)


def refund_late_payment(*, order: Order, amount: Decimal, actor) -> Refund | None:
    """A payment verified for an order that had already stopped goes straight back.

    Called by payments.services.verify_payment inside its transaction, with the order locked.
    """
    if order.status in Order.ACTIVE:
        return None
    amount = min(amount, refundable(order))
    if amount <= 0:
        return None
    with translation.override(order.language):
        reason = _("Payment received after the order was %(status)s.") % {
            "status": str(order.get_status_display()).lower()
        }
    return _add_refund(order, amount=amount, reason=reason, actor=actor)


def give_refund_details(*, refund: Refund, bank: str, account_number: str, holder: str) -> Refund:
    """The buyer says where their refund should go; they may correct it until it is sent.

    Rules: all three are required (bank or e-wallet, account or phone number, holder's name);
    the number is digits, at least five, written with spaces, dots or dashes as people do; a
    refund already sent keeps the details it was sent to.
    """
    bank, number, holder = _check_details(bank, account_number, holder)
    with transaction.atomic():
        locked = Refund.objects.select_for_update().select_related("order").get(pk=refund.pk)
        if locked.status == Refund.Status.SENT:
            raise RefundAlreadySent(
                _("This refund has already been sent; its details can no longer change.")
            )
        changed = locked.has_bank_details
        locked.bank, locked.account_number, locked.account_holder = bank, number, holder
        locked.save(update_fields=["bank", "account_number", "account_holder"])
        order = locked.order
        with translation.override(order.language):
            note = (
                _("The buyer changed the bank details for the refund of %(amount)s.")
                if changed
                else _("The buyer gave the bank details for the refund of %(amount)s.")
            ) % {"amount": format_money(locked.amount, order.currency)}
        OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.REFUND, note=note)
    return locked


def mark_refund_sent(*, refund: Refund, reference: str, proof_upload=None, actor) -> Refund:
    """The seller transferred the refund: record the bank's reference (and a screenshot).

    Rules: the reference is required (at most 100 characters); the proof, when given, is a
    JPEG, PNG or WebP picture stored re-encoded in private storage, as payment proofs are; a
    refund is marked sent once (its row is locked, so a second click is refused and changes
    nothing). From then on it is taken off what the order paid. The buyer is emailed.
    """
    reference = " ".join((reference or "").split())
    if not reference:
        raise InvalidRefund(
            _("Enter the transfer's reference, as your bank shows it."), field="reference"
        )
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise InvalidRefund(
            _("The reference is at most %(n)d characters.") % {"n": MAX_REFERENCE_LENGTH},
            field="reference",
        )
    image = None
    if proof_upload:
        try:
            image = open_upload(proof_upload)
        except ValidationError as error:
            raise InvalidRefund(error.messages[0], field="proof") from error

    stored = []
    try:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(of=("self",))
                .select_related("campaign__shop")
                .get(pk=refund.order_id)
            )
            locked = Refund.objects.select_for_update().get(pk=refund.pk)
            if locked.status == Refund.Status.SENT:
                raise RefundAlreadySent()
            if image is not None:
                content = encode(image, REFUND_PROOF_SIZE)
                locked.proof.save(content.name, content, save=False)
                stored.append(locked.proof)
            locked.status = Refund.Status.SENT
            locked.reference = reference
            locked.sent_at = timezone.now()
            locked.sent_by = actor
            locked.save(update_fields=["status", "reference", "sent_at", "sent_by", "proof"])
            with translation.override(order.language):
                note = _("Refund of %(amount)s sent, reference %(reference)s.") % {
                    "amount": format_money(locked.amount, order.currency),
                    "reference": reference,
                }
            OrderEvent.objects.create(
                order=order, kind=OrderEvent.Kind.REFUND, actor=actor, note=note
            )
            locked.order = order
            emails.refund_sent(locked)
    except BaseException:
        # The picture is written before the row; a refusal or a failed save leaves none behind.
        for file in stored:
            file.storage.delete(file.name)
        raise
    return locked


# --- the steps ------------------------------------------------------------------------------------


def _cancel(
    order: Order,
    *,
    actor,
    reason: str,
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
            made = _add_refund(
                order,
                amount=available - kept,
                reason=reason,
                actor=actor,
                available=available,
                first=True,
            )
    emails.order_cancelled(order, reason=reason, refund=made)
    return Cancellation(order=order, refund=made)


def _stop(campaign: Campaign, *, to: str, actor, reason: str) -> CampaignStopped:
    """Move a locked campaign to failed or cancelled and cancel every active order of it."""
    # What each may refund is read with the lock, in the same query: nothing can change it until
    # commit (a payment verified meanwhile waits for the campaign's lock).
    orders = list(
        Order.objects.select_for_update(of=("self",))
        .select_related("campaign__shop")
        .filter(campaign=campaign, status__in=Order.ACTIVE)
        .annotate(available=refundable_sql())
        .order_by("pk")
    )
    if shipped := [order.code for order in orders if not _cancellable(order)]:
        raise CancelRefused(
            _(
                "Orders %(codes)s have already shipped, so this campaign can no longer be "
                "stopped. Nothing changed."
            )
            % {"codes": ", ".join(shipped)}
        )
    moved = move_campaign(campaign=campaign, to=to, actor=actor, note=reason)
    cancellations = [
        _cancel(order, actor=actor, reason=reason, available=order.available) for order in orders
    ]
    stopped = CampaignStopped(campaign=moved, cancellations=cancellations)
    CampaignEvent.objects.create(
        campaign=moved, kind=CampaignEvent.Kind.NOTE, actor=actor, note=stopped.summary()
    )
    return stopped


def _cancellable(order: Order) -> bool:
    return Order.Status.CANCELLED in ORDER_MOVES[order.status]


def _add_refund(
    order: Order,
    *,
    amount: Decimal,
    reason: str,
    actor,
    available: Decimal | None = None,
    first: bool = False,
) -> Refund:
    """Ask for a refund of a locked order, within what it may still refund (`available`, when
    the caller read it under the same lock). `first`: the order's first refund, as for an order
    that was active until now, so there is no earlier account to reuse."""
    if amount <= 0:
        raise RefundRefused(_("A refund is more than zero."))
    available = refundable(order) if available is None else available
    if amount > available:
        raise RefundTooLarge(
            _(
                "Order %(code)s has %(available)s left to refund: a refund of %(amount)s would "
                "be more than it paid."
            )
            % {
                "code": order.code,
                "available": format_money(max(available, ZERO), order.currency),
                "amount": format_money(amount, order.currency),
            }
        )
    # The account the buyer gave for an earlier refund of this order, if any: asked once.
    earlier = (
        None
        if first
        else order.refunds.exclude(account_number="").order_by("-created_at", "-id").first()
    )
    refund = Refund.objects.create(
        order=order,
        amount=amount,
        reason=reason[:MAX_REASON_LENGTH],
        bank=earlier.bank if earlier else "",
        account_number=earlier.account_number if earlier else "",
        account_holder=earlier.account_holder if earlier else "",
    )
    with translation.override(order.language):
        note = _("Refund of %(amount)s to send back to the buyer.") % {
            "amount": format_money(amount, order.currency)
        }
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.REFUND, actor=actor, note=note)
    return refund


def _lock_campaign(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.select_for_update(of=("self",)).select_related("shop").get(pk=campaign.pk)
    )


def _lock_order(order: Order) -> Order:
    # Campaign first (cancelling gives its units back), then the order.
    Campaign.objects.select_for_update().filter(pk=order.campaign_id).exists()
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("campaign__shop")
        .get(pk=order.pk)
    )


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReason(_("Say why: the buyer reads it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidReason(_("The reason is at most %(n)d characters.") % {"n": MAX_REASON_LENGTH})
    return reason


def _check_details(bank: str, number: str, holder: str) -> tuple[str, str, str]:
    bank, holder = " ".join((bank or "").split()), " ".join((holder or "").split())
    number = " ".join((number or "").split())
    if not bank or len(bank) > 60:
        raise InvalidRefund(_("Enter the bank or e-wallet (at most 60 characters)."), field="bank")
    if (
        not ACCOUNT_NUMBER.fullmatch(number)
        or len(re.sub(r"\D", "", number)) < MIN_ACCOUNT_DIGITS
        or len(number) > 40
    ):
        raise InvalidRefund(
            _("Enter the account number (or the e-wallet's phone number) in digits."),
            field="account_number",
        )
    if not holder or len(holder) > 100:
        raise InvalidRefund(
            _("Enter the account holder's name (at most 100 characters)."), field="holder"
        )
    return bank, number, holder


def _local(moment: datetime, zone: str) -> str:
    return date_format(timezone.localtime(moment, ZoneInfo(zone)), "DATETIME_FORMAT")
