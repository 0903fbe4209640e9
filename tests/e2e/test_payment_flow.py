"""Paying a deposit, in two real browsers on phones: the buyer sends a proof of transfer from
their order page, the seller verifies it in the payments queue, the buyer sees it received.

Uses the demo data (`manage.py seed_demo`): shop "demo", its open tote campaign and the demo
seller's login. Screenshots of every step go to test-artifacts/e2e/ (20-… onward).
"""

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from orders.models import Order
from payments.models import Payment
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SELLER = ("demo", "demo-openpo-2026")  # printed by seed_demo
NOTE_LABEL = "Warna benang dan nama yang dibordir"
CREAM, CREAM_PRICE = "Krem", 150_000
DEPOSIT_PERCENT = 50
SENDER, BANK = "Rina Kusuma", "BCA"


def rupiah(amount: int) -> str:
    """150000 → "Rp 150.000", written out here rather than with the app's own formatter."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def jpeg_proof(path) -> str:
    """A phone screenshot of a bank transfer, more or less: drawn with Pillow."""
    image = Image.new("RGB", (360, 640), "#0b5cad")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 120, 340, 420), fill="white")
    draw.text((40, 150), "Transfer successful", fill="#0b5cad")
    draw.text((40, 200), "Rp 150.000 to Rajut Nusantara", fill="black")
    image.save(path, "JPEG", quality=85)
    return str(path)


def assert_image_loaded(image) -> None:
    image.scroll_into_view_if_needed()  # lazy images load once near the viewport
    expect(image).to_be_visible()
    loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert loaded, f"image {image.get_attribute('src')} did not load"


def test_buyer_sends_a_proof_and_the_seller_verifies_it(
    page: Page,
    live_server,
    private_media_root,
    demo_campaign_url,
    new_phone_page,
    screenshot,
    tmp_path,
):
    # --- The buyer orders two cream totes.
    page.goto(demo_campaign_url)
    line = page.get_by_role("group", name=re.compile(rf"^{CREAM}\b"))
    line.get_by_label("Quantity").fill("2")
    line.get_by_label(f"{NOTE_LABEL} (1)").fill("Black, “RINA”")
    line.get_by_label(f"{NOTE_LABEL} (2)").fill("Black, “DIMAS”")
    page.get_by_label("Your name").fill(SENDER)
    page.get_by_label("WhatsApp number").fill("0812-3456-7890")
    page.get_by_label("Email").fill("rina@example.com")
    page.get_by_label("City or regency").fill("Kota Bogor, Jawa Barat")
    page.get_by_label("Shipping address").fill("Jl. Cendana 5\nBogor 16111")
    page.get_by_role("button", name="Place order").click()

    # --- The private order page: the amount to send and the proof form.
    expect(page).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
    order = Order.objects.get(buyer_email="rina@example.com")
    order_url = f"{live_server.url}/o/{order.token}/"
    deposit = 2 * CREAM_PRICE * DEPOSIT_PERCENT // 100
    assert order.deposit_amount == deposit == 150_000
    expect(page.locator(".pill")).to_have_text("Waiting for deposit")
    pay = page.get_by_role("region", name="Pay your down payment")
    expect(pay.locator(".amount")).to_have_text(rupiah(deposit))
    expect(pay.get_by_role("button", name="Copy the amount")).to_be_visible()
    expect(pay).to_contain_text(f"Write {order.code} in the transfer note.")
    proof_form = pay.get_by_role("form", name="Sent it? Show the seller")
    expect(proof_form.get_by_label("Amount sent")).to_have_value(str(deposit))
    assert_no_horizontal_scroll(page)
    screenshot("20-order-to-pay")

    proof_form.get_by_label("Sender's name").fill(SENDER)
    proof_form.get_by_label("Sent from (bank or e-wallet)").fill(BANK)
    proof_form.get_by_label("Photo or screenshot of the transfer").set_input_files(
        jpeg_proof(tmp_path / "transfer.jpg")
    )
    proof_form.scroll_into_view_if_needed()
    screenshot("21-proof-filled")
    proof_form.get_by_role("button", name="Send proof of payment").click()

    # --- Sent: waiting for the seller.
    expect(page).to_have_url(f"{order_url}#payments")
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.sender_name, payment.sender_bank) == (deposit, SENDER, BANK)
    assert payment.status == Payment.Status.SUBMITTED
    # The payment shows once, with its state; nothing asks to pay any more.
    expect(page.get_by_role("region", name="Pay your down payment")).to_have_count(0)
    expect(page.get_by_role("form", name="Sent it? Show the seller")).to_have_count(0)
    sent = page.get_by_role("region", name="Your payments").get_by_role("listitem")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text(f"{rupiah(deposit)} · Down payment")
    expect(sent.locator(".payment-status")).to_have_text(
        f"Thank you. Your payment of {rupiah(deposit)} is waiting for the seller's review; "
        "this page shows the result."
    )
    expect(page.get_by_text("Pay the deposit")).to_have_count(0)
    proof_link = sent.get_by_role("link", name="See the proof you sent")
    proof = page.request.get(live_server.url + proof_link.get_attribute("href"))
    assert proof.ok and proof.headers["content-type"] == "image/webp"
    assert_no_horizontal_scroll(page)
    screenshot("22-proof-sent")

    # --- The seller, in their own browser, logs in and opens the payments queue.
    seller = new_phone_page()
    seller.goto(live_server.url + "/accounts/login/")
    seller.get_by_label("Username").fill(SELLER[0])
    seller.get_by_label("Password").fill(SELLER[1])
    assert_no_horizontal_scroll(seller)
    screenshot("23-seller-login", seller)
    seller.get_by_role("button", name="Log in").click()
    expect(seller).to_have_url(f"{live_server.url}/dashboard/demo/")
    seller.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Payments").click()
    expect(seller).to_have_url(f"{live_server.url}/dashboard/demo/payments/")
    expect(seller.get_by_role("heading", level=1)).to_have_text("Payments to review")
    review = seller.get_by_role("article", name=f"{order.code} · Down payment")
    expect(review).to_have_count(1)
    assert_image_loaded(
        review.get_by_role("img", name=f"Proof of transfer from {SENDER} (opens the full picture)")
    )
    expect(review.locator(".review-expected")).to_have_text(rupiah(deposit))
    facts = review.locator("dl.amounts")
    expect(facts).to_contain_text(re.compile(rf"Buyer says they sent\s*{rupiah(deposit)}\s*From"))
    expect(facts).not_to_contain_text("differs")
    expect(facts).to_contain_text(f"{SENDER} · {BANK}")
    received = review.get_by_label("Amount received")
    expect(received).to_have_value(str(deposit))
    assert_no_horizontal_scroll(seller)
    screenshot("24-payments-queue", seller)

    review.get_by_role("button", name="Verify: money received").click()
    expect(seller.get_by_role("status")).to_have_text(
        f"{rupiah(deposit)} from {SENDER} received. Order {order.code}: Deposit received."
    )
    # Out of the queue; the demo's other payments (seed_demo leaves some waiting) stay.
    expect(seller.get_by_role("article", name=f"{order.code} · Down payment")).to_have_count(0)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED and payment.amount_received == deposit
    assert order.status == Order.Status.CONFIRMED
    assert_no_horizontal_scroll(seller)
    screenshot("25-payment-verified", seller)

    # --- The buyer reloads their order page: the deposit is received.
    page.goto(order_url)
    expect(page.locator(".pill")).to_have_text("Deposit received")
    payments = page.get_by_role("region", name="Your payments")
    expect(payments).to_contain_text("Deposit received.")
    expect(payments.locator(".payment-status")).to_have_text("Received")
    expect(page.get_by_role("region", name="Pay your down payment")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    screenshot("26-deposit-received")
