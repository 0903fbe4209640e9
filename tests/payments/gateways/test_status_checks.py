"""When a webhook never comes: the tick asks the gateway, and an order whose gateway payment
is still open does not expire meanwhile."""

from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase
from django.utils import timezone

from orders.models import Order
from orders.services.placing import expire_overdue
from payments.models import GatewayNotification, GatewayTransaction
from payments.services.tick import run_tick
from tests.factories import past_deadline
from tests.payments.gateways.conftest import pay_now

pytestmark = pytest.mark.django_db


def tick(at):
    """The tick at `at`, its queued checks run by the worker then too."""
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return run_tick(now=at)


def test_the_tick_confirms_a_payment_whose_webhook_was_lost(gateway, midtrans_shop, pending_order):
    # given the buyer paid by QRIS, and Midtrans's notification never arrived
    txn = pay_now(pending_order)
    gateway.midtrans_set(txn.reference, "settlement")

    # when the tick runs a few minutes later
    report = tick(timezone.now() + timedelta(minutes=6))

    # then it asked Midtrans, and the order is confirmed
    assert report.gateway_checks == 1
    assert f"GET /v2/{txn.reference}/status" in gateway.calls
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CONFIRMED
    assert GatewayNotification.objects.get().source == "status"


def test_xendit_is_asked_about_its_invoice_too(gateway, xendit_shop, pending_order):
    txn = pay_now(pending_order, "xendit")
    gateway.xendit_set(txn.reference, "PAID")

    tick(timezone.now() + timedelta(minutes=6))

    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CONFIRMED


def test_a_fresh_transaction_is_not_asked_about_and_one_is_asked_once_per_five_minutes(
    gateway, midtrans_shop, pending_order
):
    pay_now(pending_order)
    now = timezone.now()
    assert tick(now + timedelta(minutes=1)).gateway_checks == 0
    assert tick(now + timedelta(minutes=6)).gateway_checks == 1
    assert tick(now + timedelta(minutes=7)).gateway_checks == 0
    assert tick(now + timedelta(minutes=12)).gateway_checks == 1


def test_an_open_gateway_payment_keeps_the_order_from_expiring_until_it_closes(
    gateway, midtrans_shop, pending_order
):
    # given the buyer opened a payment, then the deposit deadline passed
    txn = pay_now(pending_order)
    past_deadline(pending_order)

    # then the order is kept while the gateway may still settle it
    assert expire_overdue(now=timezone.now()) == 0
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING

    # when the payment's time is over and the gateway never heard of a payment
    tick(txn.expires_at + timedelta(minutes=1))
    txn.refresh_from_db()
    assert txn.status == GatewayTransaction.Status.EXPIRED

    # then the next tick expires the order
    tick(txn.expires_at + timedelta(minutes=2))
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.EXPIRED


def test_a_gateway_that_cannot_be_reached_is_asked_again_later(
    gateway, midtrans_shop, pending_order
):
    txn = pay_now(pending_order)
    gateway.midtrans_set(txn.reference, "settlement")
    gateway.fail_next = True
    now = timezone.now()

    tick(now + timedelta(minutes=6))
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING

    tick(now + timedelta(minutes=12))
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CONFIRMED


def test_a_payment_the_worker_never_opened_stops_holding_the_order(
    client, gateway, midtrans_shop, pending_order
):
    # given "Pay now" was clicked but no worker ever opened it at the gateway
    client.post(f"/o/{pending_order.token}/pay/online/", {"provider": "midtrans"})
    txn = GatewayTransaction.objects.get()
    assert txn.status == GatewayTransaction.Status.CREATING
    past_deadline(pending_order)

    # when the tick runs a quarter of an hour later
    tick(timezone.now() + timedelta(minutes=16))

    # then it no longer holds the order, which expires on time
    txn.refresh_from_db()
    assert txn.status == GatewayTransaction.Status.FAILED
    tick(timezone.now() + timedelta(minutes=17))
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.EXPIRED
