"""Ongkir in a real browser on a phone: the seller sets a zone's rates, then a buyer orders two
totes with a name each to a city picked from the list and reads the ongkir on their order.
Screenshots: test-artifacts/e2e/60-… to 62-…."""

import re

import pytest
from playwright.sync_api import Page, expect

from orders.models import Order
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll
from tests.factories import make_campaign, make_shop, make_user

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SELLER = "ongkir-seller"
SELLER_PASSWORD = "pw-for-tests-only"  # tests.factories.make_user's
CITY = "Kota Bandung, Jawa Barat"


def test_the_seller_sets_rates_and_a_buyer_pays_them_to_the_city_they_pick(
    page: Page, live_server, new_phone_page, screenshot
):
    shop = make_shop(name="Tas Laras", slug="tas-laras", owner=make_user(username=SELLER))
    campaign = make_campaign(
        shop,
        title="Name tote",
        slug="name-tote",
        note_prompt="Name to print",
        note_required=True,
        variants=[{"name": "Natural", "price": "90000", "weight_grams": 400}],
    )

    # --- the seller, on their phone, adds a zone for West Java and charges by destination
    seller = new_phone_page()
    seller.goto(live_server.url + "/accounts/login/")
    seller.get_by_label("Username").fill(SELLER)
    seller.get_by_label("Password").fill(SELLER_PASSWORD)
    seller.get_by_role("button", name="Log in").click()
    seller.goto(f"{live_server.url}/dashboard/{shop.slug}/shipping/")
    seller.get_by_label("Zone name").fill("West Java")
    seller.locator("summary", has_text="Provinces").click()
    seller.get_by_label("Jawa Barat").check()
    seller.get_by_label("Rate per order").fill("15.000")
    seller.get_by_label("Rate per kg").fill("5rb")
    seller.get_by_role("button", name="Add zone").click()
    expect(seller.locator("body")).to_contain_text("Zone “West Java” added.")
    seller.get_by_label("Rates by destination (and weight)").check()
    seller.get_by_role("button", name="Save", exact=True).click()
    expect(seller.locator("body")).to_contain_text("Ongkir settings saved.")
    assert_no_horizontal_scroll(seller)
    screenshot("60-ongkir-seller-rates", seller)

    # --- a buyer orders two totes, a name on each, to Bandung, picked from the list
    page.goto(live_server.url + campaign.get_absolute_url())
    expect(page.get_by_role("region", name="PO terms")).to_contain_text(
        "Jawa Barat: Rp 15.000 + Rp 5.000 per kg"
    )
    line = page.get_by_role("group", name=re.compile(r"^Natural\b"))
    line.get_by_label("Quantity").fill("2")
    notes = line.get_by_role("textbox", name=re.compile(r"^Name to print"))
    expect(notes).to_have_count(2)
    notes.nth(0).fill("SARI")
    notes.nth(1).fill("BUDI")
    page.get_by_label("Your name").fill("Sari Rahayu")
    page.get_by_label("WhatsApp number").fill("0812-3456-7890")
    page.get_by_label("Email").fill("sari@example.com")
    page.get_by_label("City or regency").fill("Kota Band")
    # the list offers the cities the shop ships to; the buyer takes Bandung from it
    expect(page.locator(f'datalist#destinations option[value="{CITY}"]')).to_have_count(1)
    page.get_by_label("City or regency").fill(CITY)
    page.get_by_label("Shipping address").fill("Jl. Kenanga 12")
    screenshot("61-ongkir-buyer-form")
    page.get_by_role("button", name="Place order").click()

    # --- their order: two units, two names, the ongkir of 800 g to Bandung in the balance
    expect(page).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
    order = Order.objects.get(buyer_email="sari@example.com")
    assert sorted(line.note for line in order.lines.all()) == ["BUDI", "SARI"]
    amounts = page.get_by_role("region", name="Your order").locator("dl.amounts")
    expect(amounts).to_contain_text(f"Destination{CITY}")
    expect(amounts).to_contain_text("OngkirRp 20.000")
    expect(amounts).to_contain_text("Balance, due after production" + "Rp 110.000")
    assert_no_horizontal_scroll(page)
    screenshot("62-ongkir-buyer-order")
