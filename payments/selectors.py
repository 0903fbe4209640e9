"""Reads for the payment pages, each in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from campaigns.models import Shop
from orders.models import Order
from payments.ledger import Due, paid_in, payment_due
from payments.models import Payment, PaymentAccount


def accounts_for_buyers(shop: Shop):
    return PaymentAccount.objects.filter(shop=shop, is_active=True)


@dataclass(frozen=True)
class OrderPayments:
    """An order's payments as its buyer sees them, and what is due next."""

    order: Order
    payments: list[Payment]
    paid: Decimal
    due: Due | None

    @property
    def waiting(self) -> Payment | None:
        """The payment waiting for the seller's review; none can be sent meanwhile."""
        return next((p for p in self.payments if p.status == Payment.Status.SUBMITTED), None)

    @property
    def can_pay(self) -> bool:
        return self.due is not None and self.waiting is None

    @property
    def deposit_received(self) -> bool:
        """A verified deposit covers the order's deposit (the status may not say so yet)."""
        return self.paid >= self.order.deposit_amount and any(
            p.kind == Payment.Kind.DEPOSIT and p.status == Payment.Status.VERIFIED
            for p in self.payments
        )


def order_payments(order: Order) -> OrderPayments:
    """In one query: the order's payments, oldest first, with what they add up to."""
    payments = list(order.payments.all())
    for payment in payments:
        payment.order = order  # already loaded: spare a query per payment
    paid = paid_in(payments)
    return OrderPayments(
        order=order, payments=payments, paid=paid, due=payment_due(order, paid=paid)
    )


def payments_to_review(shop: Shop) -> QuerySet[Payment]:
    """The shop's payments waiting for review, oldest first, with their orders and each order's
    other payments (for what is still owed): three queries whatever their number."""
    return (
        Payment.objects.filter(order__campaign__shop=shop, status=Payment.Status.SUBMITTED)
        .select_related("order__campaign")
        .prefetch_related(Prefetch("order__payments", queryset=Payment.objects.order_by()))
        .order_by("created_at", "id")
    )


def shop_payment(shop: Shop, payment_id: int) -> Payment:
    """One payment of the shop's orders; DoesNotExist for another shop's."""
    return Payment.objects.select_related("order").get(order__campaign__shop=shop, pk=payment_id)


def buyer_payment(token: str, payment_id: int) -> Payment:
    """One payment of the order behind `token`; DoesNotExist for any other."""
    return Payment.objects.get(order__token=token, pk=payment_id)
