"""The shop's vendors and each campaign's vendor quotes: add, choose, and use the numbers.

Each function is one transaction and raises CampaignRuleBroken (nothing written) when the rules
refuse the change.
"""

from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaigns.exceptions import CampaignRuleBroken
from campaigns.models import Campaign, CampaignEvent, Shop, Vendor, VendorQuote
from campaigns.services.margin import break_even_quantity, suggested_minimum
from kernel.sentences import say


def vendor_name_taken(*, shop: Shop, name: str, exclude_pk: int | None = None) -> bool:
    """Names are compared ignoring case: “Konveksi Jaya” and “konveksi jaya” are one vendor."""
    return shop.vendors.filter(name__iexact=name.strip()).exclude(pk=exclude_pk).exists()


def save_vendor(
    *, shop: Shop, name: str, contact: str = "", notes: str = "", vendor: Vendor | None = None
) -> Vendor:
    """Add a vendor to the shop's list, or change one (`vendor`). Names are unique per shop."""
    if vendor is not None and vendor.shop_id != shop.pk:
        raise CampaignRuleBroken(_("That vendor belongs to another shop."))
    if vendor_name_taken(shop=shop, name=name, exclude_pk=vendor.pk if vendor else None):
        raise CampaignRuleBroken(_("You already have a vendor with this name."), field="name")
    vendor = vendor or Vendor(shop=shop)
    vendor.name, vendor.contact, vendor.notes = name.strip(), contact.strip(), notes.strip()
    try:
        with transaction.atomic():
            vendor.save()
    except IntegrityError as exc:
        raise CampaignRuleBroken(
            _("You already have a vendor with this name."), field="name"
        ) from exc
    return vendor


def add_quote(
    *,
    campaign: Campaign,
    vendor: Vendor,
    unit_cost: Decimal,
    lead_time_days: int,
    vendor_minimum: int = 1,
    notes: str = "",
) -> VendorQuote:
    """Record what a vendor asks to make this campaign's goods. The vendor is the shop's own."""
    if vendor.shop_id != campaign.shop_id:
        raise CampaignRuleBroken(_("Choose one of your own vendors."), field="vendor")
    if unit_cost <= 0:
        raise CampaignRuleBroken(_("The unit cost must be more than zero."), field="unit_cost")
    if vendor_minimum < 1:
        raise CampaignRuleBroken(
            _("The vendor's minimum is at least one unit."), field="vendor_minimum"
        )
    with transaction.atomic():
        return VendorQuote.objects.create(
            campaign=campaign,
            vendor=vendor,
            unit_cost=unit_cost,
            lead_time_days=lead_time_days,
            vendor_minimum=vendor_minimum,
            notes=notes.strip(),
        )


def choose_quote(*, campaign: Campaign, quote: VendorQuote) -> VendorQuote:
    """Mark `quote` as the campaign's chosen one; the one chosen before is un-chosen in the same
    transaction (the database allows one chosen quote per campaign)."""
    if quote.campaign_id != campaign.pk:
        raise CampaignRuleBroken(_("That quote belongs to another campaign."))
    with transaction.atomic():
        # Two sellers choosing at once take turns on the campaign row instead of colliding on
        # the one-chosen index.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        campaign.quotes.filter(chosen=True).exclude(pk=quote.pk).update(chosen=False)
        campaign.quotes.filter(pk=quote.pk).update(chosen=True)
    quote.chosen = True
    return quote


def apply_quote_suggestions(*, campaign: Campaign, actor: AbstractBaseUser) -> Campaign:
    """Take the chosen quote's numbers into the PO terms, with a note on the timeline.

    production_days becomes the quote's lead time; min_quantity the break-even quantity or the
    vendor's minimum, whichever is larger, but never above the capacity.
    """
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().select_related("shop").get(pk=campaign.pk)
        quote = locked.quotes.select_related("vendor").filter(chosen=True).first()
        if quote is None:
            raise CampaignRuleBroken(_("Choose a quote first."))
        prices = [v.price for v in locked.variants.all()]
        locked.min_quantity = suggested_minimum(
            break_even=break_even_quantity(
                unit_cost=quote.unit_cost, vendor_minimum=quote.vendor_minimum, prices=prices
            ),
            vendor_minimum=quote.vendor_minimum,
            capacity=locked.capacity,
        )
        locked.production_days = quote.lead_time_days
        # Only these two fields: `reserved` belongs to the order code.
        locked.save(update_fields=["min_quantity", "production_days", "updated_at"])
        CampaignEvent.objects.create(
            campaign=locked,
            kind=CampaignEvent.Kind.NOTE,
            actor=actor,
            note=say(
                "Minimum set to %(min)d units and production time to %(days)d days "
                "from %(vendor)s's quote.",
                min=locked.min_quantity,
                days=locked.production_days,
                vendor=quote.vendor.name,
            ),
        )
    return locked
