"""What the seller's order screens share: their addresses, and orders placed as a buyer does."""

from django.urls import reverse

from campaigns.models import Campaign
from orders.models import Order
from orders.services.placing import LineRequest, place_order
from tests.factories import make_buyer


def order_of(campaign: Campaign, *lines: tuple[str, int, str], **buyer) -> Order:
    """An order of (variant name, quantity, note) lines, placed the way a buyer does."""
    variants = {v.name: v.pk for v in campaign.variants.all()}
    return place_order(
        campaign=campaign,
        lines=[LineRequest(variants[name], qty, note) for name, qty, note in lines],
        buyer=make_buyer(**buyer),
        idempotency_key=f"test-{Order.objects.count()}-{campaign.pk}",
    )


def orders_url(shop, campaign=None, **params) -> str:
    if campaign is None:
        url = reverse("dashboard:orders", args=[shop.slug])
    else:
        url = reverse("dashboard:campaign_orders", args=[shop.slug, campaign.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def order_url(order, name="dashboard:order") -> str:
    return reverse(name, args=[order.campaign.shop.slug, order.code])
