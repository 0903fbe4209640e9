"""The shop's ongkir settings page: one page, a form per thing the seller changes (the rule,
a new zone, a new pickup point, removing one), each POST naming its `action`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaigns.exceptions import ShippingRefused
from campaigns.forms.shipping import PickupPointForm, ShippingRuleForm, ZoneForm
from campaigns.models import Role
from campaigns.services import shipping
from campaigns.views.access import seller_view


@seller_view(Role.OWNER)
def shipping_settings(request, shop):
    currency = shop.currency
    rule_form = ShippingRuleForm(
        initial={"shipping_rule": shop.shipping_rule, "shipping_flat_fee": shop.shipping_flat_fee},
        currency=currency,
    )
    zone_form, pickup_form = ZoneForm(currency=currency), PickupPointForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rule":
                rule_form = ShippingRuleForm(request.POST, currency=currency)
                if rule_form.is_valid():
                    data = rule_form.cleaned_data
                    shipping.set_rule(
                        shop=shop,
                        rule=data["shipping_rule"],
                        flat_fee=data["shipping_flat_fee"],
                        actor=request.user,
                    )
                    return _saved(request, shop, _("Ongkir settings saved."))
            elif action == "zone":
                zone_form = ZoneForm(request.POST, currency=currency)
                if zone_form.is_valid():
                    data = zone_form.cleaned_data
                    zone = shipping.add_zone(
                        shop=shop,
                        name=data["name"],
                        codes=zone_form.codes(),
                        fee=data["fee"] or 0,
                        fee_per_kg=data["fee_per_kg"] or 0,
                        actor=request.user,
                    )
                    return _saved(request, shop, _("Zone “%(name)s” added.") % {"name": zone})
            elif action == "pickup":
                pickup_form = PickupPointForm(request.POST)
                if pickup_form.is_valid():
                    point = shipping.add_pickup_point(
                        shop=shop, actor=request.user, **pickup_form.cleaned_data
                    )
                    return _saved(
                        request, shop, _("Pickup point “%(name)s” added.") % {"name": point}
                    )
            elif (
                action in ("zone-remove", "pickup-remove") and request.POST.get("id", "").isdigit()
            ):
                remove = (
                    shipping.remove_zone
                    if action == "zone-remove"
                    else shipping.remove_pickup_point
                )
                key = "zone_id" if action == "zone-remove" else "point_id"
                remove(shop=shop, actor=request.user, **{key: int(request.POST["id"])})
                return _saved(request, shop, _("Removed."))
            else:
                messages.error(
                    request, _("That form is out of date. Reload the page and try again.")
                )
        except ShippingRefused as refusal:
            form = {"rule": rule_form, "zone": zone_form, "pickup": pickup_form}.get(action)
            if form is None:
                messages.error(request, refusal.message)
            else:
                form.add_error(
                    refusal.field if refusal.field in form.fields else None, refusal.message
                )
        status = 400
    context = {
        "shop": shop,
        "rule_form": rule_form,
        "zone_form": zone_form,
        "pickup_form": pickup_form,
        "zones": shop.shipping_zones.all(),
        "pickup_points": shop.pickup_points.all(),
    }
    return render(request, "dashboard/shop/shipping.html", context, status=status)


def _saved(request, shop, message):
    messages.success(request, message)
    return redirect("dashboard:shipping", shop_slug=shop.slug)
