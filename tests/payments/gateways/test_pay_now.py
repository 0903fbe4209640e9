"""The buyer's "Pay now": one transaction per order step, opened at the gateway by the worker,
reused on a second click, fees shown before paying."""

from decimal import Decimal

import pytest

from orders.models import Order
from payments.models import GatewayTransaction
from tests.payments.gateways.conftest import connect, midtrans_notification, pay_now, post_midtrans

pytestmark = pytest.mark.django_db


def test_the_order_page_offers_pay_now_with_the_fee_passed_on(client, shop, pending_order):
    connect(shop, "midtrans", fee_percent=Decimal("0.7"), fee_fixed=Decimal(0))

    page = client.get(pending_order.get_absolute_url()).content.decode()

    # Rp 75.000 + 0.7 % = Rp 525 fee
    assert "Rp 75.000 + Rp 525 Midtrans fee = <strong>Rp 75.525</strong>" in page
    assert "Pay Rp 75.525 now with Midtrans" in page


def test_no_gateway_no_pay_now(client, pending_order):
    page = client.get(pending_order.get_absolute_url()).content.decode()
    assert "Pay now" not in page


def test_a_gateway_connected_after_a_view_is_offered_on_the_next(client, shop, pending_order):
    # given the page read when the shop had no gateway
    assert "Pay now" not in client.get(pending_order.get_absolute_url()).content.decode()

    # when the shop connects Midtrans
    connect(shop, "midtrans")

    # then the next view offers it, and stops the moment it is switched off
    assert "Pay now" in client.get(pending_order.get_absolute_url()).content.decode()
    shop.gateway_connections.update(is_active=False)
    assert "Pay now" not in client.get(pending_order.get_absolute_url()).content.decode()


def test_pay_now_opens_a_snap_page_and_sends_the_buyer_there(
    client, gateway, midtrans_shop, pending_order, django_capture_on_commit_callbacks
):
    url = f"/o/{pending_order.token}/pay/online/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"provider": "midtrans"})
    txn = GatewayTransaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{pending_order.token}/pay/online/{txn.reference}/"

    response = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith("https://app.sandbox.midtrans.com/snap/")
    sent = gateway.midtrans[txn.reference]["request"]
    assert sent["transaction_details"]["gross_amount"] == 75000
    assert gateway.calls == ["POST /snap/v1/transactions"]


def test_a_second_click_reuses_the_open_transaction(client, gateway, midtrans_shop, pending_order):
    first = pay_now(pending_order)
    second = pay_now(pending_order)

    assert first.pk == second.pk
    assert gateway.calls == ["POST /snap/v1/transactions"]


def test_while_the_worker_prepares_it_the_page_waits_and_says_so(
    client, gateway, midtrans_shop, pending_order
):
    # the worker has not run yet
    client.post(f"/o/{pending_order.token}/pay/online/", {"provider": "midtrans"})
    txn = GatewayTransaction.objects.get()

    page = client.get(f"/o/{pending_order.token}/pay/online/{txn.reference}/")

    assert page.status_code == 200
    assert "Preparing your payment with Midtrans" in page.content.decode()
    assert 'http-equiv="refresh"' in page.content.decode()


def test_a_gateway_that_says_no_fails_the_transaction_and_the_buyer_can_try_again(
    client, gateway, midtrans_shop, pending_order
):
    gateway.fail_next = True
    failed = pay_now(pending_order)
    assert failed.status == GatewayTransaction.Status.FAILED

    page = client.get(f"/o/{pending_order.token}/pay/online/{failed.reference}/")
    assert "can no longer be paid" in page.content.decode()
    again = pay_now(pending_order)
    assert again.status == GatewayTransaction.Status.PENDING


def test_an_unknown_provider_or_paid_order_is_refused_with_a_message(
    client, gateway, midtrans_shop, pending_order
):
    response = client.post(f"/o/{pending_order.token}/pay/online/", {"provider": "paypal"})
    assert response.status_code == 400
    assert "Choose how you would like to pay." in response.content.decode()

    txn = pay_now(pending_order)
    post_midtrans(client, midtrans_notification(txn))
    response = client.post(f"/o/{pending_order.token}/pay/online/", {"provider": "midtrans"})
    assert response.status_code == 409


def test_the_balance_is_paid_through_the_gateway_too(
    client, gateway, midtrans_shop, pending_order, owner
):
    from tests.payments.conftest import awaiting_balance

    order = awaiting_balance(pending_order, owner)
    txn = pay_now(order)
    assert txn.kind == "balance"
    assert txn.amount == Decimal(75000)

    post_midtrans(client, midtrans_notification(txn))

    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_the_fake_gateway_pays_from_its_own_page(client, shop, pending_order, settings):
    settings.FAKE_GATEWAY = True
    connect(shop, "fake", secret_key="demo-key")
    txn = pay_now(pending_order, "fake")
    assert txn.redirect_url == f"/payments/fake-gateway/{txn.reference}/"
    assert "Pay by QRIS" in client.get(txn.redirect_url).content.decode()

    response = client.post(txn.redirect_url, {"method": "qris"})

    assert response.status_code == 302
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CONFIRMED


def test_the_fake_gateway_is_not_there_when_switched_off(client, shop, pending_order, settings):
    settings.FAKE_GATEWAY = True
    connect(shop, "fake", secret_key="demo-key")
    txn = pay_now(pending_order, "fake")
    settings.FAKE_GATEWAY = False

    assert client.post(txn.redirect_url, {"method": "qris"}).status_code == 404
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING
