"""The refund screens' world: Buyer 1's order with its deposit paid and, once cancelled, the refund
to send back."""

import pytest

from orders.models import Order
from payments.models import Refund
from payments.services.cancellations import cancel_order
from tests.payments.refund_screens.screens import paid_order


@pytest.fixture
def confirmed_order(open_campaign, owner) -> Order:
    return paid_order(open_campaign, owner)


@pytest.fixture
def refund(confirmed_order, owner) -> Refund:
    """Rp 75.000 to send back for a cancelled order; no bank details yet."""
    return cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed").refund
