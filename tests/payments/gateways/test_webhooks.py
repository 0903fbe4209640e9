"""The gateways tell us a buyer paid: signed notifications credit the order once, through the
same door as a verified proof; anything unsigned or unreadable changes nothing."""

from decimal import Decimal

import pytest
from django.core import mail

from orders.models import Order
from payments.models import GatewayNotification, GatewayTransaction, Payment
from tests.payments.gateways.conftest import (
    midtrans_notification,
    pay_now,
    post_midtrans,
    post_xendit,
    xendit_notification,
)

pytestmark = pytest.mark.django_db


def test_a_signed_qris_settlement_confirms_the_order_and_emails_the_buyer(
    client, gateway, midtrans_shop, pending_order, django_capture_on_commit_callbacks
):
    # given the buyer clicked "Pay now" for the Rp 75.000 down payment
    txn = pay_now(pending_order)
    assert txn.status == GatewayTransaction.Status.PENDING
    mail.outbox.clear()

    # when Midtrans notifies the settlement, signed with the shop's Server Key
    with django_capture_on_commit_callbacks(execute=True):
        response = post_midtrans(client, midtrans_notification(txn))

    # then the order is confirmed by one verified payment from the gateway
    assert response.status_code == 200
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CONFIRMED
    payment = Payment.objects.get(order=pending_order)
    assert payment.source == Payment.Source.GATEWAY
    assert payment.status == Payment.Status.VERIFIED
    assert payment.amount_received == Decimal(75000)
    # and the timeline says how, and the buyer gets the same e-mail as for a verified proof
    notes = [str(e.note) for e in pending_order.events.all()]
    assert any("Paid through Midtrans." in note for note in notes)
    assert [m.to for m in mail.outbox] == [[pending_order.buyer_email]]
    # and the notification is kept as it came
    stored = GatewayNotification.objects.get()
    assert '"payment_type": "qris"' in stored.body or '"qris"' in stored.body


def test_a_wrong_signature_is_refused_and_changes_nothing(
    client, gateway, midtrans_shop, pending_order
):
    txn = pay_now(pending_order)
    body = midtrans_notification(txn, key="somebody-elses-key")

    response = post_midtrans(client, body)

    assert response.status_code == 401
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING
    assert not Payment.objects.exists()
    assert not GatewayNotification.objects.exists()


@pytest.mark.parametrize("tamper", ["missing", "amount"])
def test_a_missing_signature_or_a_changed_amount_is_refused(
    client, gateway, midtrans_shop, pending_order, tamper
):
    txn = pay_now(pending_order)
    body = midtrans_notification(txn)
    if tamper == "missing":
        del body["signature_key"]
    else:
        body["gross_amount"] = "1000.00"  # signed for 75.000

    assert post_midtrans(client, body).status_code == 401
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'{"order_id": "x"}', b'{"order_id": ["x"], "status_code": 1}'],
)
def test_a_malformed_body_is_400_never_500(client, db, body):
    response = client.post("/payments/webhooks/midtrans/", data=body, content_type="text/plain")
    assert response.status_code == 400


def test_an_unknown_transaction_is_refused(client, db):
    body = {
        "order_id": "OPO-NOPE",
        "status_code": "200",
        "gross_amount": "1.00",
        "transaction_status": "settlement",
        "signature_key": "00",
    }
    assert post_midtrans(client, body).status_code == 401


def test_the_same_notification_ten_times_credits_once(
    client, gateway, midtrans_shop, pending_order
):
    txn = pay_now(pending_order)
    body = midtrans_notification(txn)

    statuses = [post_midtrans(client, body).status_code for _ in range(10)]

    assert statuses == [200] * 10
    assert Payment.objects.filter(order=pending_order).count() == 1
    assert GatewayNotification.objects.count() == 10
    outcomes = list(GatewayNotification.objects.values_list("outcome", flat=True))
    assert outcomes == ["credited"] + ["ignored"] * 9


def test_a_wrong_amount_goes_to_the_sellers_review_instead_of_confirming(
    client, gateway, midtrans_shop, pending_order
):
    txn = pay_now(pending_order)

    response = post_midtrans(client, midtrans_notification(txn, gross=50000))

    assert response.status_code == 200
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING
    payment = Payment.objects.get(order=pending_order)
    assert payment.status == Payment.Status.SUBMITTED
    assert payment.amount == Decimal(50000)
    assert "was asked" in str(pending_order.events.last().note)


def test_settlement_after_expire_still_credits_and_pending_after_settlement_changes_nothing(
    client, gateway, midtrans_shop, pending_order
):
    txn = pay_now(pending_order)
    post_midtrans(client, midtrans_notification(txn, "midtrans_expire.json"))
    txn.refresh_from_db()
    assert txn.status == GatewayTransaction.Status.EXPIRED

    post_midtrans(client, midtrans_notification(txn))
    post_midtrans(client, midtrans_notification(txn, "midtrans_va_pending.json"))

    txn.refresh_from_db()
    pending_order.refresh_from_db()
    assert txn.status == GatewayTransaction.Status.PAID
    assert pending_order.status == Order.Status.CONFIRMED
    assert Payment.objects.filter(order=pending_order).count() == 1


def test_xendit_invoice_paid_with_the_shops_token_confirms(
    client, gateway, xendit_shop, pending_order
):
    txn = pay_now(pending_order, "xendit")
    assert txn.redirect_url.startswith("https://checkout-staging.xendit.co/")

    response = post_xendit(client, xendit_notification(txn))

    assert response.status_code == 200
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CONFIRMED


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_xendit_without_the_right_token_is_refused(
    client, gateway, xendit_shop, pending_order, token
):
    txn = pay_now(pending_order, "xendit")

    response = post_xendit(client, xendit_notification(txn), token=token)

    assert response.status_code == 401
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING


@pytest.mark.parametrize("gross", ["0", "-5", "1e20", "NaN"])
def test_a_signed_body_with_an_impossible_amount_is_400_and_changes_nothing(
    client, gateway, midtrans_shop, pending_order, gross
):
    txn = pay_now(pending_order)
    body = midtrans_notification(txn)
    body["gross_amount"] = gross
    from payments.services.gateways.notices import midtrans_signature

    body["signature_key"] = midtrans_signature(txn.reference, "200", gross, "SB-Mid-server-TEST")

    assert post_midtrans(client, body).status_code == 400
    assert not Payment.objects.exists()


def test_both_order_pages_say_the_payment_came_online(
    client, seller, gateway, midtrans_shop, pending_order
):
    txn = pay_now(pending_order)
    post_midtrans(client, midtrans_notification(txn))

    buyer_page = client.get(pending_order.get_absolute_url()).content.decode()
    seller_page = seller.get(f"/dashboard/rajut/orders/{pending_order.code}/").content.decode()

    assert "Paid online: Midtrans · qris." in buyer_page
    assert "Paid online: Midtrans · qris," in seller_page


def test_integrity_holds_after_gateway_payments_and_names_a_paid_transaction_without_payment(
    client, gateway, midtrans_shop, pending_order, open_campaign
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from tests.factories import make_buyer, make_order

    txn = pay_now(pending_order)
    post_midtrans(client, midtrans_notification(txn))
    call_command("check_integrity", stdout=StringIO())

    other = make_order(open_campaign, note="Navy", buyer=make_buyer())
    broken = pay_now(other)
    GatewayTransaction.objects.filter(pk=broken.pk).update(status="paid")
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=StringIO(), stderr=errors)
    assert f"gateway transaction {broken.reference} is paid but no payment names it" in (
        errors.getvalue()
    )


def test_the_seller_verifies_a_gateway_payment_from_the_review_queue(
    client, seller, gateway, midtrans_shop, pending_order
):
    # given Midtrans settled Rp 70.000 where Rp 75.000 was asked
    txn = pay_now(pending_order)
    post_midtrans(client, midtrans_notification(txn, gross=70000))
    payment = Payment.objects.get()
    queue = seller.get("/dashboard/rajut/payments/").content.decode()
    assert "Paid through the payment gateway" in queue

    # when the seller checks the gateway's dashboard and verifies what arrived
    response = seller.post(
        f"/dashboard/rajut/payments/{payment.pk}/verify/",
        {f"p{payment.pk}-amount_received": "70.000"},
    )

    # then it counts like any reviewed payment: Rp 5.000 is still missing
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING
    assert "Rp 5.000 is still missing" in str(pending_order.events.last().note)
