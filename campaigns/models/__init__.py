"""Shops, campaigns and what belongs to them, one module each; every model is importable from
`campaigns.models` as Django and the migrations expect."""

from campaigns.models.campaigns import (
    Campaign,
    CampaignImage,
    CounterGuard,
    Variant,
    campaign_image_path,
    capacity_below_reserved,
)
from campaigns.models.outbox import Email
from campaigns.models.shipping import PickupPoint, ShippingZone
from campaigns.models.shops import (
    RESERVED_SLUGS,
    DelayRefund,
    SellerSettings,
    ShippingRule,
    Shop,
    validate_phone,
    validate_shop_slug,
)
from campaigns.models.team import Invitation, Membership, Role, ShopLogEntry, role_allows
from campaigns.models.timeline import Announcement, AppendOnlyQuerySet, CampaignEvent, TimelineEvent
from campaigns.models.vendors import Vendor, VendorQuote

__all__ = [
    "RESERVED_SLUGS",
    "Announcement",
    "AppendOnlyQuerySet",
    "Campaign",
    "CampaignEvent",
    "CampaignImage",
    "CounterGuard",
    "DelayRefund",
    "Email",
    "Invitation",
    "Membership",
    "PickupPoint",
    "Role",
    "SellerSettings",
    "ShippingRule",
    "ShippingZone",
    "Shop",
    "ShopLogEntry",
    "TimelineEvent",
    "Variant",
    "Vendor",
    "VendorQuote",
    "campaign_image_path",
    "capacity_below_reserved",
    "role_allows",
    "validate_phone",
    "validate_shop_slug",
]
