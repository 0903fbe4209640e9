"""A buyer pays the down payment through the demo shop's fake gateway, in a real browser on a
phone: "Pay now" on the order page → the gateway's page → QRIS → back on the order, confirmed."""

import re

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Page, expect

from campaigns.models import Campaign
from orders.models import Order
from tests.e2e.conftest import CHROMIUM
from tests.factories import make_buyer, make_order

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]


@pytest.fixture
def fake_gateway_on(settings):
    """As under `make run`: the fake gateway allowed and a key for the shop's secrets."""
    settings.FAKE_GATEWAY = True
    settings.GATEWAY_KEYS_KEY = Fernet.generate_key().decode()


def test_buyer_pays_the_deposit_by_qris_and_the_order_confirms_itself(
    page: Page, fake_gateway_on, demo_campaign_url, live_server, screenshot
):
    tote = Campaign.objects.get(slug="custom-name-tote")
    # The demo shop charges ongkir by destination: a buyer in Bandung (paid with the balance).
    order = make_order(tote, note="Krem, “RINA”", buyer=make_buyer(destination="3273"))
    page.goto(f"{live_server.url}{order.get_absolute_url()}")

    # The order page offers to pay now, the fee passed on shown first (0.7 % of Rp 75.000).
    expect(page.get_by_text("Rp 75.000 + Rp 525 Fake gateway (demo) fee")).to_be_visible()
    screenshot("gateway-01-order-page")
    page.get_by_role("button", name=re.compile(r"^Pay Rp 75\.525 now with Fake gateway")).click()

    # The gateway's page: the amount, and how to pay.
    expect(page.get_by_role("heading", name="Fake gateway (demo)")).to_be_visible()
    expect(page.get_by_text("Rp 75.525")).to_be_visible()
    screenshot("gateway-02-gateway-page")
    page.get_by_role("button", name="Pay by QRIS").click()

    # Back on the order page: confirmed, no proof needed.
    expect(page.get_by_text("Paid through Fake gateway (demo).")).to_be_visible()
    screenshot("gateway-03-confirmed")
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
