"""The waiting list from sold out to paid, in two real browsers on phones: a buyer finds the PO
sold out and joins the list; an order expires (the tick) and its unit is held for her; the seller
sees the hold and the WhatsApp message to send; she orders from her private link, pays in full,
and the seller verifies it.

Uses the demo data (`manage.py seed_demo`), with its tote campaign sold out and asking for full
payment. Screenshots go to test-artifacts/e2e/ (60-… onward).
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Page, expect

from campaigns.models import Campaign
from orders.models import Order, WaitlistEntry
from payments.models import Payment
from tests.e2e.conftest import CHROMIUM, assert_no_horizontal_scroll
from tests.e2e.test_payment_flow import SELLER, jpeg_proof, rupiah

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

NOTE_LABEL = "Warna benang dan nama yang dibordir"
ANI = "Ani Wijaya"


def test_from_sold_out_to_paid_through_the_waiting_list(
    page: Page,
    live_server,
    private_media_root,
    demo_campaign_url,
    new_phone_page,
    screenshot,
    tmp_path,
):
    # --- Given the demo tote sold out (every unit ordered) and asking for full payment.
    Campaign.objects.filter(slug="custom-name-tote").update(
        capacity=F("reserved"), deposit_rule=Campaign.DepositRule.FULL
    )
    campaign = Campaign.objects.get(slug="custom-name-tote")
    # A pending order of one unit, no payment waiting: the one that will expire.
    expiring = next(
        order
        for order in Order.objects.filter(campaign=campaign, status=Order.Status.PENDING)
        .exclude(payments__status="submitted")
        .prefetch_related("lines")
        if order.units == 1
    )
    (line,) = expiring.lines.all()
    item, price = line.variant_name, int(line.unit_price)

    # --- Ani finds it sold out and joins the waiting list.
    page.goto(demo_campaign_url)
    expect(page.locator("#order")).to_contain_text("Sold out")
    waitlist = page.get_by_role("region", name="Waiting list")
    expect(waitlist).to_contain_text("held for 12 hours")
    waitlist.get_by_label("Your name").fill(ANI)
    waitlist.get_by_label("WhatsApp number").fill("0813-1111-2222")
    waitlist.get_by_label("Email").fill("ani@example.com")
    waitlist.get_by_label("Item").select_option(label=item)
    waitlist.get_by_label("How many").fill("1")
    assert_no_horizontal_scroll(page)
    screenshot("60-waitlist-join")
    waitlist.get_by_role("button", name="Join the waiting list").click()

    # --- Her private place in line.
    expect(page).to_have_url(re.compile(r"/w/[A-Za-z0-9_-]+/#main$"))
    entry = WaitlistEntry.objects.get(email="ani@example.com")
    expect(page.get_by_role("heading", name="You are number 1 in line")).to_be_visible()
    expect(page.get_by_role("button", name="Leave the waiting list")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("61-waitlist-place")

    # --- An order's deposit deadline passes; the every-minute tick expires it.
    Order.objects.filter(pk=expiring.pk).update(
        deposit_due_at=timezone.now() - timedelta(minutes=1)
    )
    mail.outbox.clear()
    call_command("tick", stdout=StringIO())
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED and entry.held == 1
    offer = next(m for m in mail.outbox if m.to == ["ani@example.com"])
    link = re.search(r"https?://\S+/w/[A-Za-z0-9_-]+/", offer.body).group(0)
    # Nobody from the public page gets the held unit: the page still says sold out.
    other = new_phone_page()
    other.goto(demo_campaign_url)
    expect(other.locator("#order")).to_contain_text("Sold out")

    # --- The seller sees the hold, with the WhatsApp message to send.
    seller = new_phone_page()
    seller.goto(live_server.url + "/accounts/login/")
    seller.get_by_label("Username").fill(SELLER[0])
    seller.get_by_label("Password").fill(SELLER[1])
    seller.get_by_role("button", name="Log in").click()
    expect(seller).to_have_url(f"{live_server.url}/dashboard/demo/")
    seller.goto(f"{live_server.url}/dashboard/demo/campaigns/{campaign.pk}/waiting-list/")
    row = seller.get_by_role("row").filter(has_text=ANI)
    expect(row).to_contain_text("Units held")
    expect(row).to_contain_text("1 held until")
    whatsapp = row.get_by_role("link", name="Send the offer on WhatsApp")
    assert whatsapp.get_attribute("href").startswith("https://wa.me/6281311112222?text=")
    assert_no_horizontal_scroll(seller)
    screenshot("62-seller-waitlist", seller)

    # --- Ani opens the link from her e-mail and orders the unit held for her.
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    offer_card = page.get_by_role("region", name=f"1 × {item} is held for you")
    expect(offer_card).to_contain_text("Order by")
    row = offer_card.get_by_role("group", name=re.compile(rf"^{item}\b"))
    expect(row.get_by_label("Quantity")).to_have_value("1")
    row.get_by_label(NOTE_LABEL).fill("Navy, “ANI”")
    expect(offer_card.get_by_label("Your name")).to_have_value(ANI)
    # The demo shop charges ongkir by destination; Ani collects hers at the workshop (no ongkir).
    offer_card.get_by_label(re.compile(r"Pick it up at Workshop Rajut")).check()
    assert_no_horizontal_scroll(page)
    screenshot("63-waitlist-offer")
    offer_card.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(re.compile(r"/o/[A-Za-z0-9_-]+/#main$"))
    order = Order.objects.get(waitlist_entry=entry)
    assert order.deposit_amount == order.subtotal == price
    expect(page.locator(".pill")).to_have_text("Waiting for deposit")

    # --- She pays in full and sends the proof.
    pay = page.get_by_role("region", name="Pay your down payment")
    expect(pay.locator(".amount")).to_have_text(rupiah(price))
    proof_form = pay.get_by_role("form", name="Sent it? Show the seller")
    proof_form.get_by_label("Sender's name").fill(ANI)
    proof_form.get_by_label("Sent from (bank or e-wallet)").fill("BCA")
    proof_form.get_by_label("Photo or screenshot of the transfer").set_input_files(
        jpeg_proof(tmp_path / "transfer.jpg")
    )
    proof_form.get_by_role("button", name="Send proof of payment").click()
    expect(page).to_have_url(re.compile(r"#payments$"))

    # --- The seller verifies it: the order is paid in full.
    seller.goto(f"{live_server.url}/dashboard/demo/payments/")
    review = seller.get_by_role("article", name=f"{order.code} · Down payment")
    review.get_by_role("button", name="Verify: money received").click()
    expect(seller.get_by_role("status")).to_contain_text(f"Order {order.code}")
    payment = Payment.objects.get(order=order)
    order.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    assert order.status == Order.Status.CONFIRMED
    screenshot("64-waitlist-paid", seller)

    # --- Her order page says received; her waiting-list page points at the order.
    page.goto(f"{live_server.url}/o/{order.token}/")
    expect(page.get_by_role("region", name="Your payments")).to_contain_text("Received")
    page.goto(f"{live_server.url}{entry.get_absolute_url()}")
    expect(page.get_by_role("link", name=f"See your order {order.code}")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("65-waitlist-ordered")
