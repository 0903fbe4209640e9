"""The seller's production decisions on a campaign: start, finish, extend the window.

Each view calls one service; a refused decision becomes a message on the overview and nothing
changes. Campaigns are fetched through the shop, so another shop's campaign is a 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.access import seller_view
from campaigns.forms.decisions import ExtendWindowForm
from orders.decisions import DecisionRefused, extend_window, start_production
from payments import decisions as payment_decisions


def _campaign(shop, campaign_id):
    return get_object_or_404(shop.campaigns, pk=campaign_id)


def _overview(shop, campaign):
    return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)


@seller_view
@require_POST
def campaign_start_production(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    try:
        start_production(campaign=campaign, actor=request.user)
    except DecisionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _(
                "Production started. Confirmed orders are in production; orders still waiting for "
                "their deposit join once it is verified."
            ),
        )
    return _overview(shop, campaign)


@seller_view
@require_POST
def campaign_finish_production(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    try:
        # Through payments: what each order still owes comes from its ledger.
        payment_decisions.finish_production(campaign=campaign, actor=request.user)
    except DecisionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Production finished. Buyers who owe the balance have been emailed its due date."),
        )
    return _overview(shop, campaign)


@seller_view
@require_POST
def campaign_extend(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    form = ExtendWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the new closing date and time."))
        return _overview(shop, campaign)
    try:
        extended = extend_window(
            campaign=campaign, closes_at=form.cleaned_data["closes_at"], actor=request.user
        )
    except DecisionRefused as refused:
        messages.error(request, refused.message)
    else:
        # seller_view has activated the shop's time zone.
        closes = date_format(timezone.localtime(extended.closes_at), "DATETIME_FORMAT")
        messages.success(request, _("The window now closes %(closes)s.") % {"closes": closes})
    return _overview(shop, campaign)
