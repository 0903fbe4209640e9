"""The seller sets or changes one order's ongkir: where the shop quotes each order by hand, or
to correct a rate (a heavier parcel, a remote island). Ongkir is paid with the balance, so the
balance moves with it."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from kernel.money import quantize
from kernel.sentences import money, say, verbatim
from orders import emails, tally
from orders.models import Order, OrderEvent, TransferAmount
from orders.services.transfer_codes import claim_transfer_amount
from orders.services.transitions import move_order
from payments.exceptions import InvalidAmount, PaymentRefused
from payments.services.decisions import finish_order
from payments.services.ledger import amount_paid, still_owed
from payments.services.payments import MAX_AMOUNT
from payments.services.refunds import check_reason

# Ongkir is still to pay in these: the balance (which carries it) is not settled yet.
OPEN = (
    Order.Status.PENDING,
    Order.Status.CONFIRMED,
    Order.Status.IN_PRODUCTION,
    Order.Status.AWAITING_BALANCE,
)


def set_shipping_fee(*, order: Order, fee: Decimal, reason: str, actor) -> Order:
    """Give `order` the ongkir `fee`, with the reason its buyer reads on their page.

    Rules: the order's balance is not settled yet (OPEN); the fee is zero or more, in the
    currency's units; a reason is needed to change an ongkir already set (the first one set by
    hand needs none); the order's total may not fall below what it has already paid (refund
    instead). The balance changes by the difference (a full payment still to send, which
    carries the ongkir, shrinks instead); an order awaiting its balance gets its new
    exact amount to transfer and the balance e-mail again, or is paid in full when it now owes
    nothing. One transaction under the order's lock.
    """
    if not isinstance(fee, Decimal) or not fee.is_finite() or fee < 0 or fee > MAX_AMOUNT:
        raise InvalidAmount(_("Enter the ongkir in numbers: zero or more."))
    if quantize(fee, order.currency) != fee:
        raise InvalidAmount(_("Enter the ongkir without decimals the currency does not have."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().select_related("campaign__shop").get(pk=order.pk)
        if locked.status not in OPEN:
            raise PaymentRefused(
                _("This order's balance is settled: its ongkir can no longer change.")
            )
        reason = (reason or "").strip()
        if reason or not locked.shipping_pending:
            reason = check_reason(reason)
        if fee == locked.shipping_fee and not locked.shipping_pending:
            raise InvalidAmount(_("That is already this order's ongkir."))
        paid = amount_paid(locked)
        if locked.total - locked.shipping_fee + fee < paid:
            raise InvalidAmount(
                _("The buyer has already paid more than that. Refund the difference instead.")
            )
        old = locked.shipping_fee
        was_pending = locked.shipping_pending
        amounts = {"deposit": locked.deposit_amount, "balance": locked.balance_amount}
        locked.balance_amount += fee - old
        if locked.balance_amount < 0:
            # A full payment carried the old ongkir: only a payment still to send can shrink.
            if locked.status != Order.Status.PENDING:
                raise InvalidAmount(
                    _("The buyer has already paid more than that. Refund the difference instead.")
                )
            locked.deposit_amount += locked.balance_amount
            locked.balance_amount = 0
            claim_transfer_amount(
                order=locked, kind=TransferAmount.Kind.DEPOSIT, owed=locked.deposit_amount - paid
            )
        locked.shipping_fee = fee
        locked.shipping_pending = False
        locked.save(
            update_fields=[
                "deposit_amount",
                "balance_amount",
                "shipping_fee",
                "shipping_pending",
                "updated_at",
            ]
        )
        tally.amounts_changed(locked, **amounts)
        fees = {"new": money(fee, locked.currency), "old": money(old, locked.currency)}
        if was_pending:
            note = say("Ongkir set: %(new)s.", **fees)
        else:
            note = say("Ongkir changed from %(old)s to %(new)s.", **fees)
        if reason:
            note += verbatim(reason)
        OrderEvent.objects.create(order=locked, kind=OrderEvent.Kind.NOTE, note=note, actor=actor)
        if locked.status == Order.Status.AWAITING_BALANCE:
            _balance_moved(locked, paid=paid, actor=actor)
        elif was_pending and _waits_for_ongkir(locked):
            finish_order(locked, actor=actor)
    return locked


def _waits_for_ongkir(order: Order) -> bool:
    """In production while the campaign has finished: it joined late, its ongkir unset."""
    return (
        order.status == Order.Status.IN_PRODUCTION
        and order.campaign.status == Campaign.Status.READY
    )


def _balance_moved(order: Order, *, paid: Decimal, actor) -> None:
    owed = still_owed(order, TransferAmount.Kind.BALANCE, paid=paid)
    if owed <= 0:
        note = say("With the new ongkir, your order is paid in full.")
        move_order(order=order, to=Order.Status.PAID, actor=actor, note=note)
        return
    claim_transfer_amount(order=order, kind=TransferAmount.Kind.BALANCE, owed=owed)
    emails.balance_due(order, amount=owed)
