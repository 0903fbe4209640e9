"""How a shop charges ongkir (the rule itself is on Shop): its zones, and the places buyers
may collect their orders at."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.shops import Shop
from kernel import regions
from kernel.money import MONEY


class ShippingZone(models.Model):
    """Destinations that share a rate: whole provinces and single cities or regencies. An
    order's ongkir is the zone's rate per order plus its rate per kilogram started."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="shipping_zones")
    name = models.CharField(_("name"), max_length=60)
    # Codes of kernel.regions: two digits for a province, four for a city or regency.
    regions = models.JSONField(_("destinations"), default=list)
    fee = models.DecimalField(
        _("rate per order"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    fee_per_kg = models.DecimalField(
        _("rate per kg"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="shipping_zone_name_unique"),
            models.CheckConstraint(
                condition=Q(fee__gte=0, fee_per_kg__gte=0), name="shipping_zone_rates_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def places(self) -> str:
        """ "Jawa Barat, Kota Surabaya": what the zone covers, as buyers read it."""
        return ", ".join(region.name for region in map(regions.region, self.regions) if region)

    def clean(self):
        unknown = [code for code in self.regions if regions.region(code) is None]
        if unknown or not self.regions:
            raise ValidationError({"regions": _("Choose provinces or cities from the list.")})


class PickupPoint(models.Model):
    """Where a buyer may collect their order instead of having it shipped (ambil sendiri)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="pickup_points")
    name = models.CharField(_("name"), max_length=80)
    details = models.CharField(
        _("address and hours"), max_length=200, help_text=_("Buyers read this before choosing.")
    )

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="pickup_point_name_unique")
        ]

    def __str__(self):
        return self.name
