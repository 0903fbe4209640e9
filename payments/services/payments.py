"""A buyer's proof of payment and the seller's review of it. Each function is one transaction.

A verified proof is credited through payments/services/crediting.py, the one door every way money
comes in shares; it moves the order on through orders.services.transitions.move_order."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.images import encode, open_upload
from kernel.money import format_money, quantize
from kernel.sentences import money, say
from orders.models import Order, OrderEvent
from payments import emails
from payments.exceptions import (
    AlreadyReviewed,
    InvalidAmount,
    InvalidProof,
    InvalidReview,
    InvalidSender,
    NothingToPay,
    PaymentWaiting,
)
from payments.models import Payment
from payments.services.crediting import credit_payment, kind_word, lock_for_credit
from payments.services.ledger import amount_paid, payment_due, still_owed

# A phone screenshot of a banking app stays readable; the thumbnail is for the review queue.
PROOF_SIZE = (1600, 2400)
PROOF_THUMBNAIL_SIZE = (320, 480)
# What fits the money columns (14 digits, 2 decimals).
MAX_AMOUNT = Decimal("999999999999")
MAX_REASON_LENGTH = 500


def submit_payment(
    *, order: Order, amount: Decimal, sender_name: str, sender_bank: str, proof_upload
) -> Payment:
    """Record money a buyer says they sent, with the proof, to wait for the seller's review.

    Rules: the order is pending (the payment is for the deposit) or awaiting its balance (for
    the balance); no other payment of the order is waiting for review; the amount is positive,
    in the currency's units and at most what the whole order still owes plus its unique code;
    the proof is a JPEG, PNG or WebP picture (10 MB, 40 megapixels at most), stored re-encoded,
    without EXIF or GPS, under a random name in private storage. Nothing is stored when refused.
    """
    sender_name, sender_bank = _check_sender(sender_name, sender_bank)
    _check_amount_shape(amount, order.currency)
    # Refused early, before decoding a picture for an order that owes nothing.
    _kind_for(order, paid=amount_paid(order))
    try:
        image = open_upload(proof_upload)
    except ValidationError as error:
        raise InvalidProof(error.messages[0]) from error

    stored: list = []
    try:
        with transaction.atomic():
            # Locked: a double tap, or two tabs, record one payment, not two.
            order = Order.objects.select_for_update().get(pk=order.pk)
            paid = amount_paid(order)
            kind = _kind_for(order, paid=paid)
            if order.payments.filter(status=Payment.Status.SUBMITTED).exists():
                raise PaymentWaiting()
            _check_amount_limit(order, amount, paid)
            payment = Payment(
                order=order,
                kind=kind,
                amount=amount,
                unique_code=order.transfer_code,
                sender_name=sender_name,
                sender_bank=sender_bank,
            )
            stored += attach_proof(payment, image)
            payment.save()
            OrderEvent.objects.create(
                order=order,
                kind=OrderEvent.Kind.PAYMENT,
                note=say(
                    "Payment of %(amount)s sent for the %(kind)s.",
                    amount=money(amount, order.currency),
                    kind=kind_word(kind),
                ),
            )
    except BaseException:
        # The files are written before the row; a refusal or a failed insert leaves none behind.
        for file in stored:
            file.storage.delete(file.name)
        raise
    return payment


def attach_proof(payment: Payment, image) -> list:
    """Store the picture (re-encoded, and its thumbnail) on an unsaved payment; returns the
    files written, for the caller to delete if its transaction fails."""
    stored = []
    for file, box in (
        (payment.proof, PROOF_SIZE),
        (payment.proof_thumbnail, PROOF_THUMBNAIL_SIZE),
    ):
        content = encode(image, box)
        file.save(content.name, content, save=False)
        stored.append(file)
    return stored


def verify_payment(*, payment: Payment, amount_received: Decimal, actor) -> Payment:
    """Mark a proof as received, with the amount that arrived, and move the order on.

    Rules: only a payment waiting for review, once (the row is locked, so two people clicking
    at once verify it once); the amount received is positive and in the currency's units; the
    seller saw it arrive, so it counts whatever it is. The rest is crediting's, as for every way
    money comes in (payments/services/crediting.py: the order confirmed or paid, or what is
    missing said, production joined, a late payment refunded).
    """
    check_received(amount_received, payment.order.currency)
    with transaction.atomic():
        order = lock_for_credit(payment.order_id)
        payment = _lock_for_review(payment)
        return credit_payment(order=order, payment=payment, amount=amount_received, actor=actor)


def reject_payment(*, payment: Payment, reason: str, actor) -> Payment:
    """Refuse a payment (nothing arrived, wrong amount, unreadable proof); the buyer reads why.

    Rules: only a payment waiting for review, once (the row is locked); a reason is required.
    The order stays as it is, and the buyer can send a new payment.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReview(_("Say why the payment is rejected: the buyer reads it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidReview(_("The reason is at most %(n)d characters.") % {"n": MAX_REASON_LENGTH})
    with transaction.atomic():
        payment = _lock_for_review(payment)
        payment.status = Payment.Status.REJECTED
        payment.reject_reason = reason
        payment.reviewed_by = actor
        payment.reviewed_at = timezone.now()
        payment.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
        order = payment.order
        note = say(
            "Payment of %(amount)s for the %(kind)s rejected: %(reason)s",
            amount=money(payment.amount, order.currency),
            kind=kind_word(payment.kind),
            reason=reason,
        )
        OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.PAYMENT, actor=actor, note=note)
        emails.payment_rejected(payment)
    return payment


def _kind_for(order: Order, *, paid: Decimal) -> str:
    """The kind of payment the order waits for, or NothingToPay."""
    due = payment_due(order, paid=paid)
    if due is None:
        raise NothingToPay()
    return due.kind


def _lock_for_review(payment: Payment) -> Payment:
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.status != Payment.Status.SUBMITTED:
        raise AlreadyReviewed()
    return locked


def _check_sender(name: str, bank: str) -> tuple[str, str]:
    name, bank = (name or "").strip(), (bank or "").strip()
    if not name or not bank:
        raise InvalidSender(_("Enter the name and the bank or e-wallet the money was sent from."))
    if len(name) > 100 or len(bank) > 60:
        raise InvalidSender(_("The sender's name or bank is too long."))
    return name, bank


def _check_amount_shape(amount, currency: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise InvalidAmount(_("Enter the amount you sent, in numbers."))
    if amount <= 0:
        raise InvalidAmount(_("Enter the amount you sent: more than zero."))
    if amount > MAX_AMOUNT:
        raise InvalidAmount(_("That amount is too large. Check it and try again."))
    if quantize(amount, currency) != amount:
        raise InvalidAmount(_("Enter the amount exactly as sent, without extra decimals."))


def _check_amount_limit(order: Order, amount: Decimal, paid: Decimal) -> None:
    """A typo with an extra zero is caught here rather than by the seller."""
    limit = still_owed(order, Payment.Kind.BALANCE, paid=paid) + order.transfer_code
    if amount > limit:
        raise InvalidAmount(
            _(
                "That is more than the whole order still owes (%(limit)s). Check the amount; "
                "if you really sent more, tell the seller."
            )
            % {"limit": format_money(limit, order.currency)}
        )


def check_received(amount, currency: str, *, refusal=InvalidReview, nothing: str = "") -> None:
    """An amount the seller says arrived: a positive number in the currency's units. `nothing`
    is what a zero is told."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise refusal(_("Enter the amount that arrived, in numbers."))
    if amount == 0:
        raise refusal(nothing or _("Nothing arrived? Reject the payment instead, with the reason."))
    if amount > MAX_AMOUNT:
        raise refusal(_("That amount is too large. Check it and try again."))
    if quantize(amount, currency) != amount:
        raise refusal(_("Enter the amount exactly as received, without extra decimals."))
