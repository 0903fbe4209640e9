"""What a gateway says about a transaction, read and verified, in one shape (`Notice`).

Midtrans (HTTP notification, and its status API, which answers with the same fields) signs with
`signature_key` = SHA512(order_id + status_code + gross_amount + ServerKey); Xendit's invoice
callback carries the shop's verification token in the `x-callback-token` header. The in-app fake
gateway speaks Midtrans's JSON and signs the same way.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kernel import vault
from kernel.exceptions import Refused
from payments.models import GatewayTransaction, Provider

log = logging.getLogger(__name__)
# What fits the money columns (14 digits, 2 decimals).
MAX_AMOUNT = Decimal("999999999999")


class Malformed(Refused):
    """Not a notification we can read (400)."""


class BadSignature(Refused):
    """Not signed by the gateway with the shop's key, or about no transaction of ours (401)."""

    http_status = 401


class State:
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    # Said after a payment (refunds, chargebacks): noted, changes nothing here.
    OTHER = "other"


@dataclass(frozen=True)
class Notice:
    reference: str  # our id at the gateway
    state: str  # a State
    status: str  # the gateway's own word, as it said it
    amount: Decimal | None  # what the buyer paid (or was asked), in the currency's units
    gateway_id: str = ""
    method: str = ""


MIDTRANS_STATES = {
    "settlement": State.PAID,
    "pending": State.PENDING,
    "expire": State.EXPIRED,
    "deny": State.FAILED,
    "cancel": State.FAILED,
    "failure": State.FAILED,
}
XENDIT_STATES = {
    "PAID": State.PAID,
    "SETTLED": State.PAID,
    "PENDING": State.PENDING,
    "EXPIRED": State.EXPIRED,
}


def parse_json(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise Malformed("Not JSON.") from error
    if not isinstance(data, dict):
        raise Malformed("Not a JSON object.")
    return data


def _text(data: dict, name: str, *, required: bool = True) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        raise Malformed(f"{name} missing or not text.")
    return str(value)


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise Malformed("Amount is not a number.") from error
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise Malformed("Amount is not a positive number we can hold.")
    return amount


def _key(secret) -> str:
    """A shop's key, or BadSignature when it cannot be read (GATEWAY_KEYS_KEY changed): the
    gateway retries later, and the operator is told in the log."""
    try:
        return secret()
    except vault.VaultUnavailable:
        log.exception("A gateway key could not be decrypted: check GATEWAY_KEYS_KEY.")
        raise BadSignature("Key unreadable.") from None


def midtrans_signature(order_id: str, status_code: str, gross_amount: str, key: str) -> str:
    raw = f"{order_id}{status_code}{gross_amount}{key}".encode()
    return hashlib.sha512(raw).hexdigest()


def read_midtrans(data: dict, *, verify: bool = True) -> tuple[Notice, GatewayTransaction]:
    """A Midtrans notification (or status answer): its transaction, its signature checked."""
    order_id = _text(data, "order_id")
    status_code = _text(data, "status_code")
    gross_amount = _text(data, "gross_amount")
    status = _text(data, "transaction_status")
    signature = data.get("signature_key")
    if verify and not isinstance(signature, str):
        raise BadSignature("No signature_key.")
    transaction = (
        GatewayTransaction.objects.select_related("connection")
        .filter(reference=order_id, provider__in=[Provider.MIDTRANS, Provider.FAKE])
        .first()
    )
    if transaction is None:
        raise BadSignature("No such transaction.")
    if verify:
        key = _key(lambda: transaction.connection.secret_key)
        if not key:  # disconnected: nothing can be verified any more
            raise BadSignature("No key to verify with.")
        expected = midtrans_signature(order_id, status_code, gross_amount, key)
        if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
            raise BadSignature("Wrong signature_key.")
    state = MIDTRANS_STATES.get(status, State.OTHER)
    if status == "capture":  # cards: captured, unless the fraud check holds it
        state = State.PAID if data.get("fraud_status", "accept") == "accept" else State.PENDING
    notice = Notice(
        reference=order_id,
        state=state,
        status=status,
        amount=_amount(gross_amount),
        gateway_id=_text(data, "transaction_id", required=False),
        method=_text(data, "payment_type", required=False),
    )
    return notice, transaction


def read_xendit(data: dict, *, token: str | None) -> tuple[Notice, GatewayTransaction]:
    """A Xendit invoice callback, its x-callback-token checked against the shop's. `token` None:
    the answer of our own status call, nothing to check."""
    external_id = _text(data, "external_id")
    status = _text(data, "status")
    transaction = (
        GatewayTransaction.objects.select_related("connection")
        .filter(reference=external_id, provider=Provider.XENDIT)
        .first()
    )
    if transaction is None:
        raise BadSignature("No such transaction.")
    if token is not None:
        expected = _key(lambda: transaction.connection.callback_token)
        if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
            raise BadSignature("Wrong x-callback-token.")
    paid = data.get("paid_amount")
    notice = Notice(
        reference=external_id,
        state=XENDIT_STATES.get(status, State.OTHER),
        status=status,
        amount=_amount(paid if paid is not None else data.get("amount")),
        gateway_id=_text(data, "id", required=False),
        method=_text(data, "payment_channel", required=False)
        or _text(data, "payment_method", required=False),
    )
    return notice, transaction
