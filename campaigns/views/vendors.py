"""The shop's vendors; a campaign's vendor quotes side by side, with the chosen one's margin."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.exceptions import CampaignRuleBroken
from campaigns.forms.vendors import QuoteForm, VendorForm
from campaigns.models import Role
from campaigns.services import margin
from campaigns.services import vendors as services
from campaigns.views.access import seller_view


def _add_refusal(form, broken: CampaignRuleBroken) -> None:
    for field, texts in broken.errors.items():
        for message in texts:
            form.add_error(field if field in form.fields else None, message)


@seller_view(Role.MANAGER)
def vendors(request, shop):
    context = {"shop": shop, "vendors": shop.vendors.all()}
    return render(request, "dashboard/campaigns/vendors.html", context)


@seller_view(Role.MANAGER)
def vendor_new(request, shop):
    return _vendor_form(request, shop, vendor=None)


@seller_view(Role.MANAGER)
def vendor_edit(request, shop, vendor_id):
    return _vendor_form(request, shop, vendor=get_object_or_404(shop.vendors, pk=vendor_id))


def _vendor_form(request, shop, vendor):
    if request.method == "POST":
        form = VendorForm(request.POST, instance=vendor, shop=shop)
        if form.is_valid():
            try:
                services.save_vendor(shop=shop, vendor=vendor, **form.cleaned_data)
            except CampaignRuleBroken as broken:
                _add_refusal(form, broken)
            else:
                messages.success(request, _("Vendor saved."))
                return redirect("dashboard:vendors", shop_slug=shop.slug)
    else:
        form = VendorForm(instance=vendor, shop=shop)
    context = {"shop": shop, "vendor": vendor, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "dashboard/campaigns/vendor_form.html", context, status=status)


# --- quotes ----------------------------------------------------------------------------------


@seller_view(Role.MANAGER)
def campaign_quotes(request, shop, campaign_id):
    campaign = get_object_or_404(shop.campaigns.prefetch_related("variants"), pk=campaign_id)
    if request.method == "POST":
        form = QuoteForm(request.POST, shop=shop)
        if form.is_valid():
            try:
                services.add_quote(campaign=campaign, **form.cleaned_data)
            except CampaignRuleBroken as broken:
                _add_refusal(form, broken)
            else:
                messages.success(request, _("Quote added."))
                return redirect(
                    "dashboard:campaign_quotes", shop_slug=shop.slug, campaign_id=campaign.pk
                )
    else:
        form = QuoteForm(shop=shop)
    prices = [variant.price for variant in campaign.variants.all()]
    quotes = list(campaign.quotes.select_related("vendor"))
    rows = [
        {
            "quote": quote,
            "break_even": margin.break_even_quantity(
                unit_cost=quote.unit_cost, vendor_minimum=quote.vendor_minimum, prices=prices
            ),
        }
        for quote in quotes
    ]
    chosen = next((quote for quote in quotes if quote.chosen), None)
    context = {
        "shop": shop,
        "campaign": campaign,
        "form": form,
        "rows": rows,
        "chosen": chosen,
        "figures": _chosen_figures(campaign, chosen, prices) if chosen else None,
        "has_vendors": shop.vendors.exists(),
    }
    status = 400 if form.is_bound else 200
    return render(request, "dashboard/campaigns/quotes.html", context, status=status)


def _chosen_figures(campaign, quote, prices) -> dict:
    def at(units):
        return margin.margin_at(
            units=units,
            prices=prices,
            unit_cost=quote.unit_cost,
            vendor_minimum=quote.vendor_minimum,
            currency=campaign.shop.currency,
        )

    break_even = margin.break_even_quantity(
        unit_cost=quote.unit_cost, vendor_minimum=quote.vendor_minimum, prices=prices
    )
    return {
        "average_price": margin.average_price(prices),
        "now": at(campaign.reserved),
        "target": at(campaign.sales_target) if campaign.sales_target else None,
        "break_even": break_even,
        "loses_on_every_unit": margin.loses_on_every_unit(unit_cost=quote.unit_cost, prices=prices),
        "suggested_minimum": margin.suggested_minimum(
            break_even=break_even, vendor_minimum=quote.vendor_minimum, capacity=campaign.capacity
        ),
    }


@seller_view(Role.MANAGER)
@require_POST
def campaign_quote_choose(request, shop, campaign_id, quote_id):
    campaign = get_object_or_404(shop.campaigns, pk=campaign_id)
    quote = get_object_or_404(campaign.quotes.select_related("vendor"), pk=quote_id)
    services.choose_quote(campaign=campaign, quote=quote)
    messages.success(request, _("%(vendor)s's quote is chosen.") % {"vendor": quote.vendor.name})
    return redirect("dashboard:campaign_quotes", shop_slug=shop.slug, campaign_id=campaign.pk)


@seller_view(Role.MANAGER)
@require_POST
def campaign_quote_suggestions(request, shop, campaign_id):
    campaign = get_object_or_404(shop.campaigns, pk=campaign_id)
    try:
        campaign = services.apply_quote_suggestions(campaign=campaign, actor=request.user)
    except CampaignRuleBroken as broken:
        messages.error(request, broken.message)
    else:
        messages.success(
            request,
            _("Minimum set to %(min)d units and production time to %(days)d days.")
            % {"min": campaign.min_quantity, "days": campaign.production_days},
        )
    return redirect("dashboard:campaign_quotes", shop_slug=shop.slug, campaign_id=campaign.pk)
