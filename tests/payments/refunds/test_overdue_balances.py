"""An unpaid balance past its due date: the order cancelled keeping or refunding the deposit as
the terms say, or given more time."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import BalanceRefused
from payments.services.balances import cancel_unpaid_balance, extend_balance
from payments.services.ledger import refundable
from payments.services.payments import verify_payment
from tests.payments.conftest import send
from tests.payments.refunds.checks import counters, snapshot

S = Order.Status


@pytest.fixture
def overdue_order(confirmed_order, owner) -> Order:
    """Deposit of Rp 75.000 in, balance of Rp 75.000 due yesterday and not paid."""
    move_order(order=confirmed_order, to=S.IN_PRODUCTION, actor=owner)
    move_order(order=confirmed_order, to=S.AWAITING_BALANCE, actor=owner)
    Order.objects.filter(pk=confirmed_order.pk).update(
        balance_due_at=timezone.now() - timedelta(days=1)
    )
    confirmed_order.refresh_from_db()
    return confirmed_order


@pytest.mark.django_db
def test_an_unpaid_balance_cancelled_keeps_the_deposit_when_the_terms_say_so(
    overdue_order, owner, django_capture_on_commit_callbacks
):
    # given the PO terms keep the deposit (the default)
    assert overdue_order.campaign.late_balance == Campaign.LateBalance.KEEP_DEPOSIT
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancellation = cancel_unpaid_balance(order=overdue_order, actor=owner)
    # then the order is cancelled, units back, no refund, and the timeline says why
    overdue_order.refresh_from_db()
    assert overdue_order.status == S.CANCELLED
    assert cancellation.refund is None
    assert counters(overdue_order) == (0, 0)
    note = str(overdue_order.events.filter(kind=OrderEvent.Kind.STATUS).latest("id").note)
    assert note.startswith("The balance was not paid by ")
    assert note.endswith("The deposit of Rp 75.000 is kept, as the PO terms say.")
    # and the buyer is told the same
    email = next(m for m in mail.outbox if "cancelled" in m.subject)
    assert "The deposit of Rp 75.000 is kept" in email.body
    assert "will be refunded" not in email.body


@pytest.mark.django_db
def test_an_unpaid_balance_cancelled_refunds_the_deposit_when_the_terms_say_so(
    overdue_order, owner
):
    Campaign.objects.filter(pk=overdue_order.campaign_id).update(
        late_balance=Campaign.LateBalance.REFUND_DEPOSIT
    )
    cancellation = cancel_unpaid_balance(order=overdue_order, actor=owner)
    assert cancellation.refund.amount == Decimal(75000)
    assert "The deposit is refunded, as the PO terms say." in cancellation.refund.reason


@pytest.mark.django_db
def test_part_of_the_balance_paid_goes_back_even_when_the_deposit_is_kept(overdue_order, owner):
    # given Rp 30.000 of the balance arrived before the due date passed
    payment = send(overdue_order, "30000")
    verify_payment(payment=payment, amount_received=Decimal(30000), actor=owner)
    # when
    cancellation = cancel_unpaid_balance(order=overdue_order, actor=owner)
    # then the deposit is kept and the Rp 30.000 beyond it is refunded
    assert cancellation.refund.amount == Decimal(30000)
    assert refundable(overdue_order) == Decimal(75000)


@pytest.mark.django_db
def test_a_balance_not_yet_due_is_not_cancelled(overdue_order, owner):
    Order.objects.filter(pk=overdue_order.pk).update(
        balance_due_at=timezone.now() + timedelta(hours=1)
    )
    before = snapshot(overdue_order)
    with pytest.raises(BalanceRefused, match="not overdue yet"):
        cancel_unpaid_balance(order=overdue_order, actor=owner)
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_an_order_not_waiting_for_its_balance_is_not_cancelled_as_overdue(confirmed_order, owner):
    before = snapshot(confirmed_order)
    with pytest.raises(BalanceRefused, match="not waiting for its balance"):
        cancel_unpaid_balance(order=confirmed_order, actor=owner)
    assert snapshot(confirmed_order) == before


@pytest.mark.django_db
def test_a_balance_payment_waiting_for_review_stops_the_cancellation(overdue_order, owner):
    # given the buyer sent the balance at the last minute
    send(overdue_order, "75000")
    before = snapshot(overdue_order)
    # when
    with pytest.raises(BalanceRefused, match="waiting for your review"):
        cancel_unpaid_balance(order=overdue_order, actor=owner)
    # then
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_more_time_for_the_balance_moves_the_due_date_and_rearms_the_reminder(overdue_order, owner):
    Order.objects.filter(pk=overdue_order.pk).update(balance_reminded_at=timezone.now())
    due = timezone.now() + timedelta(days=3)
    # when
    extend_balance(order=overdue_order, due_at=due, actor=owner)
    # then
    overdue_order.refresh_from_db()
    assert overdue_order.balance_due_at == due
    assert overdue_order.balance_reminded_at is None
    assert overdue_order.status == S.AWAITING_BALANCE
    event = overdue_order.events.latest("id")
    assert (event.kind, event.actor) == (OrderEvent.Kind.NOTE, owner)
    assert str(event.note).startswith("Balance due date moved to ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delta", "message"),
    [
        (timedelta(minutes=-5), "in the future"),
        (timedelta(days=181), "within 180 days"),
    ],
    ids=["past", "too far"],
)
def test_a_due_date_that_does_not_fit_is_refused(overdue_order, owner, delta, message):
    before = snapshot(overdue_order)
    with pytest.raises(BalanceRefused, match=message):
        extend_balance(order=overdue_order, due_at=timezone.now() + delta, actor=owner)
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_an_extension_must_come_after_the_current_due_date(overdue_order, owner):
    later = timezone.now() + timedelta(days=5)
    extend_balance(order=overdue_order, due_at=later, actor=owner)
    before = snapshot(overdue_order)
    with pytest.raises(BalanceRefused, match="after the current due date"):
        extend_balance(order=overdue_order, due_at=later - timedelta(days=1), actor=owner)
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_only_an_order_waiting_for_its_balance_gets_more_time(confirmed_order, owner):
    before = snapshot(confirmed_order)
    with pytest.raises(BalanceRefused):
        extend_balance(
            order=confirmed_order, due_at=timezone.now() + timedelta(days=3), actor=owner
        )
    assert snapshot(confirmed_order) == before
