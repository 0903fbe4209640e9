"""A seller keeps a list of vendors, compares their quotes, chooses one and uses its numbers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.models import Campaign, CampaignEvent, Vendor, VendorQuote
from campaigns.services.vendors import choose_quote
from tests.factories import make_campaign, make_order, make_shop
from tests.support import page_text

pytestmark = pytest.mark.django_db


def url(name, shop, campaign=None, **kwargs):
    if campaign is not None:
        kwargs["campaign_id"] = campaign.pk
    return reverse(f"dashboard:{name}", kwargs={"shop_slug": shop.slug, **kwargs})


@pytest.fixture
def jaya(shop):
    return Vendor.objects.create(shop=shop, name="Konveksi Jaya", contact="+6281234567890")


@pytest.fixture
def makmur(shop):
    return Vendor.objects.create(shop=shop, name="Sablon Makmur")


def quote(campaign, vendor, *, cost="60000", days=21, minimum=24, chosen=False):
    return VendorQuote.objects.create(
        campaign=campaign,
        vendor=vendor,
        unit_cost=Decimal(cost),
        lead_time_days=days,
        vendor_minimum=minimum,
        chosen=chosen,
    )


# --- the vendor list --------------------------------------------------------------------------


def test_seller_adds_a_vendor_and_sees_only_the_shops_own(seller, shop):
    # given another shop's vendor
    Vendor.objects.create(shop=make_shop(), name="Someone else's tailor")
    # when
    response = seller.post(
        url("vendor_new", shop),
        {"name": "Konveksi Jaya", "contact": "0812 3456 7890", "notes": "Bandung"},
        follow=True,
    )
    # then
    vendor = shop.vendors.get()
    assert (vendor.name, vendor.contact, vendor.notes) == (
        "Konveksi Jaya",
        "0812 3456 7890",
        "Bandung",
    )
    text = page_text(response)
    assert "Konveksi Jaya" in text
    assert "Someone else's tailor" not in text
    assert url("vendor_edit", shop, vendor_id=vendor.pk) in text


def test_a_vendor_name_is_unique_in_the_shop_ignoring_case(seller, shop, jaya):
    # when
    response = seller.post(url("vendor_new", shop), {"name": "konveksi jaya"})
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["You already have a vendor with this name."]
    assert shop.vendors.count() == 1


def test_another_shop_may_use_the_same_vendor_name(client, jaya):
    other = make_shop()
    client.force_login(other.owner)
    client.post(url("vendor_new", other), {"name": "Konveksi Jaya"})
    assert other.vendors.filter(name="Konveksi Jaya").exists()


def test_seller_edits_a_vendor(seller, shop, jaya):
    # when
    response = seller.post(
        url("vendor_edit", shop, vendor_id=jaya.pk),
        {"name": "Konveksi Jaya Abadi", "contact": "jaya@example.com", "notes": ""},
    )
    # then
    assert response.status_code == 302
    jaya.refresh_from_db()
    assert (jaya.name, jaya.contact) == ("Konveksi Jaya Abadi", "jaya@example.com")


def test_a_vendor_keeps_its_own_name_when_edited(seller, shop, jaya):
    response = seller.post(
        url("vendor_edit", shop, vendor_id=jaya.pk), {"name": "Konveksi Jaya", "contact": "x"}
    )
    assert response.status_code == 302


def test_the_vendor_pages_label_every_input(seller, shop, jaya):
    text = seller.get(url("vendor_edit", shop, vendor_id=jaya.pk)).content.decode()
    for name in ("name", "contact", "notes"):
        assert f'for="id_{name}"' in text
    assert "style=" not in text


# --- quotes -----------------------------------------------------------------------------------


def test_seller_adds_quotes_and_sees_them_side_by_side(seller, shop, open_campaign, jaya, makmur):
    # when the seller adds two quotes
    for vendor, cost, days in ((jaya, "60000", "21"), (makmur, "55000", "30")):
        response = seller.post(
            url("campaign_quotes", shop, open_campaign),
            {
                "vendor": vendor.pk,
                "unit_cost": cost,
                "lead_time_days": days,
                "vendor_minimum": "24",
                "notes": "incl. printing",
            },
        )
        assert response.status_code == 302
    # then both are listed in one table, cheapest first, each cell labelled for phones
    response = seller.get(url("campaign_quotes", shop, open_campaign))
    text = page_text(response)
    assert text.index("Sablon Makmur") < text.index("Konveksi Jaya")
    assert 'class="table"' in text
    assert 'data-label="Unit cost">Rp 55.000' in text
    assert 'data-label="Unit cost">Rp 60.000' in text
    assert open_campaign.quotes.count() == 2


def test_a_quote_can_only_name_the_shops_own_vendors(seller, shop, open_campaign):
    # given another shop's vendor
    theirs = Vendor.objects.create(shop=make_shop(), name="Their tailor")
    Vendor.objects.create(shop=shop, name="Ours")
    # when
    response = seller.post(
        url("campaign_quotes", shop, open_campaign),
        {"vendor": theirs.pk, "unit_cost": "60000", "lead_time_days": "21", "vendor_minimum": "1"},
    )
    # then
    assert response.status_code == 400
    assert "vendor" in response.context["form"].errors
    assert not VendorQuote.objects.exists()
    assert "Their tailor" not in page_text(response)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"unit_cost": "0"}, "unit_cost", "The unit cost must be more than zero."),
        ({"unit_cost": "-1"}, "unit_cost", "The unit cost must be more than zero."),
        ({"vendor_minimum": "0"}, "vendor_minimum", None),
        ({"lead_time_days": ""}, "lead_time_days", "This field is required."),
    ],
)
def test_a_quote_that_breaks_a_rule_is_refused_on_its_field(
    seller, shop, open_campaign, jaya, changes, field, message
):
    data = {"vendor": jaya.pk, "unit_cost": "60000", "lead_time_days": "21", "vendor_minimum": "24"}
    response = seller.post(url("campaign_quotes", shop, open_campaign), data | changes)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert errors if message is None else errors == [message]
    assert not VendorQuote.objects.exists()


def test_the_quotes_page_sends_a_shop_without_vendors_to_add_one(seller, shop, open_campaign):
    text = page_text(seller.get(url("campaign_quotes", shop, open_campaign)))
    assert "First add the vendors you ask for quotes." in text
    assert url("vendor_new", shop) in text


def test_choosing_a_quote_unchooses_the_one_before(seller, shop, open_campaign, jaya, makmur):
    # given Jaya's quote is chosen
    first = quote(open_campaign, jaya, chosen=True)
    second = quote(open_campaign, makmur, cost="55000")
    # when the seller chooses Makmur's
    response = seller.post(
        url("campaign_quote_choose", shop, open_campaign, quote_id=second.pk), follow=True
    )
    # then exactly one is chosen: Makmur's
    assert "Sablon Makmur's quote is chosen." in page_text(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.chosen, second.chosen) == (False, True)
    assert open_campaign.quotes.filter(chosen=True).count() == 1


def test_choosing_the_chosen_quote_again_keeps_it_chosen(shop, open_campaign, jaya):
    chosen = quote(open_campaign, jaya, chosen=True)
    choose_quote(campaign=open_campaign, quote=chosen)
    chosen.refresh_from_db()
    assert chosen.chosen


def test_the_database_allows_one_chosen_quote_per_campaign(open_campaign, jaya, makmur):
    quote(open_campaign, jaya, chosen=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        quote(open_campaign, makmur, chosen=True)
    # another campaign has its own chosen quote
    quote(make_campaign(open_campaign.shop), makmur, chosen=True)


def test_choosing_is_a_post(seller, shop, open_campaign, jaya):
    q = quote(open_campaign, jaya)
    target = url("campaign_quote_choose", shop, open_campaign, quote_id=q.pk)
    assert seller.get(target).status_code == 405


# --- the chosen quote's margin and suggestions ---------------------------------------------------


def test_the_margin_of_the_chosen_quote_now_and_at_the_target(seller, shop, open_campaign, jaya):
    # given 6 units ordered of a tote at Rp 150.000 / 165.000 (average Rp 157.500), a target of 30,
    # and Jaya's quote of Rp 60.000 a unit, minimum run 24, chosen
    make_order(open_campaign, quantity=6, note="Green, “SARI”")
    Campaign.objects.filter(pk=open_campaign.pk).update(sales_target=30, capacity=50)
    quote(open_campaign, jaya, chosen=True)

    # when the seller opens the quotes page
    response = seller.get(url("campaign_quotes", shop, open_campaign))

    # then it shows revenue, cost and profit at 6 units and at 30, and the break-even quantity
    figures = response.context["figures"]
    assert (figures["now"].revenue, figures["now"].cost, figures["now"].profit) == (
        Decimal(945_000),
        Decimal(1_440_000),
        Decimal(-495_000),
    )
    assert (figures["target"].revenue, figures["target"].cost, figures["target"].profit) == (
        Decimal(4_725_000),
        Decimal(1_800_000),
        Decimal(2_925_000),
    )
    assert figures["break_even"] == 10
    assert figures["suggested_minimum"] == 24
    text = page_text(response)
    for shown in ("Rp 945.000", "Rp 1.440.000", "-Rp 495.000", "Rp 4.725.000", "Rp 2.925.000"):
        assert shown in text
    assert 'data-label="Profit" class="loss">-Rp 495.000' in text


def test_using_suggestions_sets_production_time_and_minimum(seller, shop, open_campaign, jaya):
    # given a capacity of 50 and Jaya's quote (21 days, minimum run 24, break-even 10) chosen
    Campaign.objects.filter(pk=open_campaign.pk).update(capacity=50)
    quote(open_campaign, jaya, chosen=True)

    # when
    response = seller.post(url("campaign_quote_suggestions", shop, open_campaign), follow=True)

    # then the minimum is the vendor's run (larger than break-even) and production its lead time
    open_campaign.refresh_from_db()
    assert (open_campaign.min_quantity, open_campaign.production_days) == (24, 21)
    assert "Minimum set to 24 units and production time to 21 days." in page_text(response)
    event = open_campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.NOTE, shop.owner)
    assert "Konveksi Jaya" in event.note


def test_suggestions_take_break_even_when_it_is_larger(shop, seller, jaya):
    # given a unit that costs Rp 200.000 to make and sells for Rp 150.000, minimum run 10
    campaign = make_campaign(shop, capacity=100, min_quantity=5)
    quote(campaign, jaya, cost="200000", days=10, minimum=10, chosen=True)
    # when
    seller.post(url("campaign_quote_suggestions", shop, campaign))
    # then 14 must sell to pay for the run (200.000 × 10 / 150.000 = 13.3)
    campaign.refresh_from_db()
    assert campaign.min_quantity == 14


def test_suggestions_never_set_the_minimum_above_capacity(seller, shop, open_campaign, jaya):
    # given capacity 10 and a vendor whose minimum run is 24
    quote(open_campaign, jaya, chosen=True)
    # when
    seller.post(url("campaign_quote_suggestions", shop, open_campaign))
    # then
    open_campaign.refresh_from_db()
    assert open_campaign.min_quantity == 10


def test_suggestions_never_touch_the_units_ordered(seller, shop, open_campaign, jaya):
    make_order(open_campaign, quantity=3, note="Green, “SARI”")
    quote(open_campaign, jaya, chosen=True)
    seller.post(url("campaign_quote_suggestions", shop, open_campaign))
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 3


def test_suggestions_need_a_chosen_quote(seller, shop, open_campaign, jaya):
    quote(open_campaign, jaya)
    response = seller.post(url("campaign_quote_suggestions", shop, open_campaign), follow=True)
    assert "Choose a quote first." in page_text(response)
    open_campaign.refresh_from_db()
    assert (open_campaign.min_quantity, open_campaign.production_days) == (5, 14)


# --- who may use these pages --------------------------------------------------------------------


@pytest.fixture
def things(open_campaign, jaya):
    """Our quote, and another shop with its campaign, vendor and quote."""
    other = make_shop(name="Other", slug="other")
    theirs = make_campaign(other, slug="theirs")
    their_vendor = Vendor.objects.create(shop=other, name="Their tailor")
    return {
        "ours": quote(open_campaign, jaya),
        "other": other,
        "theirs": theirs,
        "their_vendor": their_vendor,
        "their_quote": quote(theirs, their_vendor),
    }


VENDOR_URLS = [
    ("vendors", None, "get"),
    ("vendor_new", None, "get"),
    ("vendor_new", None, "post"),
    ("vendor_edit", "vendor", "get"),
    ("vendor_edit", "vendor", "post"),
    ("campaign_quotes", "campaign", "get"),
    ("campaign_quotes", "campaign", "post"),
    ("campaign_quote_choose", "quote", "post"),
    ("campaign_quote_suggestions", "campaign", "post"),
]


def target(name, scope, shop, campaign, vendor, quote_):
    if scope is None:
        return url(name, shop)
    if scope == "vendor":
        return url(name, shop, vendor_id=vendor.pk)
    if scope == "quote":
        return url(name, shop, campaign, quote_id=quote_.pk)
    return url(name, shop, campaign)


@pytest.mark.parametrize(("name", "scope", "method"), VENDOR_URLS)
def test_anonymous_visitors_are_sent_to_log_in(
    client, shop, open_campaign, jaya, things, name, scope, method
):
    response = getattr(client, method)(
        target(name, scope, shop, open_campaign, jaya, things["ours"])
    )
    assert response.status_code == 302
    assert "/login/" in response.url


@pytest.mark.parametrize(("name", "scope", "method"), VENDOR_URLS)
def test_a_member_of_another_shop_gets_404(
    client, shop, open_campaign, jaya, things, name, scope, method
):
    client.force_login(things["other"].owner)
    response = getattr(client, method)(
        target(name, scope, shop, open_campaign, jaya, things["ours"])
    )
    assert response.status_code == 404
    assert Vendor.objects.filter(shop=shop).count() == 1
    assert not VendorQuote.objects.filter(chosen=True).exists()


@pytest.mark.parametrize(("name", "scope", "method"), [u for u in VENDOR_URLS if u[1] is not None])
def test_another_shops_campaign_vendor_or_quote_id_is_404_in_our_dashboard(
    seller, shop, open_campaign, jaya, things, name, scope, method
):
    # their campaign / vendor / quote ids under our shop
    response = getattr(seller, method)(
        target(name, scope, shop, things["theirs"], things["their_vendor"], things["their_quote"])
    )
    assert response.status_code == 404
    if scope == "quote":
        # their quote under our own campaign
        response = getattr(seller, method)(
            target(name, scope, shop, open_campaign, jaya, things["their_quote"])
        )
        assert response.status_code == 404
    things["their_vendor"].refresh_from_db()
    assert things["their_vendor"].name == "Their tailor"
    assert not VendorQuote.objects.filter(chosen=True).exists()
    assert things["theirs"].quotes.count() == 1


def test_the_quotes_page_runs_a_fixed_number_of_queries(
    seller, shop, open_campaign, django_assert_max_num_queries
):
    # given many vendors, each with a quote
    for n in range(12):
        vendor = Vendor.objects.create(shop=shop, name=f"Vendor {n}")
        quote(open_campaign, vendor, cost=str(50000 + n), chosen=n == 0)
    # when / then
    with django_assert_max_num_queries(10):
        response = seller.get(url("campaign_quotes", shop, open_campaign))
    assert response.status_code == 200


def test_a_quote_cannot_name_another_shops_vendor(open_campaign):
    # the admin lists every shop's vendors; the quote itself refuses a stranger's
    theirs = Vendor.objects.create(shop=make_shop(slug="other-shop"), name="Konveksi Lain")
    quote = VendorQuote(
        campaign=open_campaign, vendor=theirs, unit_cost=50000, lead_time_days=7, vendor_minimum=1
    )
    with pytest.raises(ValidationError) as refused:
        quote.full_clean()
    assert "vendor" in refused.value.message_dict
