"""The demo gateway's payment page (FAKE_GATEWAY: development and demos, never production): the
buyer picks QRIS, a virtual account or an e-wallet and "pays"; the page then sends the shop the
notification Midtrans would, signed with the shop's key, through the same code as the webhook."""

import json

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from payments.models import GatewayTransaction, Provider
from payments.services.gateways.notices import midtrans_signature, read_midtrans
from payments.services.gateways.transactions import apply_notice

METHODS = {"qris": "QRIS", "bank_transfer": "Virtual account", "gopay": "GoPay"}


def _transaction(reference: str) -> GatewayTransaction:
    txn = (
        GatewayTransaction.objects.select_related("order__campaign__shop", "connection")
        .filter(reference=reference, provider=Provider.FAKE)
        .first()
    )
    if txn is None or not settings.FAKE_GATEWAY:
        raise Http404
    return txn


@never_cache
def fake_gateway(request, reference):
    txn = _transaction(reference)
    if request.method == "POST":
        method = request.POST.get("method", "")
        if method in METHODS and txn.is_open:
            body = notification(txn, status="settlement", method=method)
            notice, found = read_midtrans(json.loads(body))
            apply_notice(notice=notice, transaction=found, body=body, source="webhook")
        return redirect(txn.order.get_absolute_url())
    context = {"txn": txn, "order": txn.order, "shop": txn.order.campaign.shop, "methods": METHODS}
    response = render(request, "payments/fake_gateway.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def notification(txn: GatewayTransaction, *, status: str, method: str) -> str:
    """The body Midtrans sends for `txn`, signed with the shop's key."""
    gross = f"{txn.gross:.2f}"
    code = {"settlement": "200", "pending": "201"}.get(status, "407")
    return json.dumps(
        {
            "transaction_status": status,
            "status_code": code,
            "order_id": txn.reference,
            "gross_amount": gross,
            "payment_type": method,
            "transaction_id": f"fake-{txn.pk}",
            "currency": "IDR",
            "fraud_status": "accept",
            "signature_key": midtrans_signature(
                txn.reference, code, gross, txn.connection.secret_key
            ),
        }
    )
