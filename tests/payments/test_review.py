"""The seller checks each proof against the bank and verifies or rejects it (payments issue,
items 2 and 4); the order moves on through the one door, once."""

from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import AlreadyReviewed, InvalidReview
from payments.models import Payment
from payments.services.payments import reject_payment, verify_payment
from tests.payments.conftest import awaiting_balance, send
from tests.support import race

S = Order.Status


def status_events(order: Order):
    return list(
        order.events.filter(kind=OrderEvent.Kind.STATUS).values_list(
            "from_status", "to_status", "actor_id"
        )
    )


def payment_notes(order: Order) -> list[str]:
    events = order.events.filter(kind=OrderEvent.Kind.PAYMENT)
    return [str(note) for note in events.values_list("note", flat=True)]


# --- verify and reject: the services ------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_deposit_verified_confirms_the_order(coded_order, owner):
    # given Rp 75.123 reported for a Rp 75.000 deposit with code 123
    payment = send(coded_order, "75123")

    # when the seller sees it in the bank and verifies it
    payment = verify_payment(payment=payment, amount_received=Decimal(75123), actor=owner)

    # then the payment is received, by whom and when
    payment.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    assert payment.amount_received == Decimal(75123)
    assert payment.reviewed_by == owner
    assert payment.reviewed_at is not None
    # and the order is confirmed through the one door, the seller named on both events
    coded_order.refresh_from_db()
    assert coded_order.status == S.CONFIRMED
    assert status_events(coded_order) == [(S.PENDING, S.CONFIRMED, owner.pk)]
    event = coded_order.events.filter(kind=OrderEvent.Kind.PAYMENT).last()
    assert event.note == "Payment of Rp 75.123 received for the down payment."
    assert event.actor == owner


@pytest.mark.django_db
def test_a_short_deposit_counts_but_the_order_waits_for_the_rest(pending_order, owner):
    # given Rp 75.000 reported
    payment = send(pending_order, "75000")

    # when only Rp 50.000 actually arrived
    verify_payment(payment=payment, amount_received=Decimal(50000), actor=owner)

    # then the payment is verified at what arrived, the order stays, and says what is missing
    payment.refresh_from_db()
    assert (payment.status, payment.amount_received) == (Payment.Status.VERIFIED, Decimal(50000))
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING
    assert status_events(pending_order) == []
    assert payment_notes(pending_order)[-1] == (
        "Payment of Rp 50.000 received for the down payment; Rp 25.000 is still missing."
    )

    # when the rest arrives
    rest = send(pending_order, "25000")
    verify_payment(payment=rest, amount_received=Decimal(25000), actor=owner)

    # then the order is confirmed
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED


@pytest.mark.django_db
def test_a_full_balance_verified_marks_the_order_paid(pending_order, owner):
    # given an order awaiting its Rp 75.000 balance
    order = awaiting_balance(pending_order, owner)
    short = send(order, "75000")

    # when Rp 70.000 arrives, then the missing Rp 5.000
    verify_payment(payment=short, amount_received=Decimal(70000), actor=owner)
    order.refresh_from_db()
    assert order.status == S.AWAITING_BALANCE
    assert payment_notes(order)[-1].endswith("Rp 5.000 is still missing.")
    rest = send(order, "5000")
    verify_payment(payment=rest, amount_received=Decimal(5000), actor=owner)

    # then it is paid in full
    order.refresh_from_db()
    assert order.status == S.PAID
    assert status_events(order)[-1] == (S.AWAITING_BALANCE, S.PAID, owner.pk)


@pytest.mark.django_db
def test_money_for_an_order_that_expired_meanwhile_is_recorded_and_the_order_stays(
    pending_order, owner
):
    # given a proof sent in time, and the order expired before the seller looked
    payment = send(pending_order, "75000")
    move_order(order=pending_order, to=S.EXPIRED)

    # when the seller finds the money in the bank
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then it counts as received (to be refunded or the order restored) and the order stays
    pending_order.refresh_from_db()
    assert pending_order.status == S.EXPIRED
    assert "the order is “Expired”, so it stays as it is" in payment_notes(pending_order)[-1]


@pytest.mark.django_db
def test_a_rejected_payment_leaves_the_order_and_tells_the_buyer_why(pending_order, owner):
    payment = send(pending_order, "75000")

    # when
    reject_payment(payment=payment, reason="  Nothing arrived in BCA today  ", actor=owner)

    # then
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REJECTED
    assert payment.reject_reason == "Nothing arrived in BCA today"
    assert payment.reviewed_by == owner
    assert payment.amount_received is None
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING
    event = pending_order.events.filter(kind=OrderEvent.Kind.PAYMENT).last()
    assert event.note == (
        "Payment of Rp 75.000 for the down payment rejected: Nothing arrived in BCA today"
    )
    assert event.actor == owner


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_rejection_needs_a_reason(pending_order, owner, reason):
    payment = send(pending_order, "75000")
    with pytest.raises(InvalidReview):
        reject_payment(payment=payment, reason=reason, actor=owner)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "received",
    [Decimal(0), Decimal(-1), Decimal("75000.5"), Decimal("NaN"), Decimal("1e15"), 75000],
)
def test_the_amount_received_must_be_a_real_amount(pending_order, owner, received):
    payment = send(pending_order, "75000")
    with pytest.raises(InvalidReview):
        verify_payment(payment=payment, amount_received=received, actor=owner)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING


@pytest.mark.django_db
def test_a_payment_is_reviewed_once(pending_order, owner):
    # given a payment already verified by one member, from a page another member still has open
    stale = send(pending_order, "75000")
    verify_payment(
        payment=Payment.objects.get(pk=stale.pk), amount_received=Decimal(75000), actor=owner
    )

    # when the other member verifies or rejects it too
    with pytest.raises(AlreadyReviewed):
        verify_payment(payment=stale, amount_received=Decimal(75000), actor=owner)
    with pytest.raises(AlreadyReviewed):
        reject_payment(payment=stale, reason="Duplicate", actor=owner)

    # then it counted once, and the order moved once
    assert pending_order.payments.get().amount_received == Decimal(75000)
    assert len(status_events(pending_order)) == 1


# --- at the same moment, on PostgreSQL --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_verifying_the_same_payment_at_once_verify_it_once(pending_order, owner):
    # given one payment, and ten members each with it open on their phone
    payment = send(pending_order, "75000")

    # when all ten press "Verify" at the same moment
    def verify(i):
        stale = Payment.objects.get(pk=payment.pk)  # as each request would load it
        return verify_payment(payment=stale, amount_received=Decimal(75000), actor=owner)

    results = race(10, verify)

    # then exactly one verified it; the others were told it already was
    verified = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, AlreadyReviewed)]
    assert len(verified) == 1, results
    assert len(refused) == 9, results
    # and it counted once, with one confirm event
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    assert status_events(pending_order) == [(S.PENDING, S.CONFIRMED, owner.pk)]
    assert len([n for n in payment_notes(pending_order) if "received" in n]) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_halves_of_a_deposit_verified_at_once_confirm_the_order(pending_order, owner):
    # given two payments of half the deposit each, waiting side by side (written directly:
    # the buyer's form allows one at a time)
    halves = [
        Payment.objects.create(
            order=pending_order,
            kind=Payment.Kind.DEPOSIT,
            amount=Decimal(37500),
            sender_name="Sari",
            sender_bank="BCA",
            proof="proofs/none.webp",
            created_at=timezone.now(),
        )
        for _ in range(2)
    ]

    # when two members verify one each at the same moment
    race(
        2,
        lambda i: verify_payment(payment=halves[i], amount_received=Decimal(37500), actor=owner),
    )

    # then each saw the other's: the order is confirmed, once
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    assert status_events(pending_order) == [(S.PENDING, S.CONFIRMED, owner.pk)]
