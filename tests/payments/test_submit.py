"""A buyer sends a proof of transfer (payments issue, items 1–3): it waits for review, once at a
time, for an amount that can be right, from a named sender."""

from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Order, OrderEvent
from payments.exceptions import InvalidAmount, InvalidSender, NothingToPay, PaymentWaiting
from payments.models import Payment
from payments.services.payments import reject_payment, submit_payment, verify_payment
from tests.payments import pictures
from tests.payments.conftest import awaiting_balance, send, stored_files
from tests.payments.proofs import nothing_stored

pytestmark = pytest.mark.django_db

S = Order.Status


def test_buyer_sends_a_deposit_proof_and_it_waits_for_review(coded_order, private_files):
    # given an order owing Rp 75.000 with the unique code 123
    # when the buyer reports Rp 75.123 sent from BCA
    payment = send(coded_order, "75123", sender_name="  Sari W.  ", sender_bank=" BCA ")

    # then a deposit payment waits for review, with the order's code copied onto it
    payment.refresh_from_db()
    assert payment.kind == Payment.Kind.DEPOSIT
    assert payment.status == Payment.Status.SUBMITTED
    assert payment.amount == Decimal(75123)
    assert payment.unique_code == 123
    assert (payment.sender_name, payment.sender_bank) == ("Sari W.", "BCA")
    assert payment.amount_received is None
    # and the order has not moved
    coded_order.refresh_from_db()
    assert coded_order.status == S.PENDING
    # and the timeline says so
    event = coded_order.events.get(kind=OrderEvent.Kind.PAYMENT)
    assert event.note == "Payment of Rp 75.123 sent for the down payment."
    assert event.actor is None


def test_the_balance_is_what_an_order_awaiting_its_balance_pays(pending_order, owner):
    # given an order whose deposit was verified and whose production is done
    order = awaiting_balance(pending_order, owner)

    # when the buyer sends the rest
    payment = send(order, "75000")

    # then it is a balance payment
    assert payment.kind == Payment.Kind.BALANCE
    assert "for the balance" in order.events.filter(kind="payment").last().note


@pytest.mark.parametrize(
    "status", [S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED, S.EXPIRED, S.CANCELLED]
)
def test_an_order_not_waiting_for_money_takes_no_payment(pending_order, private_files, status):
    # given an order in a state that owes nothing right now
    # (a shipped order has its shipping time: the database insists)
    shipped_at = timezone.now() if status == S.SHIPPED else None
    Order.objects.filter(pk=pending_order.pk).update(status=status, shipped_at=shipped_at)
    pending_order.refresh_from_db()

    # when the buyer sends a proof anyway
    with pytest.raises(NothingToPay):
        send(pending_order, "75000")

    # then nothing is stored
    assert nothing_stored(pending_order, private_files)


def test_a_second_payment_waits_until_the_first_is_reviewed(pending_order, private_files):
    # given a payment waiting for review
    send(pending_order, "75000")
    files = stored_files(private_files)

    # when the buyer sends another one
    with pytest.raises(PaymentWaiting):
        send(pending_order, "75000")

    # then only the first is kept, and no new file is left behind
    assert pending_order.payments.count() == 1
    assert stored_files(private_files) == files


def test_after_a_rejection_the_buyer_can_send_again(pending_order, owner):
    # given a rejected payment
    first = send(pending_order, "75000")
    reject_payment(payment=first, reason="Nothing arrived in BCA", actor=owner)

    # when the buyer sends a new proof
    second = send(pending_order, "75000")

    # then it waits for review
    assert second.status == Payment.Status.SUBMITTED
    assert pending_order.payments.count() == 2


def test_after_a_short_deposit_the_buyer_sends_the_rest(pending_order, owner):
    # given Rp 50.000 of the Rp 75.000 deposit received
    first = send(pending_order, "50000")
    verify_payment(payment=first, amount_received=Decimal(50000), actor=owner)

    # when the buyer sends the Rp 25.000 still missing
    second = send(pending_order, "25000")

    # then it is another deposit payment
    assert second.kind == Payment.Kind.DEPOSIT


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (Decimal(0), "more than zero"),
        (Decimal(-75000), "more than zero"),
        (Decimal("75000.5"), "without extra decimals"),
        (Decimal("NaN"), "in numbers"),
        (Decimal("Infinity"), "in numbers"),
        ("75000", "in numbers"),  # not a Decimal: a caller's mistake, refused all the same
        (Decimal("1e15"), "too large"),
        (Decimal(150001), "more than the whole order still owes (Rp 150.000)"),
    ],
)
def test_amounts_that_cannot_be_right_are_refused(pending_order, private_files, amount, reason):
    # when
    with pytest.raises(InvalidAmount) as refusal:
        submit_payment(
            order=pending_order,
            amount=amount,
            sender_name="Sari",
            sender_bank="BCA",
            proof_upload=pictures.proof_jpeg(),
        )

    # then
    assert reason in str(refusal.value)
    assert nothing_stored(pending_order, private_files)


def test_paying_the_whole_order_at_once_is_allowed(coded_order):
    # when the buyer pays the subtotal and the unique code with the deposit
    payment = send(coded_order, "150123")

    # then
    assert payment.amount == Decimal(150123)


@pytest.mark.parametrize(("name", "bank"), [("", "BCA"), ("Sari", "   "), ("x" * 101, "BCA")])
def test_the_sender_must_be_named(pending_order, private_files, name, bank):
    with pytest.raises(InvalidSender):
        send(pending_order, "75000", sender_name=name, sender_bank=bank)
    assert nothing_stored(pending_order, private_files)
