"""The seller's campaign editor: terms (with suggested pay-day windows) and variants, duplicate,
publish, unpublish, photos.

Views parse the forms, call one service from campaigns.services.campaigns and render; a
CampaignRuleBroken becomes a message on its field, or at the top of the page.
"""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns.exceptions import CampaignRuleBroken
from campaigns.forms.editor import (
    CampaignForm,
    PhotoAltForm,
    PhotoUploadForm,
    VariantFormSet,
    suggested_window,
)
from campaigns.models import Campaign, Role
from campaigns.services import campaigns as services
from campaigns.services import photos as photo_services
from campaigns.services import timing
from campaigns.views.access import seller_view
from orders.services.waitlist import update_campaign_terms

VARIANTS_PREFIX = "variants"


def _campaign(shop, campaign_id):
    # Through the shop: another shop's campaign id is a 404.
    return get_object_or_404(shop.campaigns, pk=campaign_id)


def _add_refusal(form, broken: CampaignRuleBroken) -> None:
    for field, texts in broken.errors.items():
        for message in texts:
            form.add_error(field if field in form.fields else None, message)


@seller_view(Role.MANAGER)
def campaign_new(request, shop):
    campaign = Campaign(shop=shop)
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=campaign, shop=shop)
        variants = VariantFormSet(
            request.POST, instance=campaign, prefix=VARIANTS_PREFIX, currency=shop.currency
        )
        if form.is_valid() and variants.is_valid():
            try:
                campaign = services.create_campaign(
                    shop=shop, terms=form.terms(), variants=variants.specs(), actor=request.user
                )
            except CampaignRuleBroken as broken:
                _add_refusal(form, broken)
            else:
                messages.success(
                    request, _("Draft saved. Add photos, then publish it when it is ready.")
                )
                return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)
    else:
        # A suggested window the seller picked without JavaScript comes back as a GET.
        form = CampaignForm(instance=campaign, shop=shop, initial=suggested_window(request.GET))
        variants = VariantFormSet(instance=campaign, prefix=VARIANTS_PREFIX, currency=shop.currency)
    return _render_editor(request, shop, None, form, variants)


@seller_view(Role.MANAGER)
def campaign_edit(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=campaign, shop=shop)
        variants = VariantFormSet(
            request.POST, instance=campaign, prefix=VARIANTS_PREFIX, currency=shop.currency
        )
        if form.is_valid() and variants.is_valid():
            try:
                update_campaign_terms(
                    campaign=campaign,
                    terms=form.terms(),
                    variants=variants.specs(),
                    actor=request.user,
                )
            except CampaignRuleBroken as broken:
                _add_refusal(form, broken)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)
    else:
        window = suggested_window(request.GET) if _suggests_windows(campaign) else {}
        form = CampaignForm(instance=campaign, shop=shop, initial=window)
        variants = VariantFormSet(instance=campaign, prefix=VARIANTS_PREFIX, currency=shop.currency)
    return _render_editor(request, shop, campaign, form, variants)


def _suggests_windows(campaign) -> bool:
    # Only while the window is still being planned: buyers do not see a draft yet.
    return campaign is None or campaign.status == Campaign.Status.DRAFT


def _render_editor(request, shop, campaign, form, variants):
    context = {"shop": shop, "campaign": campaign, "form": form, "variants": variants}
    if _suggests_windows(campaign):
        context["windows"] = timing.suggest_windows(now=timezone.now(), tz=ZoneInfo(shop.time_zone))
    status = 400 if form.is_bound else 200
    return render(request, "dashboard/campaigns/form.html", context, status=status)


@seller_view(Role.MANAGER)
@require_POST
def campaign_duplicate(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    copy = services.duplicate_campaign(campaign=campaign, actor=request.user)
    messages.success(
        request,
        _("This is a copy of “%(title)s”: a draft opening tomorrow. Check the terms, then publish.")
        % {"title": campaign.title},
    )
    return redirect("dashboard:campaign_edit", shop_slug=shop.slug, campaign_id=copy.pk)


@seller_view(Role.MANAGER)
@require_POST
def campaign_publish(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    try:
        services.publish_campaign(campaign=campaign, actor=request.user)
    except CampaignRuleBroken as broken:
        messages.error(request, broken.message)
    else:
        messages.success(request, _("Published: buyers can see this campaign."))
    return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)


@seller_view(Role.MANAGER)
@require_POST
def campaign_unpublish(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    try:
        services.unpublish_campaign(campaign=campaign, actor=request.user)
    except CampaignRuleBroken as broken:
        messages.error(request, broken.message)
    else:
        messages.success(request, _("Back to draft: buyers no longer see this campaign."))
    return redirect("dashboard:campaign", shop_slug=shop.slug, campaign_id=campaign.pk)


# --- photos ----------------------------------------------------------------------------------


@seller_view(Role.MANAGER)
def campaign_photos(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    posted = request.method == "POST"
    form = PhotoUploadForm(request.POST, request.FILES) if posted else PhotoUploadForm()
    if posted and form.is_valid():
        try:
            added, refused = photo_services.add_photos(
                campaign=campaign, uploads=form.cleaned_data["images"], alt=form.cleaned_data["alt"]
            )
        except CampaignRuleBroken as broken:
            _add_refusal(form, broken)
        else:
            for upload in refused:
                messages.error(
                    request,
                    _("“%(name)s” was not added: %(reason)s")
                    % {"name": upload.name, "reason": upload.message},
                )
            if added:
                messages.success(
                    request,
                    ngettext("%(n)d photo added.", "%(n)d photos added.", len(added))
                    % {"n": len(added)},
                )
            return redirect(
                "dashboard:campaign_photos", shop_slug=shop.slug, campaign_id=campaign.pk
            )
    photos = [
        (photo, PhotoAltForm(instance=photo, prefix=f"photo-{photo.pk}"))
        for photo in campaign.images.all()
    ]
    context = {"shop": shop, "campaign": campaign, "form": form, "photos": photos}
    status = 400 if form.is_bound else 200
    return render(request, "dashboard/campaigns/photos.html", context, status=status)


@seller_view(Role.MANAGER)
@require_POST
def campaign_photo(request, shop, campaign_id, photo_id):
    campaign = _campaign(shop, campaign_id)
    photo = get_object_or_404(campaign.images, pk=photo_id)
    form = PhotoAltForm(request.POST, instance=photo, prefix=f"photo-{photo.pk}")
    if form.is_valid():
        photo_services.describe_photo(photo=photo, alt=form.cleaned_data["alt"])
        messages.success(request, _("Description saved."))
    else:
        messages.error(request, form.errors["alt"][0])
    return redirect("dashboard:campaign_photos", shop_slug=shop.slug, campaign_id=campaign.pk)


@seller_view(Role.MANAGER)
@require_POST
def campaign_photo_delete(request, shop, campaign_id, photo_id):
    campaign = _campaign(shop, campaign_id)
    photo = get_object_or_404(campaign.images, pk=photo_id)
    photo_services.remove_photo(photo=photo)
    messages.success(request, _("Photo deleted."))
    return redirect("dashboard:campaign_photos", shop_slug=shop.slug, campaign_id=campaign.pk)
