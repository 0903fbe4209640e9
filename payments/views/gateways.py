"""The shop owner's payment gateways: connect Midtrans or Xendit with the shop's own keys."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Role
from campaigns.views.access import seller_view
from payments.exceptions import GatewayRefused
from payments.forms.gateways import GatewayConnectionForm, providers_offered
from payments.services.gateways.connections import connect_gateway


@seller_view(Role.OWNER)  # keys that move money: the owners' to set
def gateway_list(request, shop):
    connections = {c.provider: c for c in shop.gateway_connections.all()}
    rows = [
        (
            value,
            label,
            connections.get(value),
            reverse(f"dashboard:gateway_{value}", args=[shop.slug]),
        )
        for value, label in providers_offered()
    ]
    return render(request, "dashboard/shop/gateways.html", {"shop": shop, "rows": rows})


@seller_view(Role.OWNER)  # keys that move money: the owners' to set
def gateway_edit(request, shop, provider):
    labels = dict(providers_offered())
    if provider not in labels:
        raise Http404
    connection = shop.gateway_connections.filter(provider=provider).first()
    status = 200
    if request.method == "POST":
        form = GatewayConnectionForm(request.POST, provider=provider, connection=connection)
        if form.is_valid():
            try:
                connect_gateway(shop=shop, provider=provider, **form.connection_fields())
            except GatewayRefused as refusal:
                form.add_error(
                    refusal.field if refusal.field in form.fields else None, refusal.message
                )
            else:
                messages.success(request, _("%(gateway)s saved.") % {"gateway": labels[provider]})
                return redirect("dashboard:gateways", shop_slug=shop.slug)
        status = 400
    else:
        form = GatewayConnectionForm(provider=provider, connection=connection)
    context = {
        "shop": shop,
        "form": form,
        "provider": provider,
        "label": labels[provider],
        "connection": connection,
        "webhook_url": request.build_absolute_uri(f"/payments/webhooks/{provider}/"),
    }
    return render(request, "dashboard/shop/gateway_form.html", context, status=status)
