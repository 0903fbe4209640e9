"""Sending money back: a refund is asked for, the buyer says where it goes, the seller marks it
sent; and a payment that arrives after its order stopped goes straight back.

Each function is one transaction. Money goes back as a Refund: pending when asked for, sent once
the seller has transferred it and typed the bank's reference. A refund is asked for under the
order's row lock and never for more than the order still has to refund (paid, less the refunds
already waiting: payments/services/ledger.py), so refunds never exceed what was paid. Refunds are
only ever made for orders that stopped (cancelled or expired), so an active order's ledger is its
payments alone.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.images import encode, open_upload
from kernel.money import format_money
from kernel.sentences import Sentence, money, say, word
from orders.models import Order, OrderEvent
from payments import emails
from payments.exceptions import (
    InvalidReason,
    InvalidRefund,
    RefundAlreadySent,
    RefundRefused,
    RefundTooLarge,
)
from payments.models import Refund
from payments.services.ledger import ZERO, refundable

MAX_REASON_LENGTH = 500

MAX_REFERENCE_LENGTH = 100

# A screenshot of the banking app stays readable; stored like payment proofs.
REFUND_PROOF_SIZE = (1600, 2400)

# An account number or an e-wallet's phone number, as people write them.
ACCOUNT_NUMBER = re.compile(r"\+?[0-9][0-9 .\-]*")

MIN_ACCOUNT_DIGITS = 5


def refund_order(*, order: Order, actor, reason: str, amount: Decimal | None = None) -> Refund:
    """Send back money an order that stopped still holds (a deposit short of the full amount on
    an expired order, a kept deposit the seller returns after all).

    Rules: a reason is required; the order is cancelled or expired (an active order is cancelled
    with cancel_order instead); the amount, all that is refundable when not given, is more than
    zero and at most what the order paid less the refunds already waiting, checked under the
    order's row lock, so refunds asked for at the same moment never add up to more than was paid.
    """
    reason = check_reason(reason)
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
        return add_refund(locked, amount=amount, reason=reason, actor=actor)


def refund_late_payment(*, order: Order, amount: Decimal, actor) -> Refund | None:
    """A payment verified for an order that had already stopped goes straight back.

    Called by payments.services.payments.verify_payment inside its transaction, with the order
    locked."""
    if order.status in Order.ACTIVE:
        return None
    amount = min(amount, refundable(order))
    if amount <= 0:
        return None
    reason = say(
        "Payment received after the order was %(status)s.",
        status=word(order.get_status_display(), lower=True),
    )
    return add_refund(order, amount=amount, reason=reason, actor=actor)


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
        amount = money(locked.amount, order.currency)
        note = (
            say("The buyer changed the bank details for the refund of %(amount)s.", amount=amount)
            if changed
            else say("The buyer gave the bank details for the refund of %(amount)s.", amount=amount)
        )
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
            note = say(
                "Refund of %(amount)s sent, reference %(reference)s.",
                amount=money(locked.amount, order.currency),
                reference=reference,
            )
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


def add_refund(
    order: Order,
    *,
    amount: Decimal,
    reason: Sentence | str,
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
        reason=reason,
        bank=earlier.bank if earlier else "",
        account_number=earlier.account_number if earlier else "",
        account_holder=earlier.account_holder if earlier else "",
    )
    note = say(
        "Refund of %(amount)s to send back to the buyer.", amount=money(amount, order.currency)
    )
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.REFUND, actor=actor, note=note)
    return refund


def check_reason(reason: str) -> str:
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
