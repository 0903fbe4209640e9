"""Refunding money a stopped order still holds, never more than it paid, and what the database
refuses of a refund."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from orders.models import Order
from orders.services.transitions import move_order
from payments.exceptions import RefundRefused, RefundTooLarge
from payments.models import Refund
from payments.services.ledger import amount_paid, refundable
from payments.services.payments import verify_payment
from payments.services.refunds import refund_order
from tests.payments.conftest import send
from tests.payments.refunds.checks import snapshot
from tests.support import race

S = Order.Status


# --- refund_order: money a stopped order still holds ----------------------------------------------


@pytest.mark.django_db
def test_money_an_expired_order_holds_can_be_refunded_up_to_what_it_paid(pending_order, owner):
    # given Rp 30.000 of the deposit arrived, then the order expired
    verify_payment(
        payment=send(pending_order, "30000"), amount_received=Decimal(30000), actor=owner
    )
    move_order(order=pending_order, to=S.EXPIRED)

    # when the seller refunds part, then asks for more than is left
    first = refund_order(order=pending_order, actor=owner, reason="Expired", amount=Decimal(20000))
    before = snapshot(pending_order)
    with pytest.raises(RefundTooLarge) as too_large:
        refund_order(order=pending_order, actor=owner, reason="Again", amount=Decimal(10001))

    # then the second is refused, saying what is left, and nothing changed
    assert "Rp 10.000 left to refund" in str(too_large.value.message)
    assert snapshot(pending_order) == before
    # and the rest, asked without an amount, is exactly what is left
    rest = refund_order(order=pending_order, actor=owner, reason="The rest")
    assert (first.amount, rest.amount) == (Decimal(20000), Decimal(10000))
    with pytest.raises(RefundRefused, match="holds no money to refund"):
        refund_order(order=pending_order, actor=owner, reason="Once more")


@pytest.mark.django_db
def test_an_active_order_is_cancelled_not_refunded(confirmed_order, owner):
    before = snapshot(confirmed_order)
    with pytest.raises(RefundRefused, match="cancel it to refund it"):
        refund_order(order=confirmed_order, actor=owner, reason="Goodwill")
    assert snapshot(confirmed_order) == before


# --- what the database refuses --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal(0)},
        {"amount": Decimal(-1)},
        {"status": "sent", "sent_at": timezone.now()},
        {"status": "sent", "reference": "TRX"},
        {"bank": "BCA"},
        {"bank": "BCA", "account_number": "12345"},
    ],
    ids=[
        "zero",
        "negative",
        "sent without reference",
        "sent without date",
        "half details",
        "no holder",
    ],
)
def test_the_database_refuses_refunds_the_rules_forbid(pending_order, fields):
    fields = {"amount": Decimal(1000), "reason": "x"} | fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(order=pending_order, **fields)


@pytest.mark.django_db
def test_an_order_with_refunds_cannot_be_deleted(refund_to_send):
    with pytest.raises(ProtectedError):
        refund_to_send.order.delete()


# --- at the same moment, on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_refunds_asked_for_at_the_same_moment_never_add_up_to_more_than_was_paid(
    pending_order, owner
):
    # given Rp 70.000 of the deposit received, then the order expired (a stopped order may be
    # refunded)
    verify_payment(
        payment=send(pending_order, "75000"), amount_received=Decimal(70000), actor=owner
    )
    move_order(order=pending_order, to=S.EXPIRED)

    # when ten members each refund Rp 20.000 at the same moment, each from their own request
    def refund(i):
        stale = Order.objects.get(pk=pending_order.pk)
        return refund_order(order=stale, actor=owner, reason=f"Member {i}", amount=Decimal(20000))

    results = race(10, refund)

    # then three went through (Rp 60.000) and the rest were told there is not enough left
    made = [r for r in results if isinstance(r, Refund)]
    refused = [r for r in results if not isinstance(r, Refund)]
    assert len(made) == 3, results
    assert all(isinstance(r, RefundTooLarge) for r in refused), refused
    total = sum(pending_order.refunds.values_list("amount", flat=True))
    assert total == Decimal(60000) <= amount_paid(pending_order)
    assert refundable(pending_order) == Decimal(10000)
