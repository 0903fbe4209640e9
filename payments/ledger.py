"""What an order has paid and what it still owes: the one place for payment arithmetic.

Paid = the amounts received of verified payments (DESIGN.md, Money). Refunds sent will be
subtracted here, in both `amount_paid` and `paid_in`, when they exist.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from orders.models import Order
from payments.models import Payment

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
    """What the order has paid so far, summed in SQL."""
    return Payment.objects.filter(order=order, status=Payment.Status.VERIFIED).aggregate(
        paid=Sum("amount_received", default=ZERO)
    )["paid"]


def paid_in(payments: Iterable[Payment]) -> Decimal:
    """The same sum over an order's payments already loaded, for pages that list them anyway."""
    return sum((p.amount_received for p in payments if p.status == Payment.Status.VERIFIED), ZERO)


def target(order: Order, kind: str) -> Decimal:
    """What `paid` must reach for a payment of `kind` to complete its step.

    The balance completes the whole order, so it counts everything paid, deposit included.
    """
    return order.deposit_amount if kind == Payment.Kind.DEPOSIT else order.subtotal


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
