"""The two campaign decisions that send money back: mark failed (the minimum was missed) and
cancel. Each asks for a reason, then shows what it will do (orders cancelled, money to refund)
and waits for a second, confirming press before calling its service.

Campaigns are fetched through the shop, so another shop's campaign is a 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.access import seller_view
from payments.exceptions import PaymentRefused
from payments.forms_refunds import ReasonForm
from payments.refunds import cancel_campaign, fail_campaign
from payments.selectors import campaign_stop_preview

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


@seller_view
@require_POST
def campaign_fail(request, shop, campaign_id):
    return _decide(request, shop, campaign_id, "fail")


@seller_view
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
