"""Taking and giving back units: one conditional UPDATE per counter, never read-then-write.

Two counters share the capacity: `reserved` (units ordered) and `held` (units held for buyers on
the waiting list, orders/services/waitlist.py). `reserved + held + n <= capacity` is checked by
the same statement that adds n, so two buyers can never both take the last unit, and a buyer
never takes a unit held for the list; the CheckConstraint on the tables backs this up for any
other code path. Counters are touched campaign first, then variants by id, so concurrent orders
and holds never deadlock.
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


def hold_units(*, campaign_id: int, variant_id: int, units: int) -> bool:
    """Hold `units` for a waiting-list offer, as an order would take them; False (nothing
    held) when they are not free. Call inside the offer's transaction."""
    published = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.PUBLISHED)
    if not _add(published, units, counter="held"):
        return False
    if not _add(Variant.objects.filter(pk=variant_id), units, counter="held"):
        # Give the campaign's back in the same transaction: the caller moves on.
        Campaign.objects.filter(pk=campaign_id).update(held=F("held") - units)
        return False
    return True


def release_held(*, campaign_id: int, variant_id: int, units: int) -> None:
    """A hold that lapsed or was given up: its units are free again."""
    Campaign.objects.filter(pk=campaign_id).update(held=F("held") - units)
    Variant.objects.filter(pk=variant_id).update(held=F("held") - units)


def order_held(*, campaign_id: int, variant_id: int, held: int, ordered: int) -> None:
    """A hold of `held` units becomes an order of `ordered` (at most `held`); the rest is free
    again. Within the capacity by construction: no unit is added, so no check is needed."""
    assert 0 < ordered <= held
    for model, pk in ((Campaign, campaign_id), (Variant, variant_id)):
        model.objects.filter(pk=pk).update(held=F("held") - held, reserved=F("reserved") + ordered)


def _add(queryset, units: int, *, counter: str = "reserved") -> bool:
    fits = Q(capacity__isnull=True) | Q(reserved__lte=F("capacity") - F("held") - units)
    return queryset.filter(fits).update(**{counter: F(counter) + units}) == 1
