"""A deposit verified after the decision: the order catches up with production, also when the
verifying and the deciding happen at the same moment."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from orders.models import Order, OrderEvent
from payments.services.decisions import finish_production, join_production, start_production
from payments.services.payments import verify_payment
from tests.factories import make_buyer, make_order
from tests.orders.production import close_window, confirmed_order, in_production, sent
from tests.payments.decisions.checks import _jakarta, statuses

S = Order.Status


# --- a deposit verified after production started -------------------------------------------------


def test_a_deposit_verified_after_production_started_moves_the_order_into_production(scarf, seller):
    # given production started while Sari's order still waited for its deposit
    confirmed_order(scarf, quantity=3)
    late = make_order(scarf, buyer=make_buyer(name="Sari"))
    in_production(scarf, seller)
    payment = sent(late, "75000")

    # when the seller verifies her deposit before its deadline
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=seller)

    # then the order is confirmed and joins production, both through the one door
    late.refresh_from_db()
    assert late.status == S.IN_PRODUCTION
    moves = list(
        late.events.filter(kind=OrderEvent.Kind.STATUS).values_list(
            "from_status", "to_status", "actor"
        )
    )
    assert moves == [
        (S.PENDING, S.CONFIRMED, seller.pk),
        (S.CONFIRMED, S.IN_PRODUCTION, seller.pk),
    ]


def test_a_deposit_verified_before_the_decision_only_confirms_the_order(scarf, seller):
    # given a published campaign, window closed, no decision yet
    order = make_order(scarf)
    close_window(scarf)

    # when
    verify_payment(payment=sent(order, "75000"), amount_received=Decimal(75000), actor=seller)

    # then it waits for the seller's decision with the others
    assert statuses(order) == [S.CONFIRMED]


def test_a_deposit_verified_after_production_finished_goes_on_to_the_balance(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given production started and finished while this order waited for its deposit
    confirmed_order(scarf, quantity=3)
    late = make_order(scarf)
    in_production(scarf, seller)
    finish_production(campaign=scarf, actor=seller)
    mail.outbox.clear()

    # when its deposit is verified in time
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        verify_payment(payment=sent(late, "75000"), amount_received=Decimal(75000), actor=seller)

    # then it catches up: through production to the balance, due in the campaign's 7 days
    late.refresh_from_db()
    assert late.status == S.AWAITING_BALANCE
    assert now + timedelta(days=7) <= late.balance_due_at <= timezone.now() + timedelta(days=7)
    assert [m.subject for m in mail.outbox if "balance" in m.subject] == [
        f"Order {late.code}: production finished, pay the balance by "
        f"{_jakarta(late.balance_due_at)}"
    ]


def test_joining_production_leaves_orders_that_are_not_confirmed_as_they_are(scarf, seller):
    # given a pending order of a campaign in production
    confirmed_order(scarf, quantity=3)
    waiting = make_order(scarf)
    in_production(scarf, seller)

    # when
    join_production(order=waiting, actor=seller)

    # then
    assert statuses(waiting) == [S.PENDING]


# --- at the same moment, on PostgreSQL --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("decision", "joins_as"), [("start", S.IN_PRODUCTION), ("finish", S.AWAITING_BALANCE)]
)
def test_a_deposit_verified_while_the_seller_decides_follows_the_decision(
    scarf, seller, decision, joins_as
):
    # given the minimum confirmed, and Sari's deposit waiting for review
    confirmed_order(scarf, quantity=3)
    late = make_order(scarf)
    payment = sent(late, "75000")
    close_window(scarf)
    if decision == "finish":
        start_production(campaign=scarf, actor=seller)
    decided, release = threading.Event(), threading.Event()

    def seller_decides():
        try:
            with transaction.atomic():
                if decision == "start":
                    start_production(campaign=scarf, actor=seller)
                else:
                    finish_production(campaign=scarf, actor=seller)
                decided.set()
                release.wait(10)  # not committed yet
        finally:
            connection.close()

    def member_verifies():
        try:
            verify_payment(payment=payment, amount_received=Decimal(75000), actor=seller)
        finally:
            connection.close()

    # when a member verifies the deposit while the decision is made but not yet committed
    threads = [threading.Thread(target=seller_decides), threading.Thread(target=member_verifies)]
    threads[0].start()
    assert decided.wait(10)
    threads[1].start()
    time.sleep(0.5)  # time enough to finish, had it not waited for the decision
    release.set()
    for thread in threads:
        thread.join(timeout=30)

    # then the order waited for the decision and followed it
    late.refresh_from_db()
    assert late.status == joins_as
