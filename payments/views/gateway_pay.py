"""The buyer's "Pay now": start (or reuse) a gateway transaction, wait while the worker opens
it, then go to the gateway's page. Behind the order's secret link, like the rest of the page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kernel.ratelimit import allow_rate
from orders.views.public import buyer_order, render_order_page
from payments.exceptions import PaymentRefused
from payments.models import GatewayTransaction
from payments.services.gateways.transactions import start_gateway_payment


@never_cache
@require_POST
def pay_online(request, token):
    order = buyer_order(token)
    connection = (
        order.campaign.shop.gateway_connections.filter(
            is_active=True, provider=request.POST.get("provider", "")
        )
        .exclude(secret_key_sealed="")
        .first()
    )
    if connection is not None and connection.provider == "fake" and not settings.FAKE_GATEWAY:
        connection = None
    if connection is None:
        return render_order_page(
            request, order, gateway_error=_("Choose how you would like to pay."), status=400
        )
    if not allow_rate(request, "proof", settings.PROOF_RATE):
        return render_order_page(
            request,
            order,
            gateway_error=_("Too many tries from your connection; try again in a few minutes."),
            status=429,
        )
    try:
        txn = start_gateway_payment(order=order, connection=connection)
    except PaymentRefused as refusal:
        return render_order_page(
            request, order, gateway_error=refusal.message, status=refusal.http_status
        )
    return redirect("payments:gateway_checkout", token=order.token, reference=txn.reference)


@never_cache
def checkout(request, token, reference):
    """To the gateway's page once it is open; until then a page that looks again by itself."""
    order = buyer_order(token)
    txn = GatewayTransaction.objects.filter(order=order, reference=reference).first()
    if txn is None:
        raise Http404
    if txn.status == GatewayTransaction.Status.PENDING and txn.redirect_url:
        return redirect(txn.redirect_url)
    context = {"order": order, "shop": order.campaign.shop, "txn": txn}
    response = render(request, "payments/gateway_checkout.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
