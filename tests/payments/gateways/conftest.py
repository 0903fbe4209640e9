"""Shops connected to a gateway, and the local fake gateway their clients talk to."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import TestCase

from payments.models import GatewayTransaction
from payments.services.gateways.connections import connect_gateway
from payments.services.gateways.notices import midtrans_signature
from payments.services.gateways.transactions import start_gateway_payment
from tests.payments.gateways.fake_server import FakeGateway, Running

NOTIFICATIONS = Path(__file__).parent / "notifications"
SERVER_KEY = "SB-Mid-server-TEST"
XENDIT_KEY = "xnd_development_TEST"
CALLBACK_TOKEN = "xendit-callback-token-TEST"


@pytest.fixture(autouse=True)
def vault_key(settings):
    """The installation's key for gateway secrets, as production sets GATEWAY_KEYS_KEY."""
    settings.GATEWAY_KEYS_KEY = Fernet.generate_key().decode()
    return settings.GATEWAY_KEYS_KEY


@pytest.fixture
def gateway(settings):
    """The fake Midtrans and Xendit APIs, running; the clients point at them."""
    fake = FakeGateway(server_key=SERVER_KEY, xendit_key=XENDIT_KEY)
    with Running(fake) as running:
        settings.MIDTRANS_SNAP_URL = settings.MIDTRANS_API_URL = running.url
        settings.XENDIT_API_URL = running.url
        yield fake


def connect(shop, provider, **fields):
    fields.setdefault("mode", "sandbox")
    fields.setdefault("secret_key", XENDIT_KEY if provider == "xendit" else SERVER_KEY)
    fields.setdefault("callback_token", CALLBACK_TOKEN if provider == "xendit" else "")
    fields.setdefault("fee_percent", Decimal(0))
    fields.setdefault("fee_fixed", Decimal(0))
    fields.setdefault("is_active", True)
    return connect_gateway(shop=shop, provider=provider, **fields)


@pytest.fixture
def midtrans_shop(shop):
    connect(shop, "midtrans")
    return shop


@pytest.fixture
def xendit_shop(shop):
    connect(shop, "xendit")
    return shop


def pay_now(order, provider="midtrans") -> GatewayTransaction:
    """The buyer clicks "Pay now" (the worker opens it at once: tasks run in-line)."""
    connection = order.campaign.shop.gateway_connections.get(provider=provider)
    with TestCase.captureOnCommitCallbacks(execute=True):
        txn = start_gateway_payment(order=order, connection=connection)
    txn.refresh_from_db()
    return txn


def documented(name: str) -> dict:
    return json.loads((NOTIFICATIONS / name).read_text())


def midtrans_notification(txn, name="midtrans_qris_settlement.json", *, gross=None, key=None):
    """A documented Midtrans notification about `txn`, signed as Midtrans signs it."""
    body = documented(name)
    body["order_id"] = txn.reference
    body["gross_amount"] = f"{Decimal(gross if gross is not None else txn.gross):.2f}"
    body["signature_key"] = midtrans_signature(
        txn.reference, body["status_code"], body["gross_amount"], key or SERVER_KEY
    )
    return body


def xendit_notification(txn, *, status="PAID", paid=None):
    body = documented("xendit_invoice_paid.json")
    body.update(external_id=txn.reference, id=txn.gateway_id or body["id"], status=status)
    body["amount"] = int(txn.gross)
    body["paid_amount"] = int(paid if paid is not None else txn.gross)
    return body


def post_midtrans(client, body):
    return client.post(
        "/payments/webhooks/midtrans/", data=json.dumps(body), content_type="application/json"
    )


def post_xendit(client, body, token=CALLBACK_TOKEN):
    headers = {"x-callback-token": token} if token is not None else {}
    return client.post(
        "/payments/webhooks/xendit/",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
