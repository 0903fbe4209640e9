"""What an order pays for ongkir, by the shop's rule (DESIGN.md, Money: ongkir is paid with the
balance).

Free: nothing. Flat: the shop's one rate. Zones: the rate of the zone the destination is in (a
zone naming the city itself before one naming its province) plus its rate per kilogram
started, on the order's packed weight. Later: the seller sets each order's ongkir by hand
(orders/services/shipping_fees.py) before the balance falls due. A pickup pays nothing.
"""

from decimal import Decimal
from math import ceil

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from campaigns.exceptions import DestinationRefused, ShippingRefused
from campaigns.models import PickupPoint, ShippingRule, ShippingZone, Shop, ShopLogEntry
from campaigns.services.team import write_log
from kernel import regions
from kernel.sentences import money, say, word

ZERO = Decimal(0)


def asks_destination(shop: Shop) -> bool:
    """Whether the order form asks where the order goes: every rule but free shipping needs it,
    to price the ongkir or for the seller to quote it."""
    return shop.shipping_rule != ShippingRule.FREE


def destinations(shop: Shop) -> list[regions.Region]:
    """The cities and regencies a buyer may pick: all of them, or those in the shop's zones."""
    if shop.shipping_rule != ShippingRule.ZONES:
        return regions.cities()
    zones = list(shop.shipping_zones.all())
    return [city for city in regions.cities() if _zone_of(zones, city) is not None]


def quote(
    shop: Shop, *, destination: regions.Region | None, pickup: PickupPoint | None, grams: int
) -> Decimal | None:
    """The ongkir of an order of `grams` to `destination`, or to be collected at `pickup`;
    None while the seller has still to set it. Refused (DestinationRefused) when the shop asks
    for a destination and the order has none it ships to."""
    if pickup is not None or shop.shipping_rule == ShippingRule.FREE:
        return ZERO
    if destination is None or destination.is_province:
        raise DestinationRefused()
    if shop.shipping_rule == ShippingRule.FLAT:
        return shop.shipping_flat_fee
    if shop.shipping_rule == ShippingRule.LATER:
        return None
    zone = _zone_of(list(shop.shipping_zones.all()), destination)
    if zone is None:
        raise DestinationRefused(
            _("The shop does not ship to %(place)s. Choose a pickup point or another address.")
            % {"place": destination.label}
        )
    return zone.fee + zone.fee_per_kg * ceil(grams / 1000)


def _zone_of(zones: list[ShippingZone], city: regions.Region) -> ShippingZone | None:
    for code in (city.code, city.province):
        for zone in zones:
            if code in zone.regions:
                return zone
    return None


# --- the seller's settings ---------------------------------------------------------------------


@transaction.atomic
def set_rule(*, shop: Shop, rule: str, flat_fee: Decimal, actor: AbstractBaseUser) -> Shop:
    """How the shop charges ongkir from now on; placed orders keep theirs.

    Rules: a known rule; a flat rate of zero or more (needed for the flat rule); rates by
    destination only once a zone is set, or no buyer could order.
    """
    if rule not in ShippingRule.values:
        raise ShippingRefused(_("Choose how you charge ongkir."), field="shipping_rule")
    if flat_fee is None or flat_fee < 0 or (rule == ShippingRule.FLAT and not flat_fee):
        if rule == ShippingRule.FLAT:
            raise ShippingRefused(_("Enter the flat rate."), field="shipping_flat_fee")
        flat_fee = shop.shipping_flat_fee
    if rule == ShippingRule.ZONES and not shop.shipping_zones.exists():
        raise ShippingRefused(
            _("Add a zone first: buyers can only order to a destination with a rate."),
            field="shipping_rule",
        )
    shop.shipping_rule, shop.shipping_flat_fee = rule, flat_fee
    shop.save(update_fields=["shipping_rule", "shipping_flat_fee"])
    note = say("Ongkir: %(rule)s.", rule=word(ShippingRule(rule).label))
    if rule == ShippingRule.FLAT:
        note += say("Flat rate: %(fee)s.", fee=money(flat_fee, shop.currency))
    _log(shop, actor, note)
    return shop


def _log(shop: Shop, actor: AbstractBaseUser, note) -> None:
    # Ongkir is part of the shop's settings: its log keeps who changed it and when.
    write_log(shop=shop, kind=ShopLogEntry.Kind.SETTINGS, actor=actor, note=note)


@transaction.atomic
def add_zone(
    *,
    shop: Shop,
    name: str,
    codes: list[str],
    fee: Decimal,
    fee_per_kg: Decimal,
    actor: AbstractBaseUser,
) -> ShippingZone:
    """A zone of provinces and single cities with its rates.

    Rules: a name not used by another zone of the shop; at least one known destination, none of
    them already in another zone (a buyer's ongkir must be one rate); rates zero or more.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ShippingRefused(_("Name the zone, e.g. “Java”."), field="name")
    if shop.shipping_zones.filter(name__iexact=name).exists():
        raise ShippingRefused(_("Another zone has that name."), field="name")
    codes = list(dict.fromkeys(codes))
    if not codes or any(regions.region(code) is None for code in codes):
        raise ShippingRefused(_("Choose provinces or cities from the list."), field="provinces")
    for zone in shop.shipping_zones.all():
        if taken := [regions.region(code).name for code in codes if code in zone.regions]:
            raise ShippingRefused(
                _("Already in the zone “%(zone)s”: %(places)s.")
                % {"zone": zone.name, "places": ", ".join(taken)},
                field="provinces",
            )
    if fee < 0 or fee_per_kg < 0:
        raise ShippingRefused(_("Rates are zero or more."), field="fee")
    zone = ShippingZone.objects.create(
        shop=shop, name=name, regions=codes, fee=fee, fee_per_kg=fee_per_kg
    )
    _log(
        shop,
        actor,
        say(
            "Ongkir zone “%(name)s” added: %(fee)s, plus %(per_kg)s per kg.",
            name=name,
            fee=money(fee, shop.currency),
            per_kg=money(fee_per_kg, shop.currency),
        ),
    )
    return zone


@transaction.atomic
def remove_zone(*, shop: Shop, zone_id: int, actor: AbstractBaseUser) -> None:
    """A zone goes; the last one only while the shop does not charge by destination."""
    zones = shop.shipping_zones.all()
    if shop.shipping_rule == ShippingRule.ZONES and zones.count() == 1:
        raise ShippingRefused(_("Your ongkir is by destination: keep at least one zone."))
    for zone in zones.filter(pk=zone_id):
        zone.delete()
        _log(shop, actor, say("Ongkir zone “%(name)s” removed.", name=zone.name))


@transaction.atomic
def add_pickup_point(
    *, shop: Shop, name: str, details: str, actor: AbstractBaseUser
) -> PickupPoint:
    name, details = " ".join((name or "").split()), " ".join((details or "").split())
    if not name:
        raise ShippingRefused(_("Name the place."), field="name")
    if not details:
        raise ShippingRefused(_("Say where it is and when buyers may come."), field="details")
    if shop.pickup_points.filter(name__iexact=name).exists():
        raise ShippingRefused(_("Another pickup point has that name."), field="name")
    point = PickupPoint.objects.create(shop=shop, name=name, details=details)
    _log(shop, actor, say("Pickup point “%(name)s” added.", name=name))
    return point


@transaction.atomic
def remove_pickup_point(*, shop: Shop, point_id: int, actor: AbstractBaseUser) -> None:
    """Orders that chose it keep its name and details."""
    for point in shop.pickup_points.filter(pk=point_id):
        point.delete()
        _log(shop, actor, say("Pickup point “%(name)s” removed.", name=point.name))
