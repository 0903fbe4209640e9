"""Querysets for the public pages, with everything they show fetched up front."""

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from campaigns.models import Campaign, CampaignImage, Shop


def public_campaign(*, shop_slug: str, campaign_slug: str) -> Campaign:
    """The campaign a buyer may see (anything but a draft), with its shop, variants and photos."""
    return (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .select_related("shop")
        .prefetch_related("variants", "images")
        .get(shop__slug=shop_slug, slug=campaign_slug)
    )


def shop_campaigns(shop: Shop):
    """The shop's public campaigns: open ones first (closing soonest), then upcoming, then past."""
    now = timezone.now()
    published = Q(status=Campaign.Status.PUBLISHED)
    return (
        shop.campaigns.exclude(status=Campaign.Status.DRAFT)
        .annotate(
            rank=Case(
                When(published & Q(opens_at__lte=now, closes_at__gt=now), then=Value(0)),
                When(published & Q(opens_at__gt=now), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "closes_at")
        .prefetch_related(
            Prefetch("images", queryset=CampaignImage.objects.order_by("position", "id")),
            "variants",
        )
    )
