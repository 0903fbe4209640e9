"""Money in without eyes, in a real browser on a phone: the seller uploads the bank's mutasi,
checks the preview, confirms once, and the orders its transfers pay are confirmed; the line that
pays no order is dismissed. Every page on the way passes axe at 360 px.

Uses the demo data (`manage.py seed_demo`). Screenshots go to test-artifacts/e2e/ (40-… onward).
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from orders.models import Order
from payments.models import Payment, StatementLine
from tests.e2e.conftest import CHROMIUM
from tests.e2e.test_accessibility import SMALL_PHONE, Walk
from tests.e2e.test_payment_flow import rupiah
from tests.payments.statement_files import klikbca

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM}"),
]

SELLER = ("demo", "demo-openpo-2026")  # printed by seed_demo


def klikbca_file(path, lines) -> str:
    """The mutasi as KlikBCA downloads it (tests/payments/statement_files.py), saved to `path`."""
    path.write_text(klikbca(lines), encoding="utf-8")
    return str(path)


def test_seller_imports_a_statement_and_its_transfers_confirm_their_orders(
    page: Page,
    live_server,
    private_media_root,
    demo_campaign_url,
    new_phone_page,
    screenshot,
    tmp_path,
):
    # given two demo orders still waiting for their down payment, and the bank's mutasi with
    # their transfers (each naming its order), and a cash deposit that pays no order
    unpaid = list(
        Order.objects.filter(
            campaign__slug="custom-name-tote", status=Order.Status.PENDING, payments__isnull=True
        ).order_by("pk")
    )
    assert len(unpaid) == 2
    today = timezone.localdate()
    statement = klikbca_file(
        tmp_path / "mutasi-bca.csv",
        [
            (today, o.deposit_amount, f"TRSF E-BANKING CR DP {o.code} {o.buyer_name.upper()}")
            for o in unpaid
        ]
        + [(today, 35000, "SETORAN TUNAI")],
    )
    page.set_viewport_size(SMALL_PHONE)
    walk = Walk(page, live_server.url)

    # --- The seller logs in and opens Bank statements.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(SELLER[0])
    page.get_by_label("Password").fill(SELLER[1])
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Dashboard").get_by_role(
        "link", name="Bank statements"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank statements")
    walk.check()
    screenshot("40-bank-statements")

    # --- Uploads the BCA file.
    upload = page.get_by_role("region", name="Upload a statement")
    upload.get_by_label("Bank").select_option(label="BCA (KlikBCA, CSV or TXT)")
    upload.get_by_label("Statement file").set_input_files(statement)
    upload.get_by_role("button", name="Upload and preview").click()

    # --- The preview: two transfers matched to their orders, the cash deposit to nothing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement preview")
    figures = page.locator(".figures")
    expect(figures).to_contain_text(re.compile(r"Matched\s*2"))
    expect(figures).to_contain_text(re.compile(r"Unmatched\s*1"))
    lines = page.get_by_role("region", name="Lines")  # the table, scrolled sideways on a phone
    for order in unpaid:
        expect(lines).to_contain_text(order.code)
    expect(page.get_by_role("region", name="Confirm")).to_contain_text(
        "2 matched transfers are credited to their orders"
    )
    assert not Payment.objects.filter(order__in=unpaid).exists()  # nothing credited yet
    walk.check()
    screenshot("41-statement-preview")

    # --- Confirms, once.
    page.get_by_role("button", name="Confirm and credit").click()
    expect(page.get_by_role("status")).to_have_text(
        "2 payments credited. 1 line is left for you to match or dismiss."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported statement")
    walk.check()
    screenshot("42-statement-imported")
    for order in unpaid:
        order.refresh_from_db()
        assert order.status == Order.Status.CONFIRMED
        payment = order.payments.get()
        assert payment.source == "statement" and payment.amount_received == order.deposit_amount

    # --- The order page says how the money was confirmed.
    first = unpaid[0]
    page.goto(f"{live_server.url}/dashboard/demo/orders/{first.code}/")
    expect(page.locator(".pill")).to_have_text("Deposit received")
    expect(page.get_by_role("region", name="Payments")).to_contain_text(
        "Found in the bank statement: line of"
    )
    walk.check()
    screenshot("43-order-confirmed-from-statement")

    # --- The buyer sees it received, with no proof sent.
    buyer = new_phone_page()
    buyer.goto(live_server.url + first.get_absolute_url())
    payments = buyer.get_by_role("region", name="Your payments")
    expect(payments.locator(".payment-status")).to_have_text("Received")
    expect(payments).to_contain_text("Found in the seller's bank statement.")
    screenshot("44-buyer-sees-it-received", buyer)

    # --- The cash deposit: dismissed from the lines to match.
    page.goto(f"{live_server.url}/dashboard/demo/statements/lines/")
    # (the demo's own cash deposit, of Rp 50.000, waits there too)
    row = page.get_by_role("row").filter(has_text="SETORAN TUNAI").filter(has_text=rupiah(35000))
    row.get_by_role("link", name="Match or dismiss…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Statement line of {rupiah(35000)}")
    walk.check()
    screenshot("45-statement-line")
    page.get_by_label("Why it pays no order").fill("Cash from the bazaar stall, already counted")
    page.get_by_role("button", name="Dismiss", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("The line is dismissed.")
    assert StatementLine.objects.get(amount=35000).status == "dismissed"

    assert not walk.problems, "\n".join(walk.problems)
