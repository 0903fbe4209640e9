"""Fixtures the orders tests share: Sinta's order as the seller's screens show it, the shop's bank
account, and a check that a refused order wrote nothing."""

import pytest

from orders.models import Order
from payments.models import PaymentAccount
from tests.orders.placing import written
from tests.orders.seller_screens import order_of


@pytest.fixture
def sinta_order(open_campaign) -> Order:
    """Sinta's pending order: two Green with a name to print, one Navy."""
    return order_of(
        open_campaign,
        ("Green", 2, "Green, “SARI”"),
        ("Navy", 1, "Navy, “BUDI”"),
        name="Sinta Dewi",
        phone="+6281398765432",
        email="sinta@example.com",
        address="Jl. Melati 5\nBandung 40115",
    )


@pytest.fixture
def bank_account(shop):
    return PaymentAccount.objects.create(
        shop=shop, provider="BCA", number="1234567890", holder="Rajut Test"
    )


@pytest.fixture
def refused(open_campaign):
    """Check a refusal: `with refused(SoldOut, "Sold out"): ...` also proves nothing was written."""

    class Refusal:
        def __init__(self, kind, words, campaign=open_campaign):
            self.kind, self.words, self.campaign = kind, words, campaign

        def __enter__(self):
            self.before = written(self.campaign)
            self.raises = pytest.raises(self.kind, match=self.words)
            return self.raises.__enter__()

        def __exit__(self, *exc):
            swallowed = self.raises.__exit__(*exc)
            assert written(self.campaign) == self.before, "a refused order left something behind"
            return swallowed

    return Refusal
