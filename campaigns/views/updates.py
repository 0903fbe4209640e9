"""What the seller tells a campaign's buyers from the overview: updates and revised dates.

Each view parses its form and calls one service; a refusal re-renders the overview with the
message on the form and nothing stored or sent. Campaigns are fetched through the shop.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.forms.updates import AnnouncementForm, ReviseDatesForm
from campaigns.models import Role
from campaigns.views.access import seller_view
from campaigns.views.dashboard import overview_campaign, render_overview
from orders.exceptions import AnnouncementRefused, RevisionRefused
from orders.services.announcements import announce
from orders.services.revisions import revise_dates


def _overview(shop, campaign):
    return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)


@seller_view(Role.MANAGER)
@require_POST
def campaign_announce(request, shop, campaign_id):
    campaign = overview_campaign(shop, campaign_id)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            announce(campaign=campaign, text=form.cleaned_data["text"], actor=request.user)
        except AnnouncementRefused as refused:
            form.add_error("text", refused.message)
        else:
            messages.success(request, _("Update posted and emailed to the buyers."))
            return _overview(shop, campaign)
    return render_overview(request, shop, campaign, announce_form=form, status=400)


@seller_view(Role.MANAGER)
@require_POST
def campaign_revise_dates(request, shop, campaign_id):
    campaign = overview_campaign(shop, campaign_id)
    form = ReviseDatesForm(request.POST)
    if form.is_valid():
        try:
            revise_dates(
                campaign=campaign,
                production_ends_on=form.cleaned_data["production_ends_on"],
                ships_on=form.cleaned_data["ships_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except RevisionRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Dates revised. Buyers have been emailed the new dates."))
            return _overview(shop, campaign)
    return render_overview(request, shop, campaign, revise_form=form, status=400)
