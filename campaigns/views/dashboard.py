"""The seller's home and campaign overview: figures first, then lists."""

from zoneinfo import ZoneInfo

import segno
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from campaigns.forms.decisions import ExtendWindowForm
from campaigns.forms.updates import AnnouncementForm, ReviseDatesForm
from campaigns.models import Announcement, Campaign, Role
from campaigns.selectors import CONFIRMED_UNITS, chosen_quote
from campaigns.services import margin
from campaigns.views.access import seller_view
from campaigns.views.charts import HEIGHT, WIDTH, daily_bars
from kernel.whatsapp import wa_link
from orders import chat
from orders import selectors as orders
from payments.selectors import first_steps, payments_to_review
from payments.services.decisions import production_moves


@login_required
@cache_control(private=True, no_store=True)
def pick_shop(request):
    shops = list(request.user.shops.all())
    if len(shops) == 1:
        return redirect("dashboard:home", shop_slug=shops[0].slug)
    return render(request, "dashboard/pick_shop.html", {"shops": shops})


@seller_view(Role.STAFF)
def home(request, shop):
    context = {
        "shop": shop,
        "campaigns": orders.shop_campaigns_with_progress(shop),
        "attention": orders.needs_attention(shop, timezone.now()),
        "payments_to_review": payments_to_review(shop).count(),
        "first_steps": first_steps(shop),
    }
    return render(request, "dashboard/home.html", context)


def overview_campaign(shop, campaign_id) -> Campaign:
    """The shop's campaign with everything the overview lists; a 404 for another shop's."""
    return get_object_or_404(
        shop.campaigns.annotate(confirmed_units=CONFIRMED_UNITS).prefetch_related(
            "variants",
            "events__actor",
            Prefetch("announcements", queryset=Announcement.objects.select_related("actor")),
        ),
        pk=campaign_id,
    )


@seller_view(Role.STAFF)
def overview(request, shop, campaign_id):
    return render_overview(request, shop, overview_campaign(shop, campaign_id))


def render_overview(
    request, shop, campaign, *, announce_form=None, revise_form=None, status: int = 200
):
    """The overview; the update views render it too, with the refused form and its errors."""
    tz = ZoneInfo(shop.time_zone)
    first = timezone.localtime(campaign.opens_at, tz).date()
    last = min(timezone.localdate(timezone=tz), timezone.localtime(campaign.closes_at, tz).date())
    now = timezone.now()
    public_url = request.build_absolute_uri(campaign.get_absolute_url())
    production = production_moves(campaign, confirmed_units=campaign.confirmed_units, now=now)
    context = {
        "shop": shop,
        "campaign": campaign,
        "figures": orders.campaign_figures(campaign),
        "per_variant": orders.units_per_variant(campaign),
        "production": production,
        "go": _go_figures(campaign) if production.can_start else None,
        # Production cannot finish until each of these has its ongkir.
        "ongkir_unset": campaign.orders.filter(orders.PAYMENT_STATES["ongkir_unset"]).count()
        if production.can_finish
        else 0,
        "extend_form": ExtendWindowForm.suggested(closes_at=campaign.closes_at, now=now),
        "bars": daily_bars(orders.orders_per_day(campaign, tz), first, max(first, last)),
        "chart": {"width": WIDTH, "height": HEIGHT},
        "announce_form": announce_form or AnnouncementForm(),
        "revise_form": revise_form or ReviseDatesForm(),
        "public_url": public_url,
        "share_link": wa_link(chat.campaign_share(campaign, url=public_url)),
    }
    return render(request, "dashboard/overview.html", context, status=status)


def _go_figures(campaign) -> dict | None:
    """What starting production means for the seller's money: the chosen quote's minimum run and
    the margin at today's confirmed units (campaigns/services/margin.py)."""
    quote = chosen_quote(campaign)
    if quote is None:
        return None
    result = margin.margin_at(
        units=campaign.confirmed_units,
        prices=[variant.price for variant in campaign.variants.all()],
        unit_cost=quote.unit_cost,
        vendor_minimum=quote.vendor_minimum,
        currency=campaign.shop.currency,
    )
    return {"quote": quote, "margin": result, "loss": -result.profit if result.profit < 0 else None}


@seller_view(Role.STAFF)
def poster(request, shop, campaign_id):
    """A printable poster: photo, prices, window and a QR code of the public page."""
    campaign = get_object_or_404(
        shop.campaigns.prefetch_related("variants", "images"), pk=campaign_id
    )
    context = {
        "shop": shop,
        "campaign": campaign,
        "public_url": request.build_absolute_uri(campaign.get_absolute_url()),
    }
    return render(request, "dashboard/campaigns/poster.html", context)


@seller_view(Role.STAFF)
def qr_code(request, shop, campaign_id):
    campaign = get_object_or_404(Campaign.objects.filter(shop=shop), pk=campaign_id)
    qr = segno.make(request.build_absolute_uri(campaign.get_absolute_url()), error="m")
    response = HttpResponse(content_type="image/svg+xml")
    qr.save(response, kind="svg", scale=6, border=2, title=campaign.title)
    return response
