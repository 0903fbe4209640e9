"""A new seller on a phone, in a real browser: sign up → campaign editor → photo → publish →
public page; a buyer orders in their own browser; the seller finds the order and its notes.

Fields are found by their labels and roles, so these tests also prove the seller's forms are
labelled. Screenshots of every step go to test-artifacts/e2e/ (10-… to 19-…).
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from campaigns.models import Campaign, Shop
from orders.models import Order
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll
from tests.factories import make_campaign, make_shop, make_user

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SHOP_NAME, SHOP_SLUG = "Rajutan Sari", "rajutan-sari"
SHOP_ZONE = ZoneInfo("Asia/Jakarta")  # a new shop's time zone (Shop.time_zone's default)
TITLE = "Crochet bucket hat"
NOTE_PROMPT = "Initials to stitch on the band"
PINK, CHARCOAL = "Rose pink", "Charcoal"
PRICES = {PINK: 125_000, CHARCOAL: 140_000}
DEPOSIT_PER_UNIT = 50_000
PHOTO_ALT = "Pink crochet bucket hat, flat lay"
SELLER_PASSWORD = "pw-for-tests-only"  # tests.factories.make_user's


def rupiah(amount: int) -> str:
    """125000 → "Rp 125.000", written out here rather than with the app's own formatter."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def datetime_local(value: datetime) -> str:
    """What <input type="datetime-local"> takes: minutes, no zone."""
    return value.strftime("%Y-%m-%dT%H:%M")


def png_photo(path) -> str:
    """A small product photo (a pink disc on cream), drawn with Pillow."""
    image = Image.new("RGB", (320, 320), "#efe6d2")
    ImageDraw.Draw(image).ellipse((40, 60, 280, 260), fill="#d9738f", outline="white", width=8)
    image.save(path, "PNG")
    return str(path)


def dashboard_nav(page: Page):
    return page.get_by_role("navigation", name="Dashboard")


def campaign_actions(page: Page):
    return page.get_by_role("navigation", name="Campaign actions")


def assert_image_loaded(image) -> None:
    image.scroll_into_view_if_needed()  # lazy images load once near the viewport
    expect(image).to_be_visible()
    loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, f"image {image.get_attribute('src')} did not load"


def test_seller_signs_up_publishes_a_campaign_and_sees_a_buyers_order(
    page: Page, live_server, media_root, new_phone_page, screenshot, tmp_path
):
    # --- Sign up: the account and the shop in one form.
    page.goto(live_server.url + "/accounts/signup/")
    expect(page).to_have_title(re.compile(r"^Sign up\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open your shop on OpenPO")
    account = page.get_by_role("group", name="Your account")
    account.get_by_label("Username").fill("sari")
    account.get_by_label("Email").fill("sari@example.com")
    account.get_by_label("Password", exact=True).fill("Benang-merah-2026")
    account.get_by_label("Password confirmation").fill("Benang-merah-2026")
    shop_group = page.get_by_role("group", name="Your shop")
    shop_group.get_by_label("Shop name").fill(SHOP_NAME)
    shop_group.get_by_label(re.compile(r"^Shop web address")).fill(SHOP_SLUG)
    assert_no_horizontal_scroll(page)
    screenshot("10-signup")
    page.get_by_role("button", name="Sign up").click()

    # --- The new shop's dashboard, logged in.
    expect(page).to_have_url(f"{live_server.url}/dashboard/{SHOP_SLUG}/")
    expect(page.get_by_role("status")).to_contain_text("Welcome to OpenPO! Your shop is ready.")
    expect(page.get_by_role("heading", level=1)).to_have_text(SHOP_NAME)
    expect(page.get_by_text("No campaigns yet.")).to_be_visible()
    shop = Shop.objects.get(slug=SHOP_SLUG)
    assert shop.owner.username == "sari"
    assert shop.time_zone == str(SHOP_ZONE)
    assert_no_horizontal_scroll(page)
    screenshot("11-dashboard")

    # --- The campaign editor.
    campaign_actions(page).get_by_role("link", name="New campaign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New campaign")
    now = timezone.localtime(timezone.now(), SHOP_ZONE).replace(second=0, microsecond=0)
    opens, closes = now - timedelta(hours=1), now + timedelta(days=7)
    product = page.get_by_role("group", name="The product")
    product.get_by_label("Title").fill(TITLE)
    product.get_by_label(re.compile(r"^Description")).fill("Soft cotton, hand-crocheted.")
    window = page.get_by_role("group", name="Order window")
    expect(window.get_by_label("Opens at")).to_have_attribute("type", "datetime-local")
    expect(window).to_contain_text("In your shop's time zone (Asia/Jakarta).")
    window.get_by_label("Opens at").fill(datetime_local(opens))
    window.get_by_label("Closes at").fill(datetime_local(closes))
    quantities = page.get_by_role("group", name="Quantities")
    quantities.get_by_label("Minimum quantity").fill("10")
    quantities.get_by_label(re.compile(r"^Capacity")).fill("40")
    page.get_by_role("group", name="Production and shipping").get_by_label(
        re.compile(r"^Production time \(days\)")
    ).fill("14")
    payment = page.get_by_role("group", name="Payment")
    payment.get_by_label("Deposit rule").select_option(label="Fixed amount per unit")
    payment.get_by_label("Deposit", exact=True).fill(str(DEPOSIT_PER_UNIT))
    customisation = page.get_by_role("group", name="Customisation")
    customisation.get_by_label(re.compile(r"^Customisation prompt")).fill(NOTE_PROMPT)
    customisation.get_by_label("Customisation required").check()
    for number, name in enumerate((PINK, CHARCOAL), start=1):
        row = page.get_by_role("group", name=f"Variant {number}", exact=True)
        row.get_by_label(re.compile(r"^Name")).fill(name)
        row.get_by_label(re.compile(r"^Price")).fill(str(PRICES[name]))
    assert_no_horizontal_scroll(page)
    screenshot("12-editor")
    page.get_by_role("button", name="Save draft").click()

    # --- Saved as a draft: its overview.
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".pill").first).to_have_text("Draft")
    campaign = Campaign.objects.get(shop=shop)
    assert campaign.status == Campaign.Status.DRAFT
    # The datetime-local values were read in the shop's time zone.
    assert campaign.opens_at == opens and campaign.closes_at == closes
    assert (campaign.min_quantity, campaign.capacity, campaign.production_days) == (10, 40, 14)
    assert campaign.deposit_rule == Campaign.DepositRule.FIXED
    assert campaign.deposit_value == DEPOSIT_PER_UNIT
    assert (campaign.note_prompt, campaign.note_required) == (NOTE_PROMPT, True)
    assert [(v.name, v.price) for v in campaign.variants.all()] == list(PRICES.items())
    variants_table = page.get_by_role("region", name="Units per variant")
    for name in PRICES:
        expect(variants_table.get_by_role("rowheader", name=name)).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("13-draft")

    # --- Photos: upload one PNG.
    campaign_actions(page).get_by_role("link", name="Photos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Photos of “{TITLE}”")
    upload = page.get_by_role("region", name="Add photos")
    upload.get_by_label("Photos").set_input_files(png_photo(tmp_path / "hat.png"))
    upload.get_by_label(re.compile(r"^Description for screen readers")).fill(PHOTO_ALT)
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("1 photo added.")
    listed = page.get_by_role("region", name="1 photo")
    assert_image_loaded(listed.get_by_role("img", name=PHOTO_ALT))
    assert_no_horizontal_scroll(page)
    screenshot("14-photos")

    # --- Publish, from the campaign's overview: not before buyers can ask and pay.
    page.get_by_role("link", name="Back to the campaign").click()
    overview = page.url
    campaign_actions(page).get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Add the shop's WhatsApp number")
    screenshot("15a-publish-refused")

    # --- The home page's first steps lead to what is missing: WhatsApp, then a bank account.
    dashboard_nav(page).get_by_role("link", name="Campaigns").click()
    steps = page.get_by_role("region", name="Your first steps")
    expect(steps.locator("li.done")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot("15b-first-steps")
    steps.get_by_role("link", name="Add your WhatsApp number, so buyers can ask").click()
    page.get_by_label("WhatsApp number").fill("0812 3456 7890")
    page.get_by_role("button", name="Save settings").click()
    dashboard_nav(page).get_by_role("link", name="Campaigns").click()
    steps.get_by_role("link", name=re.compile(r"^Add where buyers pay")).click()
    page.get_by_label("Bank or e-wallet").fill("BCA")
    page.get_by_label("Account number").fill("1234567890")
    page.get_by_label("Account holder").fill("Sari Rahayu")
    page.get_by_role("button", name="Save").click()
    dashboard_nav(page).get_by_role("link", name="Campaigns").click()
    expect(steps.locator("li.done")).to_have_count(2)

    # --- Now it publishes.
    page.goto(overview)
    campaign_actions(page).get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published: buyers can see this campaign.")
    expect(page.locator(".pill").first).to_have_text(re.compile(r"^\s*Open\s*·\s*closes in\s"))
    expect(campaign_actions(page).get_by_role("button", name="Unpublish")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("15-published")

    # --- The public page, as the seller sees it.
    campaign_actions(page).get_by_role("link", name="Public page").click()
    public_url = f"{live_server.url}/{SHOP_SLUG}/{campaign.slug}/"
    expect(page).to_have_url(public_url)
    expect(page).to_have_title(f"{TITLE} · {SHOP_NAME}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    prices = page.locator("ul.prices > li")
    expect(prices).to_have_count(2)
    for name, price in PRICES.items():
        expect(prices.filter(has_text=name)).to_contain_text(rupiah(price))
    assert_image_loaded(page.get_by_role("img", name=f"{PHOTO_ALT}, photo 1 of 1"))
    terms = page.get_by_role("region", name="PO terms")
    window_text = (
        f"{dateformat.format(opens, 'j M Y, H:i')} – {dateformat.format(closes, 'j M Y, H:i')}"
    )
    expect(terms).to_contain_text(window_text)  # the times typed, in the shop's zone
    expect(terms).to_contain_text("10 units in total")
    expect(terms).to_contain_text("40 of 40 left (limited edition)")
    expect(terms).to_contain_text(f"Down payment (DP) of {rupiah(DEPOSIT_PER_UNIT)} per unit")
    assert_no_horizontal_scroll(page)
    screenshot("16-public")

    # --- A buyer, in their own browser, orders one of each with what to stitch.
    buyer = new_phone_page()
    buyer.goto(public_url)
    expect(buyer.get_by_role("heading", level=1)).to_have_text(TITLE)
    notes = {PINK: "S.R. in white", CHARCOAL: "“Ayu”, gold thread"}
    for name in (PINK, CHARCOAL):
        line = buyer.get_by_role("group", name=re.compile(rf"^{re.escape(name)}\b"))
        line.get_by_label("Quantity").fill("1")
        line.get_by_label(re.compile(rf"^{re.escape(NOTE_PROMPT)}")).fill(notes[name])
    buyer.get_by_label("Your name").fill("Ayu Lestari")
    buyer.get_by_label("WhatsApp number").fill("0812 1111 2001")
    buyer.get_by_label("Email").fill("ayu@example.com")
    buyer.get_by_label("Shipping address").fill("Jl. Kenanga 12\nBandung 40115")
    buyer.get_by_role("button", name="Place order").click()

    expect(buyer).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
    order = Order.objects.get(buyer_email="ayu@example.com")
    subtotal = sum(PRICES.values())
    deposit = DEPOSIT_PER_UNIT * 2
    assert (order.subtotal, order.deposit_amount) == (subtotal, deposit)
    expect(buyer.get_by_role("heading", level=1)).to_have_text(f"Order {order.code}")
    expect(
        buyer.get_by_role("region", name="Pay your down payment").locator(".amount")
    ).to_have_text(rupiah(deposit))
    # The bank account the seller added is where the buyer pays.
    expect(buyer.get_by_role("region", name="Pay your down payment")).to_contain_text("1234567890")
    assert_no_horizontal_scroll(buyer)
    screenshot("17-buyer-order", buyer)

    # --- Back to the seller: the order, with its notes, in the list.
    page.goto(f"{live_server.url}/dashboard/{SHOP_SLUG}/")
    dashboard_nav(page).get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orders")
    expect(page.get_by_role("heading", name="1 order")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=order.code)
    expect(row).to_contain_text("Ayu Lestari")
    expect(row).to_contain_text(TITLE)
    for name in (PINK, CHARCOAL):
        item = row.get_by_role("listitem").filter(has_text=f"1 × {name}")
        expect(item.locator(".note")).to_have_text(notes[name])
    expect(row).to_contain_text(rupiah(subtotal))
    expect(row).to_contain_text("Waiting for deposit")
    assert_no_horizontal_scroll(page)
    screenshot("18-seller-orders")

    # --- The order's page: notes and amounts.
    row.get_by_role("link", name=order.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order.code}")
    items = page.get_by_role("region", name="Items")
    lines = items.locator("ul.lines > li")
    expect(lines).to_have_count(2)
    for name, price in PRICES.items():
        line = lines.filter(has_text=f"1 × {name}")
        expect(line).to_contain_text(rupiah(price))
        expect(line.locator(".note")).to_have_text(notes[name])
    amounts = items.locator("dl.amounts")
    expect(amounts).to_contain_text(f"Subtotal{rupiah(subtotal)}")
    expect(amounts).to_contain_text(f"Deposit (DP){rupiah(deposit)}")
    expect(amounts).to_contain_text(f"Balance{rupiah(subtotal - deposit)}")
    expect(amounts).to_contain_text(f"Due now{rupiah(deposit)}")
    buyer_card = page.get_by_role("region", name="Buyer")
    expect(buyer_card).to_contain_text("Ayu Lestari")
    expect(buyer_card).to_contain_text("Bandung 40115")
    assert_no_horizontal_scroll(page)
    screenshot("19-seller-order")


def test_a_drafts_public_page_link_does_not_lead_to_a_404(page: Page, live_server):
    """The campaign actions offer “Public page” on a draft too; following it must show the
    seller their page (a preview), or the link must not be offered until it is published."""
    seller = make_user(username="rini")
    shop = make_shop(name="Toko Rini", slug="toko-rini", owner=seller)
    draft = make_campaign(shop, title="Batik scarf", slug="batik-scarf", status="draft")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("rini")
    page.get_by_label("Password").fill(SELLER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/{shop.slug}/")
    page.get_by_role("link", name="Batik scarf").click()
    expect(page.locator(".pill").first).to_have_text("Draft")

    public = campaign_actions(page).get_by_role("link", name="Public page")
    if public.count():
        with page.expect_response(live_server.url + draft.get_absolute_url()) as response:
            public.click()
        assert response.value.status == 200, (
            f"“Public page” on a draft leads to a {response.value.status}"
        )
