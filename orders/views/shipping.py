"""Shipping screens: one order shipped or completed by the seller, a campaign's orders shipped
from a pasted list (preview, then confirm), and the buyer saying their order arrived.

Seller views take the shop from `seller_view` and fetch through it: another shop's order or
campaign is a 404. The buyer's view is reached only through the order's secret link.
"""

from contextlib import suppress

from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from orders.exceptions import ShippingRefused
from orders.forms.shipping import BulkShippingForm, ShipOrderForm
from orders.services.fulfilment import (
    SHIPPING_CAMPAIGNS,
    complete_order,
    confirm_receipt,
    mark_shipped,
    preview_bulk_shipping,
    ship_in_bulk,
)
from orders.views.public import buyer_order
from orders.views.seller import _order, _render_detail

# The confirm button carries the previewed rows, signed: the seller cannot edit them in between,
# and ship_in_bulk checks each order again anyway.
ROWS_SALT = "orders.bulk-shipping"
ROWS_MAX_AGE = 60 * 60


@require_POST
@seller_view(Role.STAFF)
def order_ship(request, shop, code):
    order = _order(shop, code)
    form = ShipOrderForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, shop, order, ship_form=form, status=400)
    try:
        mark_shipped(order=order, actor=request.user, **form.cleaned_data)
    except ShippingRefused as refusal:
        # Someone may have shipped it since this page was loaded: the message says so.
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Order %(code)s is shipped; the buyer was emailed.") % {"code": order.code}
        )
    return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)


@require_POST
@seller_view(Role.STAFF)
def order_complete(request, shop, code):
    order = _order(shop, code)
    try:
        complete_order(order=order, actor=request.user)
    except ShippingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Order %(code)s is completed.") % {"code": order.code})
    return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)


def _campaign(shop, campaign_id):
    return get_object_or_404(shop.campaigns, pk=campaign_id)


@require_http_methods(["GET", "HEAD", "POST"])
@seller_view(Role.STAFF)
def campaign_shipping(request, shop, campaign_id):
    """GET: the paste form. POST: the preview of what it would ship; nothing is saved."""
    campaign = _campaign(shop, campaign_id)
    context = {
        "shop": shop,
        "campaign": campaign,
        "can_ship": campaign.status in SHIPPING_CAMPAIGNS,
    }
    status = 200
    if request.method == "POST":
        form = BulkShippingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                preview = preview_bulk_shipping(campaign=campaign, text=form.cleaned_data["text"])
            except ShippingRefused as refusal:
                form.add_error(None, refusal.message)
                status = 400
            else:
                context["preview"] = preview
                context["token"] = signing.dumps(
                    {"campaign": campaign.pk, "rows": preview.ship_rows},
                    salt=ROWS_SALT,
                    compress=True,
                )
        else:
            status = 400
    else:
        form = BulkShippingForm()
    context["form"] = form
    return render(request, "dashboard/orders/shipping.html", context, status=status)


@require_POST
@seller_view(Role.STAFF)
def campaign_shipping_confirm(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    try:
        carried = signing.loads(request.POST.get("rows", ""), salt=ROWS_SALT, max_age=ROWS_MAX_AGE)
        if carried["campaign"] != campaign.pk:
            raise signing.BadSignature
        rows = [(code, carrier, tracking) for code, carrier, tracking in carried["rows"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        messages.error(request, _("That preview has expired. Preview the list again."))
        return redirect("dashboard:campaign_shipping", shop_slug=shop.slug, campaign_id=campaign.pk)
    try:
        result = ship_in_bulk(campaign=campaign, rows=rows, actor=request.user)
    except ShippingRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("dashboard:campaign_shipping", shop_slug=shop.slug, campaign_id=campaign.pk)
    shipped = len(result.shipped)
    messages.success(
        request,
        ngettext(
            "%(count)d order shipped; its buyer was emailed.",
            "%(count)d orders shipped; their buyers were emailed.",
            shipped,
        )
        % {"count": shipped},
    )
    if result.skipped:
        messages.warning(
            request,
            _("Not shipped (changed since the preview): %(codes)s")
            % {"codes": ", ".join(result.skipped)},
        )
    return redirect("dashboard:campaign_orders", shop_slug=shop.slug, campaign_id=campaign.pk)


@never_cache
@require_POST
def order_received(request, token):
    """The buyer taps "I received my order"."""
    order = buyer_order(token)
    # An order not shipped (yet, or any more) stays as it is; its page shows where it is.
    with suppress(ShippingRefused):
        confirm_receipt(order=order)
    return redirect(f"{order.get_absolute_url()}#delivery-title")
