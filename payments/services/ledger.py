"""What an order has paid and what it still owes: the one place for payment arithmetic.

Paid = the amounts received of verified payments − the refunds sent (DESIGN.md, Money), the same
in SQL (`amount_paid`, `paid_sql`) and over rows already loaded (`paid_in`). Refundable = paid −
the refunds still to send: what a new refund may take at most, so refunds never exceed what was
paid (payments/services/refunds.py asks for them under the order's row lock).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Expression, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from kernel.money import MONEY
from orders.models import Order
from payments.models import Payment, Refund

ZERO = Decimal(0)

# The order status that waits for each kind of payment, and where a complete one takes it.
WAITS_FOR = {
    Order.Status.PENDING: Payment.Kind.DEPOSIT,
    Order.Status.AWAITING_BALANCE: Payment.Kind.BALANCE,
}
STAGE = {
    Payment.Kind.DEPOSIT: (Order.Status.PENDING, Order.Status.CONFIRMED),
    Payment.Kind.BALANCE: (Order.Status.AWAITING_BALANCE, Order.Status.PAID),
}


def amount_paid(order: Order) -> Decimal:
    """What the order has paid so far, refunds sent taken off, summed in SQL (one query)."""
    return _one(order, paid_sql())


def refundable(order: Order) -> Decimal:
    """What may still be refunded: paid, less the refunds waiting to be sent (one query)."""
    return _one(order, refundable_sql())


def paid_in(payments: Iterable[Payment], refunds: Iterable[Refund]) -> Decimal:
    """The same as amount_paid over an order's payments and refunds already loaded, for pages
    that list them anyway."""
    received = sum(
        (p.amount_received for p in payments if p.status == Payment.Status.VERIFIED), ZERO
    )
    return received - sum((r.amount for r in refunds if r.status == Refund.Status.SENT), ZERO)


def refundable_in(payments: Iterable[Payment], refunds: Iterable[Refund]) -> Decimal:
    refunds = list(refunds)
    pending = sum((r.amount for r in refunds if r.status == Refund.Status.PENDING), ZERO)
    return paid_in(payments, refunds) - pending


def paid_sql(order: str = "pk") -> Expression:
    """`amount_paid` as an expression to annotate orders with: `.annotate(paid=paid_sql())`; or
    rows that name an order, with `order` the field that does (`paid_sql("order_id")`)."""
    return _total(Payment, "amount_received", order, status=Payment.Status.VERIFIED) - _total(
        Refund, "amount", order, status=Refund.Status.SENT
    )


def refundable_sql() -> Expression:
    """`refundable` as an expression to annotate a queryset of orders with."""
    return paid_sql() - _total(Refund, "amount", "pk", status=Refund.Status.PENDING)


def _total(model, field: str, order: str, **filters) -> Expression:
    rows = (
        model.objects.filter(order=OuterRef(order), **filters)
        .order_by()
        .values("order")
        .annotate(total=Sum(field))
        .values("total")
    )
    money = DecimalField(**MONEY)
    return Coalesce(Subquery(rows, output_field=money), Value(ZERO), output_field=money)


def _one(order: Order, expression: Expression) -> Decimal:
    value = Order.objects.filter(pk=order.pk).annotate(value=expression).values("value").get()
    return value["value"]


def target(order: Order, kind: str) -> Decimal:
    """What `paid` must reach for a payment of `kind` to complete its step.

    The balance completes the whole order, so it counts everything paid, deposit included, and
    carries the ongkir.
    """
    return order.deposit_amount if kind == Payment.Kind.DEPOSIT else order.total


def still_owed(order: Order, kind: str, *, paid: Decimal) -> Decimal:
    return max(target(order, kind) - paid, ZERO)


@dataclass(frozen=True)
class Due:
    """The payment an order waits for now."""

    kind: str  # a Payment.Kind
    amount: Decimal  # still owed for this step
    transfer_code: int  # the kode unik, added to every transfer, never to the price

    @property
    def to_send(self) -> Decimal:
        """The exact amount to transfer, unique code included."""
        return self.amount + self.transfer_code


def payment_due(order: Order, *, paid: Decimal) -> Due | None:
    """The deposit while the order is pending, the balance while it awaits it; else nothing."""
    kind = WAITS_FOR.get(order.status)
    if kind is None:
        return None
    owed = still_owed(order, kind, paid=paid)
    if owed <= 0:
        return None
    return Due(kind=kind, amount=owed, transfer_code=order.transfer_code)


def expected_amount(payment: Payment, *, paid: Decimal) -> Decimal:
    """What the seller should see arrive for a payment under review: the rest of its step plus
    the unique code the buyer was shown."""
    return still_owed(payment.order, payment.kind, paid=paid) + payment.unique_code
