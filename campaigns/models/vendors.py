"""The shop's vendors and each campaign's quotes from them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign
from campaigns.models.shops import Shop
from kernel.money import MONEY, format_money


class Vendor(models.Model):
    """Who makes the goods: the seller's own list, reused across campaigns."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="vendors")
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="vendor_name_unique_per_shop")
        ]

    def __str__(self):
        return self.name


class VendorQuote(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotes")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="quotes")
    unit_cost = models.DecimalField(
        _("unit cost"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    vendor_minimum = models.PositiveIntegerField(
        _("vendor's minimum"), default=1, validators=[MinValueValidator(1)]
    )
    notes = models.TextField(_("notes"), blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)

    class Meta:
        verbose_name = _("vendor quote")
        verbose_name_plural = _("vendor quotes")
        ordering = ["unit_cost", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(chosen=True), name="one_chosen_quote_per_campaign"
            ),
            models.CheckConstraint(condition=Q(unit_cost__gt=0), name="quote_cost_positive"),
            models.CheckConstraint(
                condition=Q(vendor_minimum__gte=1), name="quote_minimum_positive"
            ),
        ]

    def __str__(self):
        return f"{self.vendor} @ {format_money(self.unit_cost, self.campaign.shop.currency)}"

    def clean(self):
        # A vendor belongs to one shop; staff picking from every shop's vendors in the admin
        # must not tie another shop's supplier (and its costs) to this campaign.
        if self.vendor_id and self.campaign_id and self.vendor.shop_id != self.campaign.shop_id:
            raise ValidationError(
                {"vendor": _("Choose one of this campaign's shop's vendors.")}, code="other_shop"
            )
