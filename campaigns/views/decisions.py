"""The seller's decisions on a campaign, from its overview: start and finish production, extend
the window, and the two that send money back, mark failed and cancel (payments/services/
decisions.py holds them all).

Each view calls one service; a refused decision becomes a message on the overview and nothing
changes. Failing and cancelling ask for a reason, then show what they will do (orders cancelled,
money to refund) and wait for a second, confirming press. Campaigns are fetched through the
shop, so another shop's campaign is a 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.forms.decisions import ExtendWindowForm, ReasonForm
from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.clock import shop_time
from payments.exceptions import DecisionRefused, PaymentRefused
from payments.selectors import campaign_stop_preview
from payments.services.decisions import (
    cancel_campaign,
    extend_window,
    fail_campaign,
    finish_production,
    start_production,
)


def _campaign(shop, campaign_id):
    return get_object_or_404(shop.campaigns, pk=campaign_id)


def _overview(shop, campaign):
    return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)


@seller_view(Role.MANAGER)
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


@seller_view(Role.MANAGER)
@require_POST
def campaign_finish_production(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    try:
        finish_production(campaign=campaign, actor=request.user)
    except DecisionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Production finished. Buyers who owe the balance have been emailed its due date."),
        )
    return _overview(shop, campaign)


@seller_view(Role.MANAGER)
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
        closes = shop_time(shop, extended.closes_at)
        messages.success(request, _("The window now closes %(closes)s.") % {"closes": closes})
    return _overview(shop, campaign)


# --- fail or cancel: a reason, a preview, then a confirming press --------------------------------


DECISIONS = {
    "fail": {
        "service": fail_campaign,
        "title": gettext_lazy("Mark failed and refund"),
        "explain": gettext_lazy(
            "The campaign did not reach its minimum: it is marked failed, every order still "
            "going is cancelled and the money each paid goes on the refunds list."
        ),
        "done": gettext_lazy("The campaign is marked failed."),
    },
    "cancel": {
        "service": cancel_campaign,
        "title": gettext_lazy("Cancel and refund"),
        "explain": gettext_lazy(
            "The campaign is cancelled, every order still going is cancelled and the money "
            "each paid goes on the refunds list."
        ),
        "done": gettext_lazy("The campaign is cancelled."),
    },
}


@seller_view(Role.MANAGER)
@require_POST
def campaign_fail(request, shop, campaign_id):
    return _decide(request, shop, campaign_id, "fail")


@seller_view(Role.MANAGER)
@require_POST
def campaign_cancel(request, shop, campaign_id):
    return _decide(request, shop, campaign_id, "cancel")


def _decide(request, shop, campaign_id, decision: str):
    campaign = get_object_or_404(shop.campaigns, pk=campaign_id)
    spec = DECISIONS[decision]
    form = ReasonForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirm"]:
        # First press (or no reason): what will happen, and the button that makes it happen.
        context = {
            "shop": shop,
            "campaign": campaign,
            "form": form,
            "decision": decision,
            "spec": spec,
            "preview": campaign_stop_preview(campaign),
        }
        status = 200 if form.is_valid() else 400
        return render(request, "dashboard/payments/campaign_stop.html", context, status=status)
    try:
        stopped = spec["service"](
            campaign=campaign, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except PaymentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"{spec['done']} {stopped.summary()}")
    return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)
