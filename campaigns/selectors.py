"""Querysets for the public pages, with everything they show fetched up front."""

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CampaignImage,
    Invitation,
    ShippingRule,
    Shop,
    ShopLogEntry,
    VendorQuote,
)

# Paid units (deposit verified), from the running totals orders/tally.py keeps: the progress bar.
CONFIRMED_UNITS = Coalesce("tally__confirmed_units", 0)


def public_campaign(
    *, shop_slug: str, campaign_slug: str, user=None, photos: bool = True
) -> Campaign:
    """The campaign a buyer may see, with its shop, variants, photos and what the shop's
    shipping shows in the PO terms and the order form (pickup points; zones where it ships by
    zone): all a page shows, so that its cache key is read from what is loaded here.

    A draft is visible only to `user` when they are a member of its shop (a preview).
    Without `photos` (an order being placed), they are read only if a page shows them.
    """
    campaign = (
        Campaign.objects.select_related("shop")
        .annotate(confirmed_units=CONFIRMED_UNITS)
        .prefetch_related("variants", "shop__pickup_points", *(["images"] if photos else []))
        .get(shop__slug=shop_slug, slug=campaign_slug)
    )
    if campaign.shop.shipping_rule == ShippingRule.ZONES:
        prefetch_related_objects([campaign.shop], "shipping_zones")
    if campaign.status == Campaign.Status.DRAFT and not (
        user is not None
        and user.is_authenticated
        and campaign.shop.members.filter(pk=user.pk).exists()
    ):
        raise Campaign.DoesNotExist
    return campaign


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
