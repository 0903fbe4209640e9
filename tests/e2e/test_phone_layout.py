"""A seller's phone: every dashboard section is a tap or two away without scrolling sideways;
the poster is centred; a buyer can copy their tracking number and open the carrier's page."""

import pytest
from playwright.sync_api import Page, expect

from campaigns.management.commands.seed_demo import SELLER, SHOP_SLUG
from orders.models import Order
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SMALL_PHONE = {"width": 360, "height": 740}
# The dashboard's sections, as its menu names them.
SECTIONS = [
    "Campaigns",
    "Orders",
    "Payments",
    "Refunds",
    "Overdue balances",
    "History",
    "Vendors",
    "Settings",
    "Payment accounts",
    "Members",
    "E-mails",
]


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(SELLER[0])
    page.get_by_label("Password").fill(SELLER[1])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/dashboard/{SHOP_SLUG}/")


def test_every_dashboard_section_is_reachable_on_a_small_phone(
    page: Page, live_server, demo_campaign_url, screenshot
):
    # given a seller on a 360 px phone
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, live_server.url)
    menu = page.get_by_role("navigation", name="Dashboard")

    for section in SECTIONS:
        # when they look for the section: in view, or under "More"
        link = menu.get_by_role("link", name=section, exact=True)
        if not link.is_visible():
            menu.get_by_text("More", exact=True).click()
        # then it is there to tap, and the page never grew wider than the phone
        expect(link).to_be_visible()
        assert_no_horizontal_scroll(page)
        link.click()
        page.wait_for_load_state()
        assert_no_horizontal_scroll(page)
    screenshot("phone-menu-more")


def test_the_poster_centres_its_photo_and_qr_code(page: Page, live_server, demo_campaign_url):
    page.set_viewport_size(SMALL_PHONE)
    log_in(page, live_server.url)
    page.get_by_role("link", name="Tas tote rajut bordir nama").first.click()
    page.get_by_role("link", name="Poster").click()
    poster = page.locator(".poster").bounding_box()
    middle = poster["x"] + poster["width"] / 2
    for image in (page.locator(".poster-photo"), page.locator(".poster-qr img")):
        box = image.bounding_box()
        assert abs(box["x"] + box["width"] / 2 - middle) < 2


def test_a_buyer_copies_the_tracking_number_and_opens_the_carriers_page(
    page: Page, live_server, demo_campaign_url, context
):
    # given a shipped demo order (SiCepat takes the number in its link)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    order = Order.objects.filter(carrier="SiCepat", status=Order.Status.COMPLETED).first()
    page.goto(live_server.url + order.get_absolute_url())

    # when the buyer taps Copy
    page.get_by_role("button", name="Copy the tracking number").click()

    # then the number is on their clipboard, and the link goes to SiCepat with it
    assert page.evaluate("navigator.clipboard.readText()") == order.tracking_number
    link = page.get_by_role("link", name="Track it on SiCepat's site")
    expect(link).to_have_attribute(
        "href", f"https://www.sicepat.com/checkAwb/{order.tracking_number}"
    )
