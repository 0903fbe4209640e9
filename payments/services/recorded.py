"""Money the seller saw arrive without a proof from the buyer: a transfer seen in the bank app,
cash at a bazaar, part of a payment. Recorded on the order, then credited like every other way
money comes in (payments/services/crediting.py)."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.clock import shop_day
from kernel.images import open_upload
from orders.models import Order
from payments.exceptions import InvalidAmount, InvalidProof, PaymentRefused, PaymentWaiting
from payments.models import Payment
from payments.services.crediting import check_creditable, credit_payment, lock_for_credit
from payments.services.ledger import amount_paid
from payments.services.payments import attach_proof, check_received


def record_payment(
    *,
    order: Order,
    amount: Decimal,
    received_on: date,
    method: str,
    actor,
    proof_upload=None,
) -> Payment:
    """Record money the seller received for an order, and credit it.

    Rules: the amount is positive, in the currency's units, and within what the whole order still
    owes plus its unique code (a part of a payment is fine: the order page then shows what is
    left); the day it arrived is not in the future (the shop's time zone) nor before the order
    was placed; the method is transfer, cash or other; the proof, when given, is a picture stored
    as buyers' proofs are. The order waits for money and has no proof waiting for review (that
    may be this very money: review it first). One transaction under the order's lock, so a double
    tap records once; a refusal stores nothing.
    """
    check_received(
        amount,
        order.currency,
        refusal=InvalidAmount,
        nothing=_("Enter the amount that arrived: more than zero."),
    )
    if method not in Payment.Method.values:
        raise PaymentRefused(_("Choose how the money arrived."), field="method")
    shop = order.campaign.shop
    today = timezone.localdate(timezone=ZoneInfo(shop.time_zone))
    placed = timezone.localdate(order.created_at, timezone=ZoneInfo(shop.time_zone))
    if not isinstance(received_on, date) or received_on > today:
        raise PaymentRefused(
            _("Enter the day the money arrived: today or earlier."), field="received_on"
        )
    if received_on < placed:
        raise PaymentRefused(
            _("The order was placed on %(placed)s: its money cannot have arrived before that.")
            % {"placed": shop_day(placed)},
            field="received_on",
        )
    image = None
    if proof_upload:
        try:
            image = open_upload(proof_upload)
        except ValidationError as error:
            raise InvalidProof(error.messages[0], field="proof") from error

    stored: list = []
    try:
        with transaction.atomic():
            order = lock_for_credit(order.pk)
            paid = amount_paid(order)
            due = check_creditable(order, amount, paid=paid)
            if order.payments.filter(status=Payment.Status.SUBMITTED).exists():
                raise PaymentWaiting(
                    _(
                        "A proof of this order is waiting for your review: verify or reject it "
                        "first, as it may be this very money."
                    )
                )
            payment = Payment(
                order=order,
                kind=due.kind,
                source=Payment.Source.RECORDED,
                method=method,
                amount=amount,
                unique_code=order.transfer_code,
                received_on=received_on,
            )
            if image is not None:
                stored += attach_proof(payment, image)
            return credit_payment(
                order=order, payment=payment, amount=amount, actor=actor, paid_before=paid
            )
    except BaseException:
        # The pictures are written before the row; a refusal leaves none behind.
        for file in stored:
            file.storage.delete(file.name)
        raise
