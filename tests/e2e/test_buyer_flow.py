"""A buyer on a phone, in a real browser: campaign page → order form → private order page.

Fields are found by their labels and roles, as a screen reader user would find them, so these
tests also prove the form is labelled. Screenshots of every step go to test-artifacts/e2e/.
"""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect

from orders.models import Order
from tests.e2e.conftest import CHROMIUM, PHONE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

TITLE = "Tas tote rajut bordir nama"
NOTE_LABEL = "Warna benang dan nama yang dibordir"
SAGE, CREAM, NAVY = "Hijau sage", "Krem", "Navy"
PRICES = {SAGE: 150_000, CREAM: 150_000, NAVY: 165_000}  # seed_demo's tote
DEPOSIT_PERCENT = 50  # the model's default rule, which seed_demo keeps
MAX_TABS = 60


def rupiah(amount: int) -> str:
    """480000 → "Rp 480.000", written out here rather than with the app's own formatter."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def variant_group(page: Page, name: str):
    """A variant's <fieldset>: its legend ("Navy · Rp 165.000 …") is the group's name."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(name)}\b"))


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"


def test_buyer_orders_two_variants_and_sees_what_to_pay(page: Page, demo_campaign_url, screenshot):
    page.goto(demo_campaign_url)

    # The campaign page: what it is, whether it is open, how far it is, and the terms.
    expect(page).to_have_title(re.compile(rf"^{TITLE}\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".pill")).to_have_text(re.compile(r"^\s*Open\s*·\s*closes in\s+\S"))
    progress = page.get_by_role(
        "progressbar", name=re.compile(r"\b\d+ ordered, \d+ paid, 30 needed")
    )
    expect(progress).to_be_visible()
    terms = page.get_by_role("region", name="PO terms")
    expect(terms).to_contain_text("30 units in total")
    expect(terms).to_contain_text(f"Down payment (DP) of {DEPOSIT_PERCENT}% of the order")
    expect(terms).to_contain_text("within 24 hours of ordering")
    expect(terms).to_contain_text("At most 5 per buyer.")
    for name in (SAGE, CREAM, NAVY):
        expect(variant_group(page, name).get_by_label("Quantity")).to_have_value("0")
    assert_no_horizontal_scroll(page)
    screenshot("01-campaign")

    # The order: one sage green and two navy, each unit with its own name to print: choosing
    # 2 navy gives two note fields, and only rows with a quantity say "(required)".
    quantities = {SAGE: 1, NAVY: 2}
    notes = {SAGE: ["White, “AYU”"], NAVY: ["Gold, “Budi”\nsecond line", "Gold, “Sinta”"]}
    expect(variant_group(page, NAVY).get_by_text("(required)")).to_be_hidden()
    for name, quantity in quantities.items():
        group = variant_group(page, name)
        group.get_by_label("Quantity").fill(str(quantity))
        fields = group.get_by_role("textbox", name=re.compile(rf"^{NOTE_LABEL}"))
        expect(fields).to_have_count(quantity)
        for field, note in zip(fields.all(), notes[name], strict=True):
            field.fill(note)
    expect(variant_group(page, NAVY).get_by_text("(required)").first).to_be_visible()
    expect(variant_group(page, CREAM).get_by_text("(required)")).to_be_hidden()
    page.get_by_label("Your name").fill("Rina Kusuma")
    page.get_by_label("WhatsApp number").fill("0812-3456-7890")
    page.get_by_label("Email").fill("rina@example.com")
    page.get_by_label("City or regency").fill("Kota Bogor, Jawa Barat")
    page.get_by_label("Shipping address").fill("Jl. Cendana 5\nBogor 16111")
    page.get_by_role("button", name="Place order").click()

    # The private order page, scrolled to its content rather than the form's "#order".
    expect(page).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
    order = Order.objects.get(buyer_email="rina@example.com")
    assert page.url.split("#")[0].endswith(f"/o/{order.token}/")
    assert order.buyer_phone == "+6281234567890"
    expect(page).to_have_title(re.compile(rf"^Order {order.code}\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order.code}")

    subtotal = sum(PRICES[name] * quantity for name, quantity in quantities.items())
    assert subtotal == 480_000
    deposit = subtotal * DEPOSIT_PERCENT // 100
    pay = page.get_by_role("region", name="Pay your down payment")
    expect(pay.locator(".amount")).to_have_text(rupiah(deposit))  # Rp 240.000
    due = timezone.localtime(order.deposit_due_at, ZoneInfo(order.campaign.shop.time_zone))
    expect(pay).to_contain_text(f"Pay by {dateformat.format(due, 'j M Y, H:i')}")
    expect(pay).to_contain_text(f"Write {order.code} in the transfer note.")
    bca = pay.get_by_role("listitem").filter(has_text="BCA")
    expect(bca).to_contain_text("1234567890")
    expect(bca).to_contain_text("in the name of Rajut Nusantara")

    # Each unit is a line of its own, with its note.
    items = page.get_by_role("region", name="Your order")
    lines = items.locator("ul.lines > li")
    expect(lines).to_have_count(3)
    for name, unit_notes in notes.items():
        for note in unit_notes:
            line = lines.filter(has_text=f"1 × {name}").filter(has_text=note.split("\n")[0])
            expect(line).to_contain_text(rupiah(PRICES[name]))
            expect(line.locator(".note")).to_have_text(note)
    expect(items).to_contain_text(f"Subtotal{rupiah(subtotal)}")
    expect(items).to_contain_text(f"Down payment (DP){rupiah(deposit)}")

    timeline = page.get_by_role("region", name="What happens next")
    expect(timeline.get_by_role("listitem").first).to_contain_text("Order placed")
    expect(page.get_by_role("region", name="Shipping to")).to_contain_text("Rina Kusuma")
    assert_no_horizontal_scroll(page)
    screenshot("02-order")


def test_keyboard_only_reaches_the_form_and_sees_a_refusal(
    page: Page, demo_campaign_url, screenshot
):
    """Tab through the page, fill the buyer fields but no quantity, press Enter on the button."""
    page.goto(demo_campaign_url)
    orders_before = Order.objects.count()
    typed = {
        "id_buyer_name": "Rina Kusuma",
        "id_buyer_phone": "0812-3456-7890",
        "id_buyer_email": "rina@example.com",
        "id_destination": "Kota Bogor, Jawa Barat",
        "id_shipping_address": "Jl. Cendana 5, Bogor",
    }
    focused_ids = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    id: el.id, tag: el.tagName, text: el.textContent.trim(),
                    visible: el.matches(":focus-visible") && style.outlineStyle !== "none"
                        && parseFloat(style.outlineWidth) >= 2,
                };
            }"""
        )
        focused_ids.append(focus["id"] or focus["tag"])
        if focus["id"].endswith("-quantity") or focus["tag"] == "BUTTON":
            assert focus["visible"], f"no visible focus ring on {focus}"
        if focus["id"] in typed:
            page.keyboard.type(typed[focus["id"]])
        if focus["tag"] == "BUTTON" and focus["text"] == "Place order":
            break
    else:
        pytest.fail(f"Tab never reached “Place order”; focus went {focused_ids}")

    quantity_ids = [f"id_lines-{n}-quantity" for n in range(3)]
    reached = [i for i in focused_ids if i in quantity_ids]
    assert reached == quantity_ids, f"Tab order: {focused_ids}"
    assert set(typed) <= set(focused_ids)
    expect(page.get_by_role("button", name="Place order")).to_be_focused()
    screenshot("03-keyboard-focus")

    page.keyboard.press("Enter")  # every quantity is still 0

    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Choose at least one item and how many you want.")
    expect(alert).to_be_in_viewport()  # the #order anchor brings the message into view
    expect(page.get_by_label("Your name")).to_have_value("Rina Kusuma")  # nothing retyped
    assert Order.objects.count() == orders_before
    assert_no_horizontal_scroll(page)
    screenshot("04-refused")
