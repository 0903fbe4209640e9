"""The refund tests' world: an order with its deposit verified and, once cancelled, the refund to
send back."""

from decimal import Decimal

import pytest

from orders.models import Order
from payments.models import Refund
from payments.services.cancellations import cancel_order
from payments.services.payments import verify_payment
from tests.payments.conftest import send

S = Order.Status


@pytest.fixture
def confirmed_order(pending_order, owner) -> Order:
    """One Green tote, its Rp 75.000 down payment received: confirmed."""
    verify_payment(
        payment=send(pending_order, "75000"), amount_received=Decimal(75000), actor=owner
    )
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    return pending_order


@pytest.fixture
def refund_to_send(confirmed_order, owner) -> Refund:
    """The confirmed order cancelled: Rp 75.000 to send back, no bank details yet."""
    return cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed").refund
