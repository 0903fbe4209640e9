"""Querysets for the public pages, with everything they show fetched up front."""

import json
from decimal import Decimal
from operator import attrgetter

from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignImage,
    Invitation,
    PickupPoint,
    ShippingRule,
    ShippingZone,
    Shop,
    ShopLogEntry,
    Variant,
    VendorQuote,
)
from kernel.rows import RowsText

# Paid units (deposit verified), from the running totals orders/tally.py keeps: the progress bar.
CONFIRMED_UNITS = Coalesce("tally__confirmed_units", 0)

# What the campaign page shows beyond the campaign, its shop and variants, as text: a change to
# any of these rows changes it.
PAGE_ROWS = RowsText(
    (CampaignImage, "campaign_id", F("pk")),
    (PickupPoint, "shop_id", F("shop_id")),
    (ShippingZone, "shop_id", F("shop_id")),
)
VARIANT_ROWS = RowsText((Variant, "campaign_id", F("pk")))


def public_campaign(
    *, shop_slug: str, campaign_slug: str, user=None, page: bool = False
) -> Campaign:
    """The campaign a buyer may see, with its shop, tally and variants, and what the shop's
    shipping offers in the order form (pickup points; zones where it ships by zone).

    For the campaign page (`page`), all in one query: the variants are read as text with the
    campaign and built from it; the photos, pickup points and zones only as `page_rows`, the
    text of their rows, from which the page's cached copy's key is made without loading them
    (load_page_rows loads them for a render).

    A draft is visible only to `user` when they are a member of its shop (a preview).
    """
    campaigns = Campaign.objects.select_related("shop").annotate(confirmed_units=CONFIRMED_UNITS)
    if page:
        campaigns = campaigns.annotate(page_rows=PAGE_ROWS, variant_rows=VARIANT_ROWS)
    else:
        campaigns = campaigns.prefetch_related("variants", "shop__pickup_points")
    campaign = campaigns.get(shop__slug=shop_slug, slug=campaign_slug)
    if page:
        _variants_from_text(campaign)
    elif campaign.shop.shipping_rule == ShippingRule.ZONES:
        prefetch_related_objects([campaign.shop], "shipping_zones")
    if campaign.status == Campaign.Status.DRAFT and not (
        user is not None
        and user.is_authenticated
        and campaign.shop.members.filter(pk=user.pk).exists()
    ):
        raise Campaign.DoesNotExist
    return campaign


def _variants_from_text(campaign: Campaign) -> None:
    """The campaign's variants from the text its query read (VARIANT_ROWS), as a prefetch
    leaves them: `campaign.variants.all()` reads no more."""
    fields = Variant._meta.concrete_fields
    variants = [
        Variant.from_db(
            campaign._state.db,
            None,
            [field.to_python(value) for field, value in zip(fields, row, strict=True)],
        )
        for row in json.loads(campaign.variant_rows, parse_float=Decimal)
    ]
    variants.sort(key=attrgetter("position", "pk"))  # Variant.Meta.ordering
    for variant in variants:
        variant.campaign = campaign
    # What prefetch_related stores (django.db.models.query.prefetch_one_level).
    prefetched = campaign.variants.all()
    prefetched._result_cache, prefetched._prefetch_done = variants, True
    campaign._prefetched_objects_cache = {"variants": prefetched}


def load_page_rows(campaign: Campaign) -> None:
    """Loads the photos, pickup points and zones a render of the campaign page shows."""
    prefetch_related_objects([campaign], "images", "shop__pickup_points")
    if campaign.shop.shipping_rule == ShippingRule.ZONES:
        prefetch_related_objects([campaign.shop], "shipping_zones")


def page_rows_text(campaign: Campaign) -> str:
    """The text of the page's photos, pickup points and zones (PAGE_ROWS) as it reads now."""
    return Campaign.objects.filter(pk=campaign.pk).values_list(PAGE_ROWS, flat=True).get()


def shop_campaigns(shop: Shop):
    """The shop's public campaigns: open ones first (closing soonest), then upcoming, then past."""
    now = timezone.now()
    published = Q(status=Campaign.Status.PUBLISHED)
    return (
        shop.campaigns.exclude(status=Campaign.Status.DRAFT)
        .annotate(
            confirmed_units=CONFIRMED_UNITS,
            rank=Case(
                When(published & Q(opens_at__lte=now, closes_at__gt=now), then=Value(0)),
                When(published & Q(opens_at__gt=now), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "closes_at")
        .prefetch_related(
            Prefetch("images", queryset=CampaignImage.objects.order_by("position", "id")),
            "variants",
        )
    )


def order_emails(shop: Shop, code: str, *, limit: int = 20):
    """The e-mails about one order, newest first (the seller's order page lists them)."""
    return shop.emails.filter(about=code)[:limit]


def chosen_quote(campaign: Campaign) -> VendorQuote | None:
    """The vendor quote the seller chose for the campaign, with its vendor."""
    return campaign.quotes.select_related("vendor").filter(chosen=True).first()


def shop_team(shop: Shop) -> dict:
    """The members page: each member with their role, and the invitations still open."""
    return {
        "memberships": shop.memberships.select_related("user").order_by("user__username"),
        "invitations": Invitation.objects.filter(
            shop=shop,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).select_related("invited_by"),
    }


def shop_log(shop: Shop):
    """The shop's log, newest first."""
    return ShopLogEntry.objects.filter(shop=shop).order_by("-created_at", "-id")
