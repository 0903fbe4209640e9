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
from orders.exceptions import OrderRefused
from orders.forms.public import OrderForm
from orders.services.placing import expire_overdue, place_order


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
    # (DESIGN.md, Time): the buyer looking at it may get one of them.
    if campaign.phase == Campaign.Phase.SOLD_OUT and expire_overdue(
        now=timezone.now(), campaign=campaign
    ):
        campaign = load()
    status = 200
    if request.method == "POST":
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
    else:
        form = OrderForm(campaign=campaign)
    context = {
        "campaign": campaign,
        "shop": campaign.shop,
        "form": form,
        "video": campaign_video(campaign.video_url),
    }
    if campaign.shop.whatsapp:
        url = request.build_absolute_uri(campaign.get_absolute_url())
        context["chat_link"] = wa_link(
            chat.campaign_question(campaign, url=url), phone=campaign.shop.whatsapp
        )
    return render(request, "campaigns/campaign_detail.html", context, status=status)
