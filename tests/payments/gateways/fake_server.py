"""A local fake of the Midtrans and Xendit APIs the clients call: the same paths, JSON and
signing, served by wsgiref on 127.0.0.1 in a thread the tests start. It keeps what was created,
lets a test settle or expire a transaction, and builds the notification the real gateway would
send (signed with the shop's key) for the test to deliver to our webhook."""

import base64
import json
import re
import threading
import uuid
from decimal import Decimal
from wsgiref.simple_server import WSGIRequestHandler, make_server

from payments.services.gateways.notices import midtrans_signature


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakeGateway:
    def __init__(self, *, server_key: str = "SB-Mid-server-TEST", xendit_key: str = "xnd_test"):
        self.server_key = server_key
        self.xendit_key = xendit_key
        self.midtrans: dict[str, dict] = {}  # order_id → transaction
        self.invoices: dict[str, dict] = {}  # invoice id → invoice
        self.refunds: list[dict] = []
        self.calls: list[str] = []
        self.fail_next = False

    # --- the WSGI app --------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        self.calls.append(f"{method} {path}")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}") if length else {}
        user = self._user(environ.get("HTTP_AUTHORIZATION", ""))
        status, data = self._route(method, path, body, user)
        payload = json.dumps(data).encode()
        start_response(f"{status} X", [("Content-Type", "application/json")])
        return [payload]

    @staticmethod
    def _user(header: str) -> str:
        if not header.startswith("Basic "):
            return ""
        return base64.b64decode(header[6:]).decode().split(":", 1)[0]

    def _route(self, method, path, body, user):
        if self.fail_next:
            self.fail_next = False
            return 503, {"error_messages": ["Service unavailable"]}
        if path == "/snap/v1/transactions" and method == "POST":
            if user != self.server_key:
                return 401, {"error_messages": ["Access denied, please check client or server key"]}
            order_id = body["transaction_details"]["order_id"]
            if order_id in self.midtrans:
                return 400, {"error_messages": ["transaction_details.order_id sudah digunakan"]}
            token = str(uuid.uuid4())
            self.midtrans[order_id] = {
                "order_id": order_id,
                "gross_amount": f"{body['transaction_details']['gross_amount']}.00",
                "transaction_status": None,
                "payment_type": "",
                "transaction_id": str(uuid.uuid4()),
                "request": body,
            }
            return 201, {
                "token": token,
                "redirect_url": f"https://app.sandbox.midtrans.com/snap/v4/redirection/{token}",
            }
        match = re.fullmatch(r"/v2/([^/]+)/(status|refund)", path)
        if match and user == self.server_key:
            order_id, action = match.groups()
            txn = self.midtrans.get(order_id)
            if txn is None or txn["transaction_status"] is None:
                return 404, {
                    "status_code": "404",
                    "status_message": "Transaction doesn't exist.",
                    "id": str(uuid.uuid4()),
                }
            if action == "status":
                return 200, self.midtrans_body(order_id)
            self.refunds.append({"order_id": order_id, **body})
            return 200, {
                "status_code": "200",
                "status_message": "Success, refund request is approved",
                "order_id": order_id,
                "refund_amount": f"{body['amount']}.00",
                "refund_key": body["refund_key"],
            }
        if path == "/v2/invoices" and method == "POST":
            if user != self.xendit_key:
                return 401, {"error_code": "INVALID_API_KEY", "message": "API key is invalid"}
            invoice_id = uuid.uuid4().hex[:24]
            self.invoices[invoice_id] = {
                "id": invoice_id,
                "external_id": body["external_id"],
                "user_id": "5f9a3fbd571a1c4068aa40ce",
                "status": "PENDING",
                "merchant_name": "Rajut Test",
                "amount": body["amount"],
                "currency": body.get("currency", "IDR"),
                "invoice_url": f"https://checkout-staging.xendit.co/web/{invoice_id}",
                "expiry_date": "2026-12-31T00:00:00.000Z",
                "request": body,
            }
            return 200, {k: v for k, v in self.invoices[invoice_id].items() if k != "request"}
        match = re.fullmatch(r"/v2/invoices/([^/]+)", path)
        if match and method == "GET" and user == self.xendit_key:
            invoice = self.invoices.get(match.group(1))
            if invoice is None:
                return 404, {"error_code": "INVOICE_NOT_FOUND_ERROR", "message": "not found"}
            return 200, {k: v for k, v in invoice.items() if k != "request"}
        return 404, {"status_code": "404", "error": f"no route {method} {path}"}

    # --- what a test makes happen at the gateway -------------------------------------------------

    def midtrans_set(self, order_id: str, status: str, *, payment_type="qris", gross=None):
        txn = self.midtrans[order_id]
        txn["transaction_status"] = status
        txn["payment_type"] = payment_type
        if gross is not None:
            txn["gross_amount"] = f"{Decimal(gross):.2f}"

    def midtrans_body(self, order_id: str, *, key: str | None = None) -> dict:
        """The notification (or status answer) Midtrans sends, signed with the server key."""
        txn = self.midtrans[order_id]
        status = txn["transaction_status"]
        code = {"settlement": "200", "capture": "200", "pending": "201"}.get(status, "407")
        return {
            "transaction_time": "2026-12-03 10:00:00",
            "transaction_status": status,
            "transaction_id": txn["transaction_id"],
            "status_message": "midtrans payment notification",
            "status_code": code,
            "signature_key": midtrans_signature(
                order_id, code, txn["gross_amount"], key or self.server_key
            ),
            "payment_type": txn["payment_type"],
            "order_id": order_id,
            "merchant_id": "G141532850",
            "gross_amount": txn["gross_amount"],
            "fraud_status": "accept",
            "currency": "IDR",
        }

    def xendit_set(self, external_id: str, status: str, *, paid_amount=None):
        invoice = next(i for i in self.invoices.values() if i["external_id"] == external_id)
        invoice["status"] = status
        if status in ("PAID", "SETTLED"):
            invoice["paid_amount"] = paid_amount if paid_amount is not None else invoice["amount"]
            invoice["payment_method"] = "QR_CODE"
            invoice["payment_channel"] = "QRIS"
        return invoice

    def xendit_body(self, external_id: str) -> dict:
        invoice = next(i for i in self.invoices.values() if i["external_id"] == external_id)
        return {k: v for k, v in invoice.items() if k not in ("request", "invoice_url")}


class Running:
    """The fake served on a free port in a daemon thread; `url` is its address."""

    def __init__(self, gateway: FakeGateway):
        self.gateway = gateway
        self.server = make_server("127.0.0.1", 0, gateway, handler_class=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
