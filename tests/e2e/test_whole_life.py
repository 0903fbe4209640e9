"""One order's whole life, in two real browsers on phones: the buyer orders on a fresh
campaign, sends a deposit proof, the seller verifies it; the window closes; the seller starts
and finishes production; the buyer pays the balance and the seller verifies it; the seller
ships the order with a carrier and tracking number; the buyer says it arrived. The buyer's
private order page (/o/<token>/) is read after every step: its status pill and its timeline.

The campaign is made here (tests.factories): capacity 20, minimum 1 unit, a 50 % deposit, one
bank account to pay to. The window closes by moving `closes_at` into the past in the database:
that is the clock, not something anyone does in the UI. Screenshots go to test-artifacts/e2e/
(30-… onward).
"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import dateformat, timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from campaigns.models import Campaign, ShippingZone
from orders.models import Order
from payments.models import Payment, PaymentAccount
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll
from tests.factories import make_campaign, make_shop, make_user

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SHOP_NAME, SHOP_SLUG = "Batik Laras", "batik-laras"
SHOP_ZONE = ZoneInfo("Asia/Jakarta")  # Shop.time_zone's default
SELLER, SELLER_PASSWORD = "laras", "pw-for-tests-only"  # tests.factories.make_user's password
TITLE = "Batik tote bag"
VARIANT, PRICE, QUANTITY = "Indigo", 125_000, 2
SUBTOTAL = PRICE * QUANTITY
DEPOSIT = SUBTOTAL * 50 // 100
# Ongkir by destination: Java at Rp 10.000 + Rp 4.000 a kilogram started; two 500 g totes.
ONGKIR = 10_000 + 4_000
DESTINATION = "Kota Yogyakarta, DI Yogyakarta"
BALANCE = SUBTOTAL - DEPOSIT + ONGKIR  # ongkir is paid with the balance
BUYER, BUYER_EMAIL = "Dewi Anggraini", "dewi@example.com"
BANK = "Mandiri"
ACCOUNT = ("BCA", "8830 123 456", "Laras Wulandari")  # provider, number, holder
CARRIER, TRACKING = "JNE", "CGK1B02345678926"


def rupiah(amount: int) -> str:
    """125000 → "Rp 125.000", written out here rather than with the app's own formatter."""
    return "Rp " + f"{amount:,}".replace(",", ".")


# The buyer's timeline: (title, "done" or "ahead", note). A note of None: the step has none.
PLACED = ("Order placed", "done", None)
DEPOSIT_SENT = (
    "Payment",
    "done",
    f"Payment of {rupiah(DEPOSIT)} sent for the down payment.",
)
DEPOSIT_IN = ("Payment", "done", f"Payment of {rupiah(DEPOSIT)} received for the down payment.")
CONFIRMED = ("Deposit received", "done", None)
IN_PRODUCTION = ("In production", "done", "The minimum was reached: your order is in production.")
BALANCE_SENT = (
    "Payment",
    "done",
    f"Payment of {rupiah(BALANCE)} sent for the balance.",
)
BALANCE_IN = ("Payment", "done", f"Payment of {rupiah(BALANCE)} received for the balance.")
PAID = ("Paid in full", "done", None)
SHIPPED = ("Shipped", "done", f"Shipped with {CARRIER}, tracking number {TRACKING}.")
COMPLETED = ("Completed", "done", "Received by the buyer.")
PAY_DEPOSIT = ("Pay the deposit", "ahead", None)
WINDOW_CLOSES = ("Order window closes", "ahead", None)
PRODUCTION_ENDS = ("Production finishes (estimate)", "ahead", None)
PAY_BALANCE_LATER = ("Pay the balance", "ahead", "Within 7 days after production finishes.")
PAY_BALANCE = ("Pay the balance", "ahead", None)
SHIPPING = ("Shipping (estimate)", "ahead", None)


def jpeg_proof(path, amount: int) -> str:
    """A phone screenshot of a bank transfer, more or less: drawn with Pillow."""
    image = Image.new("RGB", (360, 640), "#0b5cad")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, 340, 420), fill="white")
    draw.text((40, 150), "Transfer successful", fill="#0b5cad")
    draw.text((40, 200), f"{rupiah(amount)} to {ACCOUNT[2]}", fill="black")
    image.save(path, "JPEG", quality=85)
    return str(path)


def expect_buyer_page(page: Page, pill: str, steps: list[tuple[str, str, str | re.Pattern | None]]):
    """The order page's status pill, and its timeline exactly: titles, done or ahead, notes."""
    expect(page.locator(".pill")).to_have_text(pill)
    timeline = page.get_by_role("region", name="What happens next").locator("ol.timeline > li")
    expect(timeline.locator(":scope > strong")).to_have_text([title for title, _, _ in steps])
    expect(timeline).to_have_class([state for _, state, _ in steps])
    for number, (_, _, note) in enumerate(steps):
        hint = timeline.nth(number).locator("p.hint")
        if note is None:
            expect(hint).to_have_count(0)
        else:
            expect(hint).to_have_text(note)
    assert_no_horizontal_scroll(page)


def send_proof(page: Page, *, heading: str, amount: int, proof: str) -> None:
    """The buyer fills in the pay card's proof form (amount already there) and sends it."""
    pay = page.get_by_role("region", name=heading)
    expect(pay.locator(".amount")).to_have_text(rupiah(amount))
    form = pay.get_by_role("form", name="Sent it? Show the seller")
    expect(form.get_by_label("Amount sent")).to_have_value(str(amount))
    form.get_by_label("Sender's name").fill(BUYER)
    form.get_by_label("Sent from (bank or e-wallet)").fill(BANK)
    form.get_by_label("Photo or screenshot of the transfer").set_input_files(proof)
    form.get_by_role("button", name="Send proof of payment").click()


def verify_in_queue(seller: Page, order: Order, *, kind: str, amount: int, status: str, shot):
    """The seller opens the payments queue, checks the proof's figures and verifies it."""
    nav = seller.get_by_role("navigation", name="Dashboard")
    nav.get_by_role("link", name="Payments").click()
    expect(seller.get_by_role("heading", level=1)).to_have_text("Payments to review")
    review = seller.get_by_role("article", name=f"{order.code} · {kind}")
    expect(review).to_have_count(1)
    expect(review.locator(".review-expected")).to_have_text(rupiah(amount))
    expect(review.locator("dl.amounts")).not_to_contain_text("differs")
    expect(review.locator("dl.amounts")).to_contain_text(f"{BUYER} · {BANK}")
    expect(review.get_by_label("Amount received")).to_have_value(str(amount))
    assert_no_horizontal_scroll(seller)
    shot()
    review.get_by_role("button", name="Verify: money received").click()
    expect(seller.get_by_role("status")).to_have_text(
        f"{rupiah(amount)} from {BUYER} received. Order {order.code}: {status}."
    )
    expect(seller.get_by_text("No payments are waiting for review.")).to_be_visible()


def campaign_overview(seller: Page, live_server, campaign: Campaign) -> None:
    seller.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Campaigns").click()
    seller.get_by_role("link", name=TITLE).click()
    expect(seller).to_have_url(f"{live_server.url}/dashboard/{SHOP_SLUG}/campaigns/{campaign.pk}/")
    expect(seller.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_one_order_from_placing_it_to_receiving_it(
    page: Page,
    live_server,
    media_root,
    private_media_root,
    new_phone_page,
    screenshot,
    tmp_path,
):
    owner = make_user(username=SELLER)
    shop = make_shop(name=SHOP_NAME, slug=SHOP_SLUG, owner=owner)
    campaign = make_campaign(
        shop,
        title=TITLE,
        slug="batik-tote",
        capacity=20,
        min_quantity=1,
        deposit_rule=Campaign.DepositRule.PERCENT,
        deposit_value=50,
        variants=[{"name": VARIANT, "price": str(PRICE), "weight_grams": 500}],
    )
    shop.shipping_rule = "zones"
    shop.save()
    ShippingZone.objects.create(
        shop=shop, name="Java", regions=["31", "32", "33", "34", "35"], fee=10_000, fee_per_kg=4_000
    )
    PaymentAccount.objects.create(
        shop=shop, provider=ACCOUNT[0], number=ACCOUNT[1], holder=ACCOUNT[2]
    )

    # --- 1. The buyer orders two totes on the campaign's public page.
    page.goto(live_server.url + campaign.get_absolute_url())
    line = page.get_by_role("group", name=re.compile(rf"^{VARIANT}\b"))
    line.get_by_label("Quantity").fill(str(QUANTITY))
    page.get_by_label("Your name").fill(BUYER)
    page.get_by_label("WhatsApp number").fill("0813-2222-4455")
    page.get_by_label("Email").fill(BUYER_EMAIL)
    page.get_by_label("City or regency").fill(DESTINATION)
    page.get_by_label("Shipping address").fill("Jl. Melati 8\nYogyakarta 55221")
    page.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
    order = Order.objects.get(buyer_email=BUYER_EMAIL)
    order_url = f"{live_server.url}/o/{order.token}/"
    assert (order.subtotal, order.deposit_amount, order.balance_amount) == (
        SUBTOTAL,
        DEPOSIT,
        BALANCE,
    )
    assert (order.destination_name, order.shipping_fee) == (DESTINATION, ONGKIR)
    expect_buyer_page(
        page,
        "Waiting for deposit",
        [PLACED, PAY_DEPOSIT, WINDOW_CLOSES, PRODUCTION_ENDS, PAY_BALANCE_LATER, SHIPPING],
    )
    amounts = page.get_by_role("region", name="Your order").locator("dl.amounts")
    expect(amounts).to_contain_text(f"Down payment (DP){rupiah(DEPOSIT)}")
    expect(amounts).to_contain_text(f"Destination{DESTINATION}")
    expect(amounts).to_contain_text(f"Ongkir{rupiah(ONGKIR)}")
    expect(amounts).to_contain_text(f"Balance, due after production{rupiah(BALANCE)}")
    pay = page.get_by_role("region", name="Pay your down payment")
    account = pay.locator("ul.accounts > li")
    expect(account).to_contain_text(ACCOUNT[0])
    expect(account.locator(".account-number")).to_have_text(ACCOUNT[1])
    expect(account).to_contain_text(f"in the name of {ACCOUNT[2]}")
    screenshot("30-life-ordered")

    # --- 2. The buyer sends the proof of the deposit.
    send_proof(
        page,
        heading="Pay your down payment",
        amount=DEPOSIT,
        proof=jpeg_proof(tmp_path / "deposit.jpg", DEPOSIT),
    )
    expect(page).to_have_url(f"{order_url}#payments")
    # Sent: nothing asks to pay now; the payment shows once, waiting.
    expect(page.get_by_role("region", name=re.compile(r"^Pay "))).to_have_count(0)
    expect(page.get_by_role("region", name="Your payments")).to_contain_text(
        f"Thank you. Your payment of {rupiah(DEPOSIT)} is waiting for the seller's review"
    )
    expect_buyer_page(
        page,
        "Waiting for deposit",
        [PLACED, DEPOSIT_SENT, WINDOW_CLOSES, PRODUCTION_ENDS, PAY_BALANCE_LATER, SHIPPING],
    )
    screenshot("31-life-deposit-sent")

    # --- 3. The seller logs in on their phone and verifies it in the payments queue.
    seller = new_phone_page()
    seller.goto(live_server.url + "/accounts/login/")
    seller.get_by_label("Username").fill(SELLER)
    seller.get_by_label("Password").fill(SELLER_PASSWORD)
    seller.get_by_role("button", name="Log in").click()
    expect(seller).to_have_url(f"{live_server.url}/dashboard/{SHOP_SLUG}/")
    verify_in_queue(
        seller,
        order,
        kind="Down payment",
        amount=DEPOSIT,
        status="Deposit received",
        shot=lambda: screenshot("32-life-seller-deposit-to-verify", seller),
    )
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED

    # The window is still open: the overview offers no production yet.
    campaign_overview(seller, live_server, campaign)
    decisions = seller.get_by_role("region", name="Decisions")
    expect(seller.locator(".pill").first).to_have_text(re.compile(r"^\s*Open\s*·\s*closes in\s"))
    expect(decisions.get_by_role("button", name="Start production")).to_have_count(0)
    assert_no_horizontal_scroll(seller)
    screenshot("33-life-seller-window-open", seller)

    page.goto(order_url)
    confirmed = [PLACED, DEPOSIT_SENT, DEPOSIT_IN, CONFIRMED]
    expect_buyer_page(
        page,
        "Deposit received",
        [*confirmed, WINDOW_CLOSES, PRODUCTION_ENDS, PAY_BALANCE_LATER, SHIPPING],
    )
    expect(page.get_by_role("region", name="Your payments")).to_contain_text("Deposit received.")
    expect(page.get_by_role("region", name=re.compile(r"^Pay "))).to_have_count(0)
    screenshot("34-life-deposit-received")

    # --- 4. The window closes (the clock, moved in the database).
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page.reload()
    expect_buyer_page(
        page,
        "Deposit received",
        [*confirmed, PRODUCTION_ENDS, PAY_BALANCE_LATER, SHIPPING],
    )
    screenshot("35-life-window-closed")

    # --- 5. The seller starts production from the campaign's overview.
    seller.reload()
    expect(seller.locator(".pill").first).to_have_text("Closed")
    decisions = seller.get_by_role("region", name="Decisions")
    expect(decisions).to_contain_text(f"Minimum reached: {QUANTITY} of 1 units confirmed.")
    assert_no_horizontal_scroll(seller)
    screenshot("36-life-seller-window-closed", seller)
    decisions.get_by_role("button", name="Start production").click()
    expect(seller.get_by_role("status")).to_contain_text("Production started.")
    expect(seller.locator(".pill").first).to_have_text("In production")
    decisions = seller.get_by_role("region", name="Decisions")
    expect(decisions.get_by_role("button", name="Start production")).to_have_count(0)
    expect(decisions.get_by_role("button", name="Production finished")).to_be_visible()
    assert_no_horizontal_scroll(seller)
    screenshot("37-life-seller-production-started", seller)

    page.reload()
    in_production = [*confirmed, IN_PRODUCTION]
    expect_buyer_page(
        page, "In production", [*in_production, PRODUCTION_ENDS, PAY_BALANCE_LATER, SHIPPING]
    )
    screenshot("38-life-in-production")

    # --- 6. Production finished: the balance is due, by email and on the order page.
    mail.outbox.clear()
    decisions.get_by_role("button", name="Production finished").click()
    expect(seller.get_by_role("status")).to_contain_text(
        "Production finished. Buyers who owe the balance have been emailed its due date."
    )
    expect(seller.locator(".pill").first).to_have_text("Balance collection")
    expect(seller.get_by_role("region", name="Decisions").get_by_role("button")).to_have_count(0)
    assert_no_horizontal_scroll(seller)
    screenshot("39-life-seller-production-finished", seller)

    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_BALANCE
    due = timezone.localtime(order.balance_due_at, SHOP_ZONE)
    assert timedelta(days=7) - timedelta(minutes=1) < due - timezone.now() <= timedelta(days=7)
    [email] = [m for m in mail.outbox if m.to == [BUYER_EMAIL]]
    assert email.subject.startswith(f"Order {order.code}: production finished, pay the balance")
    assert f"Balance to pay: {rupiah(BALANCE)}" in email.body
    assert f"/o/{order.token}/" in email.body  # on the configured site URL

    page.reload()
    waiting_balance = [
        *in_production,
        (
            "Waiting for balance",
            "done",
            re.compile(r"^Production finished\. Please pay the balance by .+\.$"),
        ),
    ]
    expect_buyer_page(page, "Waiting for balance", [*waiting_balance, PAY_BALANCE, SHIPPING])
    pay_balance = page.get_by_role("region", name="What happens next").locator("li.ahead").first
    expect(pay_balance.locator("time")).to_have_text(dateformat.format(due, "j M Y"))
    pay = page.get_by_role("region", name="Pay the balance")
    expect(pay.locator(".amount")).to_have_text(rupiah(BALANCE))
    expect(pay).to_contain_text(f"Pay by {dateformat.format(due, 'j M Y, H:i T')}.")
    expect(pay).to_contain_text(f"Write {order.code} in the transfer note.")
    expect(pay.locator("ul.accounts")).to_contain_text(ACCOUNT[1])
    screenshot("40-life-balance-due")

    # --- 7. The buyer pays the balance with a proof.
    send_proof(
        page,
        heading="Pay the balance",
        amount=BALANCE,
        proof=jpeg_proof(tmp_path / "balance.jpg", BALANCE),
    )
    expect(page).to_have_url(f"{order_url}#payments")
    expect(page.get_by_role("region", name=re.compile(r"^Pay "))).to_have_count(0)
    expect_buyer_page(page, "Waiting for balance", [*waiting_balance, BALANCE_SENT, SHIPPING])
    sent = page.get_by_role("region", name="Your payments").get_by_role("listitem")
    expect(sent).to_have_count(2)
    expect(sent.nth(1)).to_contain_text(f"{rupiah(BALANCE)} · Balance")
    expect(sent.nth(1).locator(".payment-status")).to_contain_text(
        f"Thank you. Your payment of {rupiah(BALANCE)} is waiting for the seller's review"
    )
    screenshot("41-life-balance-sent")

    # --- 8. The seller verifies the balance.
    verify_in_queue(
        seller,
        order,
        kind="Balance",
        amount=BALANCE,
        status="Paid in full",
        shot=lambda: screenshot("42-life-seller-balance-to-verify", seller),
    )
    assert_no_horizontal_scroll(seller)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert [p.status for p in Payment.objects.filter(order=order)] == [Payment.Status.VERIFIED] * 2

    page.goto(order_url)
    paid_in_full = [*waiting_balance, BALANCE_SENT, BALANCE_IN, PAID]
    expect_buyer_page(page, "Paid in full", [*paid_in_full, SHIPPING])
    expect(page.get_by_role("region", name=re.compile(r"^Pay "))).to_have_count(0)
    statuses = page.get_by_role("region", name="Your payments").locator(".payment-status")
    expect(statuses).to_have_text(["Received", "Received"])
    screenshot("43-life-paid-in-full")

    # --- 9. The seller opens the order and marks it shipped with a carrier and tracking number.
    seller.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Orders").click()
    seller.get_by_role("row").filter(has_text=order.code).get_by_role(
        "link", name=order.code
    ).click()
    expect(seller).to_have_url(f"{live_server.url}/dashboard/{SHOP_SLUG}/orders/{order.code}/")
    expect(seller.get_by_role("heading", level=1)).to_have_text(f"Order {order.code}")
    expect(seller.locator(".pill")).to_have_text("Paid in full")
    shipping = seller.get_by_role("region", name="Shipping")
    shipping.get_by_label("Carrier").fill(CARRIER)
    shipping.get_by_label("Tracking number").fill(TRACKING)
    assert_no_horizontal_scroll(seller)
    screenshot("44-life-seller-order-to-ship", seller)
    mail.outbox.clear()
    shipping.get_by_role("button", name="Mark shipped").click()

    expect(seller.locator(".pill")).to_have_text("Shipped")
    shipping = seller.get_by_role("region", name="Shipping")
    expect(shipping.locator("dl.amounts")).to_contain_text(f"Carrier{CARRIER}")
    expect(shipping.locator("dl.amounts")).to_contain_text(f"Tracking number{TRACKING}")
    expect(shipping.get_by_role("button", name="Mark shipped")).to_have_count(0)
    expect(shipping.get_by_role("button", name="Mark completed")).to_be_visible()
    assert_no_horizontal_scroll(seller)
    screenshot("45-life-seller-shipped", seller)
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        Order.Status.SHIPPED,
        CARRIER,
        TRACKING,
    )
    assert order.shipped_at is not None and order.received_at is None
    [email] = [m for m in mail.outbox if m.to == [BUYER_EMAIL]]
    assert TRACKING in email.body and f"/o/{order.token}/" in email.body

    # --- 10. The buyer sees the carrier and tracking number, and says the order arrived.
    page.goto(order_url)
    expect_buyer_page(page, "Shipped", [*paid_in_full, SHIPPED])
    delivery = page.get_by_role("region", name="Delivery")
    expect(delivery.locator("dl.amounts")).to_contain_text(f"Carrier{CARRIER}")
    expect(delivery.locator("dl.amounts")).to_contain_text(f"Tracking number{TRACKING}")
    shipped_on = dateformat.format(timezone.localtime(order.shipped_at, SHOP_ZONE), "j M Y")
    expect(delivery.locator("dl.amounts")).to_contain_text(f"Shipped{shipped_on}")
    screenshot("46-life-shipped")
    delivery.get_by_role("button", name="I received my order").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(order_url)}(#[\w-]+)?$"))  # any anchor
    expect_buyer_page(page, "Completed", [*paid_in_full, SHIPPED, COMPLETED])
    delivery = page.get_by_role("region", name="Delivery")
    expect(delivery.get_by_role("button", name="I received my order")).to_have_count(0)
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.received_at is not None
    received_on = dateformat.format(timezone.localtime(order.received_at, SHOP_ZONE), "j M Y")
    expect(delivery).to_contain_text(f"Received on {received_on}")
    expect(delivery.locator("dl.amounts")).to_contain_text(f"Tracking number{TRACKING}")
    screenshot("47-life-completed")

    # Its only order received, the campaign is done too.
    seller.reload()
    expect(seller.locator(".pill")).to_have_text("Completed")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.COMPLETED
    campaign_overview(seller, live_server, campaign)
    expect(seller.locator(".pill").first).to_have_text("Completed")
    assert_no_horizontal_scroll(seller)
    screenshot("48-life-seller-campaign-completed", seller)
