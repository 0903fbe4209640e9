"""Where the refund screens live, orders that paid their deposit, and what a refused request must
leave as it was."""

from decimal import Decimal

from orders.models import Order
from payments.services.payments import verify_payment
from tests.factories import make_buyer, make_order
from tests.payments.conftest import NOTE, send

REFUNDS = "/dashboard/rajut/refunds/"
BALANCES = "/dashboard/rajut/balances/"


def paid_order(campaign, owner, n: int = 1, *, paid: int = 75000) -> Order:
    order = make_order(campaign, note=NOTE, buyer=make_buyer(n, name=f"Buyer {n}"))
    verify_payment(payment=send(order, str(paid)), amount_received=Decimal(paid), actor=owner)
    order.refresh_from_db()
    return order


def state(order: Order):
    order.refresh_from_db()
    return (
        order.status,
        order.balance_due_at,
        order.events.count(),
        list(order.refunds.values_list("status", "reference", "account_number", "proof")),
    )
