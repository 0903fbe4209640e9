"""What buyers are told by email about their payments; each sends after the transaction commits."""

from decimal import Decimal

from django.utils import translation

from kernel.clock import shop_time
from kernel.money import format_money
from kernel.sentences import Sentence
from orders.emails import send_to_buyer
from orders.models import Order
from payments.models import Payment, Refund
from payments.services.ledger import amount_paid, payment_due


def payment_received(payment: Payment, order: Order, *, paid: Decimal | None = None) -> None:
    """The seller verified the payment; says what is still to send, or where the order stands.

    `order` is the order as the verification left it (locked, status already moved on); `paid`,
    what it has paid now, when the caller knows it.
    """
    due = payment_due(order, paid=amount_paid(order) if paid is None else paid)
    still = due.to_send if due is not None and due.kind == payment.kind else None
    with translation.override(order.language):
        status = str(order.get_status_display())
    send_to_buyer(
        order,
        "payment_received",
        **_payment_context(payment, order, payment.amount_received),
        still_to_send=format_money(still, order.currency) if still is not None else "",
        status=status,
    )


def payment_rejected(payment: Payment) -> None:
    """The seller refused the payment; the buyer reads the seller's reason."""
    order = payment.order
    due = order.deposit_due_at if payment.kind == Payment.Kind.DEPOSIT else order.balance_due_at
    send_to_buyer(
        order,
        "payment_rejected",
        **_payment_context(payment, order, payment.amount),
        reason=payment.reject_reason,
        pay_by=shop_time(order.campaign.shop, due, order.language) if due else "",
    )


def _payment_context(payment: Payment, order: Order, amount) -> dict:
    with translation.override(order.language):
        kind = str(payment.get_kind_display()).lower()
    return {"amount": format_money(amount, order.currency), "kind": kind}


def order_cancelled(order: Order, *, reason: Sentence | str, refund: Refund | None) -> None:
    """The order was cancelled (alone, or with its campaign): why, and the refund to come."""
    with translation.override(order.language):
        reason = str(reason)
    send_to_buyer(
        order,
        "order_cancelled",
        reason=reason,
        refund=format_money(refund.amount, order.currency) if refund is not None else "",
    )


def refund_sent(refund: Refund) -> None:
    """The seller sent the refund: how much, when, to which account, with the bank's reference."""
    order = refund.order
    send_to_buyer(
        order,
        "refund_sent",
        amount=format_money(refund.amount, order.currency),
        sent_on=shop_time(order.campaign.shop, refund.sent_at, order.language),
        reference=refund.reference,
        account=f"{refund.bank} {refund.account_number}".strip(),
    )
