"""Cancelling an order gives back its units and puts what it paid on the refunds list, once, and
the buyer is told why (DESIGN.md, Money and Order life)."""

from decimal import Decimal

import pytest
from django.core import mail

from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import CancelRefused, InvalidReason
from payments.models import Payment, Refund
from payments.services.cancellations import cancel_order
from payments.services.ledger import amount_paid, refundable
from payments.services.payments import verify_payment
from tests.payments.conftest import send
from tests.payments.refunds.checks import counters, refund_notes, snapshot
from tests.support import race

S = Order.Status


# --- cancel_order -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_a_confirmed_order_refunds_its_deposit_and_gives_the_units_back(
    confirmed_order, owner
):
    # given the order holds one unit and paid Rp 75.000
    assert counters(confirmed_order) == (1, 1)

    # when the seller cancels it
    cancellation = cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed")

    # then it is cancelled through the one door, units back on sale
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == S.CANCELLED
    assert counters(confirmed_order) == (0, 0)
    status = confirmed_order.events.filter(kind=OrderEvent.Kind.STATUS).latest("id")
    assert (status.from_status, status.to_status, status.actor, status.note) == (
        S.CONFIRMED,
        S.CANCELLED,
        owner,
        "Vendor closed",
    )
    # and what it paid waits on the refunds list, said on the timeline
    refund = cancellation.refund
    assert (refund.amount, refund.status, refund.reason) == (
        Decimal(75000),
        Refund.Status.PENDING,
        "Vendor closed",
    )
    assert (refund.bank, refund.account_number, refund.reference) == ("", "", "")
    assert refund_notes(confirmed_order) == ["Refund of Rp 75.000 to send back to the buyer."]
    # and it is still paid until it is sent, with nothing more to refund
    assert amount_paid(confirmed_order) == Decimal(75000)
    assert refundable(confirmed_order) == 0


@pytest.mark.django_db
def test_cancelling_an_order_that_paid_nothing_makes_no_refund(pending_order, owner):
    cancellation = cancel_order(order=pending_order, actor=owner, reason="Duplicate order")
    assert cancellation.refund is None
    assert pending_order.status == S.CANCELLED
    assert not pending_order.refunds.exists()
    assert refund_notes(pending_order) == []


@pytest.mark.django_db
def test_a_part_paid_deposit_is_refunded_at_what_arrived(pending_order, owner):
    # given Rp 40.000 reported, Rp 39.000 arrived
    verify_payment(
        payment=send(pending_order, "40000"), amount_received=Decimal(39000), actor=owner
    )
    # when
    refund = cancel_order(order=pending_order, actor=owner, reason="Buyer asked").refund
    # then
    assert refund.amount == Decimal(39000)


@pytest.mark.django_db
def test_cancelling_without_refund_keeps_the_money_on_the_order(confirmed_order, owner):
    cancellation = cancel_order(
        order=confirmed_order, actor=owner, reason="Kept as agreed", refund=False
    )
    assert cancellation.refund is None
    assert confirmed_order.status == S.CANCELLED
    assert refundable(confirmed_order) == Decimal(75000)


@pytest.mark.django_db
def test_the_buyer_is_emailed_the_cancellation_and_the_refund_to_come(
    confirmed_order, owner, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed")
    # then one email, in text and HTML, with the reason, the amount and the private link
    cancelled = [m for m in mail.outbox if "cancelled" in m.subject]
    assert len(cancelled) == 1
    email = cancelled[0]
    assert email.to == [confirmed_order.buyer_email]
    assert confirmed_order.code in email.subject and "Rp 75.000" in email.subject
    assert "Vendor closed" in email.body
    assert "Rp 75.000, will be refunded" in email.body
    assert f"/o/{confirmed_order.token}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "Vendor closed" in html


@pytest.mark.django_db
def test_the_cancellation_email_speaks_the_buyers_language(
    confirmed_order, owner, django_capture_on_commit_callbacks
):
    # given a buyer who ordered in Indonesian
    Order.objects.filter(pk=confirmed_order.pk).update(language="id")
    confirmed_order.refresh_from_db()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order=confirmed_order, actor=owner, reason="Vendor tutup")
    # then it is rendered with the buyer's language active (the money is still in rupiah)
    email = next(m for m in mail.outbox if confirmed_order.code in m.subject)
    assert "Rp 75.000" in email.body and "Vendor tutup" in email.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [(S.CANCELLED,), (S.EXPIRED,), (S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED)],
    ids=["cancelled", "expired", "shipped"],
)
def test_an_order_past_cancelling_is_refused_and_nothing_changes(
    pending_order, owner, path, django_capture_on_commit_callbacks
):
    for step in path:
        move_order(order=pending_order, to=step)
    before = snapshot(pending_order)
    # when
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CancelRefused) as refused:
        cancel_order(order=pending_order, actor=owner, reason="Too late")
    # then
    assert "can no longer be cancelled. Nothing changed." in str(refused.value.message)
    assert snapshot(pending_order) == before
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_cancellation_needs_a_reason_the_buyer_can_read(confirmed_order, owner, reason):
    before = snapshot(confirmed_order)
    with pytest.raises(InvalidReason):
        cancel_order(order=confirmed_order, actor=owner, reason=reason)
    assert snapshot(confirmed_order) == before


@pytest.mark.django_db
def test_a_payment_verified_after_cancelling_goes_straight_back(pending_order, owner):
    # given a proof waiting for review when the seller cancels
    payment = send(pending_order, "75000")
    cancel_order(order=pending_order, actor=owner, reason="Buyer asked")
    assert not pending_order.refunds.exists()

    # when the seller finds the money in the bank and verifies it
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then the order stays cancelled and the money waits on the refunds list
    pending_order.refresh_from_db()
    assert pending_order.status == S.CANCELLED
    refund = pending_order.refunds.get()
    assert (refund.amount, refund.status) == (Decimal(75000), Refund.Status.PENDING)
    assert refund.reason == "Payment received after the order was cancelled."
    assert refundable(pending_order) == 0


# --- at the same moment, on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_taps_on_cancel_make_one_cancellation_and_one_refund(confirmed_order, owner):
    def cancel(i):
        stale = Order.objects.get(pk=confirmed_order.pk)
        return cancel_order(order=stale, actor=owner, reason="Double tap")

    results = race(10, cancel)

    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, CancelRefused) for r in results if isinstance(r, Exception))
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == S.CANCELLED
    assert counters(confirmed_order) == (0, 0)
    assert list(confirmed_order.refunds.values_list("amount", flat=True)) == [Decimal(75000)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_payment_verified_while_the_order_is_cancelled_is_refunded_either_way(
    pending_order, owner
):
    # given a proof waiting while the seller cancels and another member verifies, at once
    payment = send(pending_order, "75000")

    def act(i):
        if i == 0:
            return cancel_order(
                order=Order.objects.get(pk=pending_order.pk), actor=owner, reason="Buyer asked"
            )
        return verify_payment(
            payment=Payment.objects.get(pk=payment.pk), amount_received=Decimal(75000), actor=owner
        )

    results = race(2, act)

    # then whichever came first, the order is cancelled and the money waits to go back, once
    assert not any(isinstance(r, Exception) for r in results), results
    pending_order.refresh_from_db()
    assert pending_order.status == S.CANCELLED
    assert list(pending_order.refunds.values_list("amount", flat=True)) == [Decimal(75000)]
    assert refundable(pending_order) == 0
