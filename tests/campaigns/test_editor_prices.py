"""Prices as sellers type them: in rupiah "85.000", "85000", "Rp 85.000" and "85rb" are all
85,000; cents are refused on their field; a price under Rp 1.000 is asked about first."""

from decimal import Decimal

import pytest

from campaigns.models import Campaign, Variant, Vendor, VendorQuote
from tests.campaigns.editor import new_campaign_data, url
from tests.support import page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["85.000", "85000", "Rp 85.000", "85rb", "Rp85.000,00"])
def test_every_way_of_writing_a_price_means_the_same_price(seller, shop, typed):
    # when the seller types the price their way, and a fixed deposit the same way
    data = new_campaign_data(
        variants=[("Green", typed, "")], deposit_rule="fixed", deposit_value="Rp 25.000"
    )
    response = seller.post(url("campaign_new", shop), data)

    # then it is saved as 85,000, and the deposit as 25,000
    assert response.status_code == 302, page_text(response)[:2000]
    campaign = Campaign.objects.get()
    assert campaign.variants.get().price == Decimal(85000)
    assert campaign.deposit_value == Decimal(25000)


def test_cents_in_rupiah_are_refused_on_the_price_itself(seller, shop):
    response = seller.post(
        url("campaign_new", shop), new_campaign_data(variants=[("Green", "85.000,50", "")])
    )
    assert response.status_code == 400
    assert "IDR has no cents: enter a whole amount, e.g. Rp 85.000." in page_text(response)
    assert not Campaign.objects.exists()


def test_a_price_under_a_thousand_rupiah_is_asked_about_then_kept_when_confirmed(seller, shop):
    # when the seller types 85 (meaning 85.000?)
    data = new_campaign_data(variants=[("Sticker", "85", "")])
    response = seller.post(url("campaign_new", shop), data)

    # then nothing is saved, the page asks, and offers the box to confirm
    text = page_text(response)
    assert "Rp 85 is very little for a product: did you mean Rp 85.000?" in text
    assert 'name="variants-0-low_price_ok"' in text
    assert not Campaign.objects.exists()

    # when they confirm Rp 85 is right
    response = seller.post(url("campaign_new", shop), data | {"variants-0-low_price_ok": "on"})

    # then it is saved as typed
    assert response.status_code == 302
    assert Variant.objects.get().price == Decimal(85)


def test_other_currencies_keep_their_cents_and_ask_nothing(seller, shop):
    shop.currency = "USD"
    shop.save(update_fields=["currency"])
    response = seller.post(
        url("campaign_new", shop), new_campaign_data(variants=[("Pin", "$4.50", "")])
    )
    assert response.status_code == 302
    assert Variant.objects.get().price == Decimal("4.50")


def test_the_editor_shows_a_stored_price_as_the_shop_writes_it(seller, shop, open_campaign):
    page = page_text(seller.get(url("campaign_edit", shop, open_campaign)))
    assert 'value="150.000"' in page


def test_a_vendor_quote_is_typed_the_same_way(seller, shop, open_campaign):
    vendor = Vendor.objects.create(shop=shop, name="Konveksi Bandung")
    response = seller.post(
        url("campaign_quotes", shop, open_campaign),
        {"vendor": vendor.pk, "unit_cost": "70rb", "lead_time_days": "21", "vendor_minimum": "50"},
    )
    assert response.status_code == 302
    assert VendorQuote.objects.get().unit_cost == Decimal(70000)
