from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import Campaign, Shop
from campaigns.views.video import campaign_video
from kernel.ratelimit import allow_rate
from kernel.whatsapp import wa_link
from orders import chat
from orders.exceptions import OrderRefused, WaitlistRefused
from orders.forms.public import OrderForm
from orders.forms.waitlist import WaitlistForm, sold_out_variants
from orders.services.placing import free_overdue, place_order
from orders.services.waitlist import join_waitlist


def shop_detail(request, shop_slug):
    shop = get_object_or_404(Shop, slug=shop_slug)
    campaigns = selectors.shop_campaigns(shop)
    return render(request, "campaigns/shop_detail.html", {"shop": shop, "campaigns": campaigns})


def campaign_detail(request, shop_slug, campaign_slug):
    """The public campaign page; it also takes the order form's POST."""

    def load():
        try:
            return selectors.public_campaign(
                shop_slug=shop_slug, campaign_slug=campaign_slug, user=request.user
            )
        except Campaign.DoesNotExist:
            raise Http404 from None

    campaign = load()
    # A sold-out campaign first gives back the units of orders whose deposit deadline passed
    # and of waiting-list holds past their time (DESIGN.md, Time): the next in line gets them,
    # or the buyer looking at it when nobody waits.
    if campaign.phase == Campaign.Phase.SOLD_OUT and free_overdue(
        now=timezone.now(), campaign=campaign
    ):
        campaign = load()
    status = 200
    waitlist_variants = sold_out_variants(campaign)
    waitlist_form = WaitlistForm(variants=waitlist_variants) if waitlist_variants else None
    form = OrderForm(campaign=campaign)
    if request.method == "POST" and "join_waitlist" in request.POST:
        waitlist_form = WaitlistForm(request.POST, variants=waitlist_variants)
        status, joined = _join(request, campaign, waitlist_form)
        if joined is not None:
            return joined
    elif request.method == "POST":
        form = OrderForm(request.POST, campaign=campaign)
        if not allow_rate(request, "order", settings.ORDER_RATE):
            # The form comes back as typed, with nothing ordered.
            form.full_clean()
            form.add_error(
                None, _("Too many orders from your connection; try again in a few minutes.")
            )
            status = 429
        elif form.is_valid():
            try:
                order = place_order(
                    campaign=campaign,
                    lines=form.line_requests(),
                    buyer=form.buyer(language=request.LANGUAGE_CODE),
                    idempotency_key=form.key(),
                )
            except OrderRefused as refusal:
                field = refusal.field if refusal.field in form.fields else None
                form.add_error(field, refusal.message)
                status = refusal.http_status
            else:
                # An own fragment, or the browser carries the form's #order onto the link
                # the buyer keeps.
                return redirect(order.get_absolute_url() + "#main")
        else:
            status = 400
    context = {
        "campaign": campaign,
        "shop": campaign.shop,
        "form": form,
        "waitlist_form": waitlist_form,
        "video": campaign_video(campaign.video_url),
    }
    if campaign.shop.whatsapp:
        url = request.build_absolute_uri(campaign.get_absolute_url())
        context["chat_link"] = wa_link(
            chat.campaign_question(campaign, url=url), phone=campaign.shop.whatsapp
        )
    return render(request, "campaigns/campaign_detail.html", context, status=status)


def _join(request, campaign, form):
    """The waiting list's form sent from the campaign page: (status, a redirect or None)."""
    if not allow_rate(request, "waitlist", settings.WAITLIST_RATE):
        form.full_clean()
        form.add_error(
            None, _("Too many requests from your connection; try again in a few minutes.")
        )
        return 429, None
    if not form.is_valid():
        return 400, None
    data = form.cleaned_data
    try:
        entry, created = join_waitlist(
            campaign=campaign,
            variant_id=data["variant"],
            quantity=data["quantity"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            language=request.LANGUAGE_CODE,
        )
    except WaitlistRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return refusal.http_status, None
    if created:
        # An own fragment, or the browser carries the form's #waitlist onto the private link.
        return 200, redirect(entry.get_absolute_url() + "#main")
    # Said the same way whoever typed the number: the link goes only to the e-mail given first.
    form.already = True
    return 200, None
