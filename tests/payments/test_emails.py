"""The buyer hears what the seller decided about each payment: received, or rejected and why."""

from decimal import Decimal

import pytest
from django.core import mail

from orders.models import Order
from payments.exceptions import AlreadyReviewed, InvalidReview
from payments.services.payments import reject_payment, verify_payment
from tests.factories import make_buyer, make_order
from tests.payments.conftest import NOTE, awaiting_balance, send

pytestmark = pytest.mark.django_db


def only_email():
    assert len(mail.outbox) == 1, [email.subject for email in mail.outbox]
    return mail.outbox[0]


def html_of(email) -> str:
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    return html


# --- received -----------------------------------------------------------------------------------


def test_a_verified_deposit_tells_the_buyer_it_arrived_and_the_order_is_confirmed(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # given Sari sent the whole Rp 75.000 deposit
    payment = send(pending_order, "75000")

    # when the seller verifies it
    with django_capture_on_commit_callbacks(execute=True):
        verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then Sari reads that the money arrived and where her order stands now
    email = only_email()
    assert email.to == [pending_order.buyer_email]
    assert email.subject == f"Order {pending_order.code}: payment of Rp 75.000 received"
    assert "received your payment of Rp 75.000 for the down payment" in email.body
    assert "Your order is now: Deposit received" in email.body
    assert f"/o/{pending_order.token}/" in email.body
    assert f"/o/{pending_order.token}/" in html_of(email)


def test_part_of_a_deposit_verified_tells_the_buyer_what_is_still_to_send(
    coded_order, owner, django_capture_on_commit_callbacks
):
    # given Sari sent Rp 50.123 of a Rp 75.000 deposit with code 123
    payment = send(coded_order, "50123")

    # when the seller verifies what arrived
    with django_capture_on_commit_callbacks(execute=True):
        verify_payment(payment=payment, amount_received=Decimal(50123), actor=owner)

    # then she reads what is still to send, her unique code on top
    email = only_email()
    assert "Still to send for the down payment: Rp 25.000" in email.body  # 24.877 + 123
    assert "Your order is now" not in email.body
    coded_order.refresh_from_db()
    assert coded_order.status == Order.Status.PENDING


def test_a_verified_balance_tells_the_buyer_the_order_is_paid_in_full(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # given the deposit verified, production done, and the balance sent
    order = awaiting_balance(pending_order, owner)
    payment = send(order, "75000")

    # when the seller verifies it
    with django_capture_on_commit_callbacks(execute=True):
        verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then Sari reads it is paid in full
    email = only_email()
    assert "for the balance of your pre-order" in email.body
    assert "Your order is now: Paid in full" in email.body


def test_no_email_when_a_second_reviewer_is_too_late(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # given the payment was verified already
    payment = send(pending_order, "75000")
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # when a second member tries again
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyReviewed):
        verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then no second email
    assert mail.outbox == []


# --- rejected -----------------------------------------------------------------------------------


def test_a_rejected_payment_tells_the_buyer_why_and_how_to_send_again(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # given Sari sent a proof, but nothing arrived
    payment = send(pending_order, "75000")

    # when the seller rejects it with the reason
    with django_capture_on_commit_callbacks(execute=True):
        reject_payment(
            payment=payment, reason="Nothing arrived & the name doesn't match", actor=owner
        )

    # then Sari reads the reason as the seller typed it, and where to send again, by when
    email = only_email()
    assert email.to == [pending_order.buyer_email]
    assert email.subject == f"Order {pending_order.code}: your payment was not accepted"
    assert "the payment of Rp 75.000 you sent for the down payment" in email.body
    assert "The reason: Nothing arrived & the name doesn't match" in email.body
    assert "Pay by: " in email.body
    assert f"/o/{pending_order.token}/" in email.body
    html = html_of(email)
    assert "Nothing arrived &amp; the name doesn&#x27;t match" in html
    assert f"/o/{pending_order.token}/" in html


def test_a_rejected_balance_without_a_due_date_still_emails(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # given an order awaiting a balance that has no due date on it
    order = awaiting_balance(pending_order, owner)
    payment = send(order, "75000")

    # when the balance payment is rejected
    with django_capture_on_commit_callbacks(execute=True):
        reject_payment(payment=payment, reason="Wrong amount", actor=owner)

    # then the email goes out, without a "pay by"
    email = only_email()
    assert "The reason: Wrong amount" in email.body
    assert "Pay by" not in email.body


def test_no_email_leaves_for_a_rejection_without_a_reason(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # given a proof waiting for review
    payment = send(pending_order, "75000")
    # when the seller rejects it without saying why
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidReview):
        reject_payment(payment=payment, reason="  ", actor=owner)
    # then the refusal is the seller's to fix; the buyer hears nothing
    assert mail.outbox == []


# --- in Indonesian ------------------------------------------------------------------------------


def test_payment_emails_render_in_indonesian(
    open_campaign, owner, django_capture_on_commit_callbacks
):
    # given an order placed from an Indonesian browser, and two proofs
    order = make_order(open_campaign, note=NOTE, buyer=make_buyer(language="id"))
    first = send(order, "75000")

    # when one is rejected and the next one verified
    with django_capture_on_commit_callbacks(execute=True):
        reject_payment(payment=first, reason="Bukti tidak terbaca", actor=owner)
        second = send(order, "75000")
        verify_payment(payment=second, amount_received=Decimal(75000), actor=owner)

    # then both emails went out, each with the order's code and link
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        assert order.code in email.subject
        assert order.token in email.body
    assert "Bukti tidak terbaca" in mail.outbox[0].body
