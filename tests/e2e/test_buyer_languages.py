"""The buyer flow once in each language: the browser's language picks the page's, every label and
message follows, and the footer switch changes it. Screenshots: test-artifacts/e2e/lang-*.png."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from orders.models import Order
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

# Words a reader of each language sees, written out here rather than read from the catalogue,
# so the test fails if the pages fall back to English.
WORDS = {
    "en": {
        "terms": "PO terms",
        "place": "Place order",
        "pay": "Pay your down payment",
        "next": "What happens next",
        "placed": "Order placed",
    },
    "id": {
        "terms": "Ketentuan PO",
        "place": "Pesan sekarang",
        "pay": "Bayar DP kamu",
        "next": "Langkah selanjutnya",
        "placed": "Pesanan dibuat",
    },
}
BROWSER_LOCALE = {"en": "en-US", "id": "id-ID"}


def label(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_buyer_orders_in_the_language_of_their_browser(
    language, browser, browser_context_args, demo_campaign_url, screenshot
):
    context = browser.new_context(**{**browser_context_args, "locale": BROWSER_LOCALE[language]})
    page = context.new_page()
    words = WORDS[language]
    try:
        page.goto(demo_campaign_url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("region", name=words["terms"])).to_be_visible()
        expect(page.locator(".prices")).to_contain_text("Rp 150.000")
        assert_no_horizontal_scroll(page)
        screenshot(f"lang-{language}-01-campaign", page)

        group = page.get_by_role("group", name=re.compile(r"^Hijau sage\b"))
        group.get_by_label(label(language, "Quantity")).fill("1")
        group.get_by_role("textbox").fill("Putih, “AYU”")
        page.get_by_label(label(language, "Your name")).fill("Ayu Lestari")
        page.get_by_label(label(language, "WhatsApp number")).fill("0812 1111 2222")
        page.get_by_label(label(language, "Email")).fill(f"ayu-{language}@example.com")
        page.get_by_label(label(language, "City or regency")).fill("Kota Depok, Jawa Barat")
        page.get_by_label(label(language, "Shipping address")).fill("Jl. Melati 3, Depok")
        page.get_by_role("button", name=words["place"]).click()

        expect(page).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
        order = Order.objects.get(buyer_email=f"ayu-{language}@example.com")
        # the order remembers the language: its emails and the seller's WhatsApp use it
        assert order.language == language
        pay = page.get_by_role("region", name=words["pay"])
        expect(pay.locator(".amount")).to_have_text("Rp 75.000")
        timeline = page.get_by_role("region", name=words["next"])
        expect(timeline.get_by_role("listitem").first).to_contain_text(words["placed"])
        assert_no_horizontal_scroll(page)
        screenshot(f"lang-{language}-02-order", page)
    finally:
        context.close()


def test_the_footer_switch_changes_the_language_and_keeps_the_page(
    page: Page, demo_campaign_url, screenshot
):
    page.goto(demo_campaign_url)
    expect(page.get_by_role("region", name=WORDS["en"]["terms"])).to_be_visible()

    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change").click()

    expect(page).to_have_url(demo_campaign_url)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("region", name=WORDS["id"]["terms"])).to_be_visible()
    # and it stays for the next page
    page.reload()
    expect(page.get_by_role("button", name=WORDS["id"]["place"])).to_be_visible()
    screenshot("lang-switched")
