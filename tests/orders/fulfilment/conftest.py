"""The fulfilment tests' world: `seller` is here the shop's owner acting through the services (not
the logged-in client), and enamel pins paid in full wait to ship."""

import pytest

from tests.factories import make_campaign
from tests.orders.production import paid_orders


@pytest.fixture
def seller(shop):
    return shop.owner


@pytest.fixture
def pins(shop):
    """Enamel pins paid in full up front, minimum 2."""
    return make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=2, capacity=None, deposit_rule="full"
    )


@pytest.fixture
def ready(pins, seller):
    """Production finished: three orders paid in full, waiting to ship."""
    return paid_orders(pins, 3, actor=seller)
