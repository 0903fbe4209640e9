"""Taking and giving back units: one conditional UPDATE per counter, never read-then-write.

`reserved + n <= capacity` is checked by the same statement that adds n, so two buyers can never
both take the last unit; the CheckConstraint on the tables backs this up for any other code path.
Counters are touched campaign first, then variants by id, so concurrent orders never deadlock.
"""

from django.db.models import F, Q
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Variant
from orders.exceptions import CampaignNotOpen, SoldOut


def take_units(*, campaign_id: int, units_by_variant: dict[int, int]) -> None:
    """Reserve the units or raise SoldOut (CampaignNotOpen if the seller stopped the campaign
    since the order was checked); call inside the order's transaction."""
    total = sum(units_by_variant.values())
    # Only a published campaign takes units, checked in the same statement: a campaign
    # cancelled while a buyer was typing never gets the order.
    published = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.PUBLISHED)
    if not _add(published, total):
        if not published.exists():
            raise CampaignNotOpen(_("This PO is closed and takes no more orders."))
        raise SoldOut()
    for variant_id, units in sorted(units_by_variant.items()):
        if not _add(Variant.objects.filter(pk=variant_id), units):
            raise SoldOut()


def release_units(*, campaign_id: int, units_by_variant: dict[int, int]) -> None:
    total = sum(units_by_variant.values())
    Campaign.objects.filter(pk=campaign_id).update(reserved=F("reserved") - total)
    for variant_id, units in sorted(units_by_variant.items()):
        Variant.objects.filter(pk=variant_id).update(reserved=F("reserved") - units)


def _add(queryset, units: int) -> bool:
    fits = Q(capacity__isnull=True) | Q(reserved__lte=F("capacity") - units)
    return queryset.filter(fits).update(reserved=F("reserved") + units) == 1
