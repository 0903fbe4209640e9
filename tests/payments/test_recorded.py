"""Payments the seller records by hand (a transfer seen in the bank app, cash at a bazaar, part
of a payment): credited through the same door as a reviewed proof, and shown with what is left."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderEvent
from payments.exceptions import InvalidAmount, NothingToPay, PaymentRefused, PaymentWaiting
from payments.models import Payment
from payments.services.recorded import record_payment
from tests.factories import make_order
from tests.payments.conftest import NOTE, send, stored_files
from tests.payments.pictures import TEXT, proof_jpeg, upload
from tests.support import page_text

S = Order.Status
pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def record(order, amount, **fields):
    fields.setdefault("received_on", today())
    fields.setdefault("method", Payment.Method.CASH)
    fields.setdefault("actor", order.campaign.shop.owner)
    return record_payment(order=order, amount=Decimal(amount), **fields)


def test_part_of_a_deposit_in_cash_counts_and_the_rest_stays_due(
    pending_order, owner, django_capture_on_commit_callbacks
):
    # when the seller records Rp 50.000 of the Rp 75.000 down payment, paid in cash
    with django_capture_on_commit_callbacks(execute=True):
        payment = record(pending_order, "50000")

    # then it counts as received, the order still waits for the other Rp 25.000
    assert (payment.source, payment.status, payment.amount_received) == (
        Payment.Source.RECORDED,
        Payment.Status.VERIFIED,
        Decimal(50000),
    )
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING
    note = pending_order.events.filter(kind=OrderEvent.Kind.PAYMENT).get().note
    assert "Rp 25.000 is still missing" in note
    assert "Recorded by hand: cash" in note
    # and the buyer is told, as for a verified proof
    (email,) = mail.outbox
    assert "Still to send for the down payment: Rp 25.000" in email.body


def test_the_rest_recorded_confirms_the_order(pending_order, owner):
    record(pending_order, "50000")
    record(pending_order, "25000", method=Payment.Method.TRANSFER)
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    assert pending_order.payments.count() == 2


@pytest.mark.parametrize(
    ("amount", "fields", "refusal", "says"),
    [
        ("0", {}, InvalidAmount, "more than zero"),
        ("150001", {}, InvalidAmount, "more than order"),
        ("75000.5", {}, InvalidAmount, "without extra decimals"),
        ("75000", {"received_on": "tomorrow"}, PaymentRefused, "today or earlier"),
        ("75000", {"method": "barter"}, PaymentRefused, "how the money arrived"),
    ],
)
def test_what_the_rules_refuse_is_not_recorded(pending_order, amount, fields, refusal, says):
    if fields.get("received_on") == "tomorrow":
        fields["received_on"] = today() + timedelta(days=1)
    with pytest.raises(refusal) as refused:
        record(pending_order, amount, **fields)
    assert says in str(refused.value.message)
    assert not Payment.objects.exists()


def test_a_day_before_the_order_was_placed_is_refused(pending_order):
    with pytest.raises(PaymentRefused, match="cannot have arrived before"):
        record(pending_order, "75000", received_on=today() - timedelta(days=30))


def test_nothing_is_recorded_while_a_proof_waits_for_review(pending_order):
    # given the buyer's proof, still waiting: it may be this very money
    send(pending_order, "75000")
    with pytest.raises(PaymentWaiting, match="verify or reject it first"):
        record(pending_order, "75000")
    assert pending_order.payments.count() == 1


def test_an_order_that_does_not_wait_for_money_takes_none(pending_order):
    record(pending_order, "75000")
    with pytest.raises(NothingToPay):
        record(pending_order, "1000")


def test_a_proof_picture_is_kept_privately_and_a_bad_one_stores_nothing(
    pending_order, private_files
):
    with pytest.raises(PaymentRefused):
        record(pending_order, "75000", proof_upload=upload(TEXT, "x.jpg"))
    assert stored_files(private_files) == []
    payment = record(pending_order, "75000", proof_upload=proof_jpeg())
    assert payment.proof.name.startswith("proofs/")
    assert len(stored_files(private_files)) == 2


# --- the order page --------------------------------------------------------------------------


def order_url(order) -> str:
    return reverse("dashboard:order", args=[order.campaign.shop.slug, order.code])


def test_the_seller_records_cash_on_the_order_page_and_sees_what_is_left(seller, pending_order):
    # when the seller fills in the form on the order page
    response = seller.post(
        reverse("dashboard:order_payment_record", args=["rajut", pending_order.code]),
        {
            "record-amount": "50.000",
            "record-received_on": today().isoformat(),
            "record-method": "cash",
        },
    )

    # then the order page says it was recorded, by whom, and what is still to pay
    assert response.status_code == 302
    text = page_text(seller.get(order_url(pending_order)))
    assert "Rp 50.000 recorded. Order" in text
    assert "Recorded by " in text
    assert "cash, received" in text
    assert "Still to pay for the down payment: Rp 25.000." in text


def test_a_refused_record_shows_the_form_again_with_the_reason(seller, pending_order):
    response = seller.post(
        reverse("dashboard:order_payment_record", args=["rajut", pending_order.code]),
        {
            "record-amount": "999.999",
            "record-received_on": today().isoformat(),
            "record-method": "transfer",
        },
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "more than order" in text
    assert 'value="999.999"' in response.content.decode()
    assert not Payment.objects.exists()


def test_the_buyer_sees_money_the_seller_recorded_without_a_proof_link(client, pending_order):
    record(pending_order, "75000")
    text = page_text(client.get(pending_order.get_absolute_url()))
    assert "Recorded by the seller." in text
    assert "See the proof you sent" not in text


def test_a_pending_buyer_is_told_the_proof_is_optional(client, pending_order):
    text = page_text(client.get(pending_order.get_absolute_url()))
    assert "We will confirm your payment when it reaches our account" in text
    assert "Optional: a photo or screenshot of the transfer" in text


def test_a_payment_waiting_shows_its_note_on_the_order_page(seller, open_campaign):
    order = make_order(open_campaign, note=NOTE)
    send(order, "75000", sender_name="Sari Wulandari")
    text = page_text(seller.get(order_url(order)))
    assert "Proof from Sari Wulandari (BCA)" in text
