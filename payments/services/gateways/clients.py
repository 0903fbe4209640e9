"""The providers' documented HTTP APIs, the few calls we make: open a payment page, ask a
transaction's status, refund. Only the worker calls these (never a request); each has a timeout
and turns every failure into GatewayError.

- Midtrans Snap: POST {snap}/snap/v1/transactions → {token, redirect_url}; status
  GET {api}/v2/{order_id}/status; refund POST {api}/v2/{order_id}/refund. Basic auth, the Server
  Key as the user name.
- Xendit Invoices: POST {api}/v2/invoices → {id, invoice_url, status, expiry_date}; status
  GET {api}/v2/invoices/{id}. Basic auth, the secret key as the user name. Invoices have no
  refund call: such refunds are sent and marked by hand.
- The fake gateway (development and demos) answers in the app itself: no network at all.
"""

from dataclasses import dataclass
from decimal import Decimal

import httpx
from django.conf import settings
from django.urls import reverse

from payments.models import GatewayConnection, GatewayTransaction, Provider
from payments.services.gateways.notices import Notice, read_midtrans, read_xendit

MIDTRANS_URLS = {
    GatewayConnection.Mode.SANDBOX: (
        "https://app.sandbox.midtrans.com",
        "https://api.sandbox.midtrans.com",
    ),
    GatewayConnection.Mode.PRODUCTION: ("https://app.midtrans.com", "https://api.midtrans.com"),
}
XENDIT_URL = "https://api.xendit.co"


class GatewayError(Exception):
    """The gateway could not be reached, or said no; the message says which, for the logs."""


@dataclass(frozen=True)
class Opened:
    gateway_id: str
    redirect_url: str


def _whole(amount: Decimal) -> int:
    # Both take IDR in whole rupiah.
    return int(amount)


class Client:
    def __init__(self, connection: GatewayConnection):
        self.connection = connection

    def _call(self, method: str, url: str, **kwargs) -> dict:
        try:
            response = httpx.request(
                method,
                url,
                auth=(self.connection.secret_key, ""),
                timeout=settings.GATEWAY_TIMEOUT,
                headers={"Accept": "application/json"},
                **kwargs,
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise GatewayError(f"{method} {url}: {error}") from error
        if response.status_code >= 300 and response.status_code != 404:
            raise GatewayError(f"{method} {url}: HTTP {response.status_code} {data}")
        if not isinstance(data, dict):
            raise GatewayError(f"{method} {url}: not a JSON object")
        return data

    def open(self, transaction: GatewayTransaction, *, minutes: int, return_url: str) -> Opened:
        raise NotImplementedError

    def status(self, transaction: GatewayTransaction) -> tuple[Notice, dict] | None:
        """What the gateway says now (and its answer as it came), or None when it does not
        know the transaction."""
        raise NotImplementedError

    def refund(self, transaction: GatewayTransaction, *, amount: Decimal, key: str, reason: str):
        raise GatewayError(f"{self.connection.provider} has no refund call for this payment.")


class Midtrans(Client):
    def _urls(self) -> tuple[str, str]:
        snap, api = MIDTRANS_URLS[self.connection.mode]
        return settings.MIDTRANS_SNAP_URL or snap, settings.MIDTRANS_API_URL or api

    def open(self, transaction, *, minutes, return_url):
        order = transaction.order
        items = [
            {
                "id": transaction.kind,
                "price": _whole(transaction.amount),
                "quantity": 1,
                "name": f"{order.code} {transaction.kind}"[:50],
            }
        ]
        if transaction.fee:
            items.append(
                {"id": "fee", "price": _whole(transaction.fee), "quantity": 1, "name": "Fee"}
            )
        body = {
            "transaction_details": {
                "order_id": transaction.reference,
                "gross_amount": _whole(transaction.gross),
            },
            "item_details": items,
            "customer_details": {
                "first_name": order.buyer_name[:50],
                "email": order.buyer_email,
                "phone": order.buyer_phone,
            },
            "expiry": {"unit": "minutes", "duration": minutes},
            "callbacks": {"finish": return_url},
        }
        data = self._call("POST", f"{self._urls()[0]}/snap/v1/transactions", json=body)
        if not data.get("redirect_url"):
            raise GatewayError(f"Snap gave no redirect_url: {data}")
        return Opened(gateway_id=str(data.get("token", "")), redirect_url=data["redirect_url"])

    def status(self, transaction):
        url = f"{self._urls()[1]}/v2/{transaction.reference}/status"
        data = self._call("GET", url)
        if str(data.get("status_code")) == "404":
            return None
        # Asked by us over TLS with the Server Key: the answer needs no signature check.
        notice, _ = read_midtrans(data, verify=False)
        return notice, data

    def refund(self, transaction, *, amount, key, reason):
        url = f"{self._urls()[1]}/v2/{transaction.reference}/refund"
        body = {"refund_key": key, "amount": _whole(amount), "reason": reason[:250]}
        data = self._call("POST", url, json=body)
        if str(data.get("status_code")) != "200":
            raise GatewayError(f"Midtrans refused the refund: {data.get('status_message')}")
        return str(data.get("refund_key") or key)


class Xendit(Client):
    def _url(self) -> str:
        return settings.XENDIT_API_URL or XENDIT_URL

    def open(self, transaction, *, minutes, return_url):
        order = transaction.order
        body = {
            "external_id": transaction.reference,
            "amount": _whole(transaction.gross),
            "currency": order.currency,
            "description": f"{order.campaign.title} · {order.code}"[:250],
            "invoice_duration": minutes * 60,
            "payer_email": order.buyer_email,
            "customer": {"given_names": order.buyer_name[:50], "email": order.buyer_email},
            "success_redirect_url": return_url,
            "failure_redirect_url": return_url,
        }
        data = self._call("POST", f"{self._url()}/v2/invoices", json=body)
        if not data.get("invoice_url") or not data.get("id"):
            raise GatewayError(f"Xendit gave no invoice_url: {data}")
        return Opened(gateway_id=str(data["id"]), redirect_url=data["invoice_url"])

    def status(self, transaction):
        if not transaction.gateway_id:
            return None
        data = self._call("GET", f"{self._url()}/v2/invoices/{transaction.gateway_id}")
        if data.get("error_code") == "INVOICE_NOT_FOUND_ERROR":
            return None
        notice, _ = read_xendit(data, token=None)
        return notice, data


class Fake(Client):
    """The in-app gateway: its page is ours (payments/views/fake_gateway.py)."""

    def open(self, transaction, *, minutes, return_url):
        if not settings.FAKE_GATEWAY:
            raise GatewayError("The fake gateway is switched off here (FAKE_GATEWAY).")
        url = reverse("payments:fake_gateway", args=[transaction.reference])
        return Opened(gateway_id=f"fake-{transaction.reference}", redirect_url=url)

    def status(self, transaction):
        # It only ever knows what its page told the webhook.
        return None


CLIENTS = {Provider.MIDTRANS: Midtrans, Provider.XENDIT: Xendit, Provider.FAKE: Fake}


def client_for(connection: GatewayConnection) -> Client:
    return CLIENTS[connection.provider](connection)
