"""Paid = the amounts received of verified payments − the refunds sent; what is due follows from
it (DESIGN.md, Money), and the database refuses payments the rules forbid."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from orders.models import Order
from orders.services.transitions import move_order
from payments.exceptions import (
    CancelRefused,
    InvalidAmount,
    NothingToPay,
    PaymentRefused,
    PaymentWaiting,
)
from payments.models import Payment, Refund
from payments.services.cancellations import cancel_order
from payments.services.ledger import (
    Due,
    amount_paid,
    expected_amount,
    paid_in,
    payment_due,
    refundable,
    refundable_in,
)
from payments.services.payments import reject_payment, verify_payment
from payments.services.refunds import mark_refund_sent
from tests.factories import make_campaign, make_order
from tests.payments.conftest import send

pytestmark = pytest.mark.django_db

S = Order.Status


def test_only_verified_payments_count_at_what_was_received(pending_order, owner):
    # given one payment received short, one rejected, one waiting
    verify_payment(
        payment=send(pending_order, "40000"), amount_received=Decimal(39000), actor=owner
    )
    reject_payment(payment=send(pending_order, "36000"), reason="Not in the bank", actor=owner)
    send(pending_order, "36000")

    # then paid is what arrived of the verified one
    assert amount_paid(pending_order) == Decimal(39000)
    assert paid_in(pending_order.payments.all(), []) == Decimal(39000)


def test_nothing_paid_is_zero(pending_order):
    assert amount_paid(pending_order) == 0
    assert refundable(pending_order) == 0
    assert paid_in([], []) == 0


def test_refunds_sent_are_taken_off_paid_and_pending_ones_off_refundable(pending_order, owner):
    # given Rp 75.000 received, then the order cancelled: a refund of it waits to be sent
    verify_payment(
        payment=send(pending_order, "75000"), amount_received=Decimal(75000), actor=owner
    )
    refund = cancel_order(order=pending_order, actor=owner, reason="Out of stock").refund

    # then it is still paid, but nothing more is refundable
    assert amount_paid(pending_order) == Decimal(75000)
    assert refundable(pending_order) == 0
    payments, refunds = list(pending_order.payments.all()), list(pending_order.refunds.all())
    assert paid_in(payments, refunds) == Decimal(75000)
    assert refundable_in(payments, refunds) == 0

    # when the seller sends it
    mark_refund_sent(refund=refund, reference="TRX-1", actor=owner)

    # then paid is back to zero, in SQL and over loaded rows alike
    assert amount_paid(pending_order) == 0
    assert refundable(pending_order) == 0
    refunds = list(pending_order.refunds.all())
    assert paid_in(payments, refunds) == 0
    assert refundable_in(payments, refunds) == 0


def test_the_deposit_is_due_while_pending_and_the_balance_while_awaiting_it(coded_order):
    # pending: the deposit, less what was paid, plus the code on the transfer
    due = payment_due(coded_order, paid=Decimal(25000))
    assert due == Due(kind=Payment.Kind.DEPOSIT, amount=Decimal(50000), transfer_code=123)
    assert due.to_send == Decimal(50123)
    # awaiting the balance: everything not yet paid of the subtotal
    coded_order.status = S.AWAITING_BALANCE
    due = payment_due(coded_order, paid=Decimal(75123))
    assert (due.kind, due.amount, due.to_send) == (Payment.Kind.BALANCE, Decimal(74877), 75000)
    # paid enough: nothing due
    assert payment_due(coded_order, paid=Decimal(150000)) is None


@pytest.mark.parametrize(
    "status", [S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED, S.COMPLETED, S.EXPIRED, S.CANCELLED]
)
def test_no_payment_is_due_in_other_states(pending_order, status):
    pending_order.status = status
    assert payment_due(pending_order, paid=Decimal(0)) is None


def test_the_seller_expects_the_rest_of_the_step_plus_the_code(coded_order, owner):
    first = send(coded_order, "50000")
    verify_payment(payment=first, amount_received=Decimal(50000), actor=owner)
    second = send(coded_order, "25123")
    assert expected_amount(second, paid=amount_paid(coded_order)) == Decimal(25123)


# --- what the database refuses ------------------------------------------------------------------


def payment_row(order: Order, **fields) -> Payment:
    fields.setdefault("kind", Payment.Kind.DEPOSIT)
    fields.setdefault("amount", Decimal(75000))
    return Payment(order=order, sender_name="Sari", sender_bank="BCA", proof="p.webp", **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal(0)},
        {"amount": Decimal(-1)},
        {"status": Payment.Status.VERIFIED},
        {"status": Payment.Status.VERIFIED, "amount_received": Decimal(-1)},
        {"status": Payment.Status.REJECTED},
        {"unique_code": 10000},
    ],
    ids=["zero", "negative", "verified without received", "negative received", "no reason", "code"],
)
def test_the_database_refuses_payments_the_rules_forbid(pending_order, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        payment_row(pending_order, **fields).save()


def test_the_database_takes_a_verified_and_a_rejected_payment(pending_order):
    payment_row(pending_order, status="verified", amount_received=Decimal(0)).save()
    payment_row(pending_order, status="rejected", reject_reason="Blurry").save()
    assert pending_order.payments.count() == 2


# --- any sequence of sends, reviews, cancellations and refunds ---------------------------------

# Round amounts are what buyers mostly send; the odd ones find the edges.
amounts = st.one_of(
    st.sampled_from([75_000, 37_500, 150_000, 74_999, 0]),
    st.integers(min_value=-1000, max_value=200_000),
)
received = st.one_of(
    st.sampled_from([75_000, 37_500, 80_000]), st.integers(min_value=1, max_value=120_000)
)
# What the seller may do at the end of a round: nothing, mostly; cancel the order (what it paid
# goes on the refunds list); or send the oldest refund waiting.
afterwards = st.sampled_from([None, None, None, "cancel", "send refund"])
# A round: the buyer sends an amount; the seller verifies it (at what arrived), rejects it, or
# leaves it waiting; then the seller may move a confirmed order on to its balance; then cancel
# or send a refund.
rounds = st.lists(
    st.tuples(
        amounts, st.one_of(st.none(), st.just("reject"), received), st.booleans(), afterwards
    ),
    max_size=8,
)

CANCELLABLE = (S.PENDING, S.CONFIRMED, S.IN_PRODUCTION, S.AWAITING_BALANCE, S.PAID)


class Reference:
    """The rules, written the plain way, to compare the services against."""

    def __init__(self, order: Order):
        self.order = order
        self.received = Decimal(0)  # verified payments, at what arrived
        self.sent = Decimal(0)  # refunds sent
        self.to_send: list[Decimal] = []  # refunds waiting, oldest first
        self.status = S.PENDING
        self.waiting: Payment | None = None

    @property
    def paid(self) -> Decimal:
        return self.received - self.sent

    @property
    def refundable(self) -> Decimal:
        return self.paid - sum(self.to_send, Decimal(0))

    def refusal_for(self, amount: int):
        if amount <= 0:
            return InvalidAmount
        due = {S.PENDING: self.order.deposit_amount, S.AWAITING_BALANCE: self.order.subtotal}
        if self.status not in due or due[self.status] - self.paid <= 0:
            return NothingToPay
        if self.waiting is not None:
            return PaymentWaiting
        if amount > self.order.subtotal - self.paid + self.order.transfer_code:
            return InvalidAmount
        return None

    def verified(self, amount: int) -> None:
        self.received += amount
        if self.status == S.PENDING and self.paid >= self.order.deposit_amount:
            self.status = S.CONFIRMED
        elif self.status == S.AWAITING_BALANCE and self.paid >= self.order.subtotal:
            self.status = S.PAID
        elif self.status == S.CANCELLED:
            # Money for a cancelled order goes straight back.
            self.to_send.append(Decimal(amount))

    def cancelled(self) -> None:
        self.status = S.CANCELLED
        if self.refundable > 0:
            self.to_send.append(self.refundable)

    def refund_sent(self) -> None:
        self.sent += self.to_send.pop(0)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rounds=rounds, code=st.integers(min_value=0, max_value=999))
def test_paid_is_always_the_verified_amounts_less_refunds_sent_and_the_status_follows(
    shop, owner, rounds, code
):
    # given a fresh order: Rp 150.000, Rp 75.000 down payment, a random unique code
    order = make_order(make_campaign(shop))
    Order.objects.filter(pk=order.pk).update(transfer_code=code)
    order.refresh_from_db()
    model = Reference(order)

    for amount, review, advance, then in rounds:
        # when the buyer sends
        expected = model.refusal_for(amount)
        try:
            model.waiting = send(order, str(amount))
        except PaymentRefused as refusal:
            assert type(refusal) is expected, (amount, refusal)
        else:
            assert expected is None, amount
        # and the seller reviews what waits
        if model.waiting is not None and review == "reject":
            reject_payment(payment=model.waiting, reason="Not found", actor=owner)
            model.waiting = None
        elif model.waiting is not None and review is not None:
            verify_payment(payment=model.waiting, amount_received=Decimal(review), actor=owner)
            model.waiting = None
            model.verified(review)
        if advance and model.status == S.CONFIRMED:
            # production starts, and later the balance is asked for
            move_order(order=order, to=S.IN_PRODUCTION, actor=owner)
            move_order(order=order, to=S.AWAITING_BALANCE, actor=owner)
            model.status = S.AWAITING_BALANCE
        # and the seller may cancel the order, or send a refund
        if then == "cancel":
            try:
                cancel_order(order=order, actor=owner, reason="Changed plans")
            except CancelRefused:
                assert model.status not in CANCELLABLE
            else:
                assert model.status in CANCELLABLE
                model.cancelled()
        elif then == "send refund" and model.to_send:
            oldest = order.refunds.filter(status=Refund.Status.PENDING).earliest("id")
            mark_refund_sent(refund=oldest, reference="TRX", actor=owner)
            model.refund_sent()

        # then, after every round
        order.refresh_from_db()
        verified = order.payments.filter(status=Payment.Status.VERIFIED)
        sent = order.refunds.filter(status=Refund.Status.SENT)
        assert amount_paid(order) == model.paid
        assert model.paid == sum(p.amount_received for p in verified) - sum(r.amount for r in sent)
        assert paid_in(order.payments.all(), order.refunds.all()) == model.paid
        assert refundable(order) == model.refundable >= 0
        assert sorted(order.refunds.filter(status="pending").values_list("amount", flat=True)) == (
            sorted(model.to_send)
        )
        # refunds, sent or not, never add up to more than was received
        assert sum(r.amount for r in order.refunds.all()) <= model.received
        assert order.status == model.status
        if order.status == S.CONFIRMED:
            assert model.paid >= order.deposit_amount
        if order.status == S.PAID:
            assert model.paid >= order.subtotal
        if order.status == S.PENDING:
            assert model.paid < order.deposit_amount
        assert order.payments.filter(status=Payment.Status.SUBMITTED).count() <= 1
