"""Orders placed straight through place_order, and what placing one wrote."""

import itertools
from dataclasses import dataclass

from campaigns.models import Campaign, Variant
from orders.models import Order, OrderEvent, OrderLine
from orders.services.placing import LineRequest, place_order
from tests.factories import make_buyer

NOTE = "Green, “SARI”"
_keys = itertools.count(1)


def green(campaign) -> Variant:
    return campaign.variants.get(name="Green")


def navy(campaign) -> Variant:
    return campaign.variants.get(name="Navy")


def order(campaign, *lines, buyer=None, key=None, now=None) -> Order:
    """Place an order of (variant, quantity[, note]) lines, each with a note unless given."""
    requests = [
        LineRequest(variant.pk, quantity, rest[0] if rest else NOTE)
        for variant, quantity, *rest in lines
    ]
    return place_order(
        campaign=campaign,
        lines=requests,
        buyer=buyer or make_buyer(),
        idempotency_key=key or f"form-{next(_keys)}",
        now=now,
    )


@dataclass(frozen=True)
class Written:
    orders: int
    lines: int
    events: int
    campaign_reserved: int
    variants_reserved: tuple[int, ...]


def written(campaign) -> Written:
    return Written(
        orders=Order.objects.count(),
        lines=OrderLine.objects.count(),
        events=OrderEvent.objects.count(),
        campaign_reserved=Campaign.objects.get(pk=campaign.pk).reserved,
        variants_reserved=tuple(
            Variant.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("reserved", flat=True)
        ),
    )


def reserved(obj) -> int:
    obj.refresh_from_db(fields=["reserved"])
    return obj.reserved
