"""The decision tests' world: `seller` is here the shop's owner deciding through the services (not
the logged-in client), and batik scarves wait for their minimum."""

import pytest

from tests.factories import make_campaign


@pytest.fixture
def seller(shop):
    return shop.owner


@pytest.fixture
def scarf(shop):
    """Batik scarves at Rp 150.000, 50 % down payment, minimum 3, balance due within 7 days."""
    return make_campaign(
        shop, title="Batik scarf", slug="scarf", min_quantity=3, capacity=None, balance_days=7
    )
