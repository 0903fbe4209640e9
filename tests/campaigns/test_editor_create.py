"""A seller creates a campaign: a draft with its terms and variant rows, each broken rule refused
on its field."""

from datetime import datetime
from decimal import Decimal

import pytest

from campaigns.models import Campaign, CampaignEvent, Variant
from tests.campaigns.editor import JAKARTA, new_campaign_data, parse_form, url
from tests.factories import make_campaign, make_shop
from tests.support import page_text

pytestmark = pytest.mark.django_db


# --- creating ----------------------------------------------------------------------------------


def test_seller_creates_a_draft_with_two_variants_in_the_shops_time_zone(seller, shop):
    # when the seller fills the new-campaign page with two variants
    response = seller.post(url("campaign_new", shop), new_campaign_data())

    # then a draft exists with every term, its variants in order, and a CREATED event
    campaign = Campaign.objects.get(shop=shop)
    assert response.status_code == 302
    assert response.url == url("campaign", shop, campaign)
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.slug == "custom-name-tote"
    assert campaign.reserved == 0
    assert (campaign.min_quantity, campaign.capacity, campaign.sales_target) == (5, 10, 30)
    assert campaign.note_required is True
    assert campaign.deposit_value == Decimal(50)
    # typed as Jakarta time, stored as the same moment
    assert campaign.opens_at == datetime(2030, 3, 1, 10, 0, tzinfo=JAKARTA)
    assert campaign.closes_at == datetime(2030, 3, 8, 22, 0, tzinfo=JAKARTA)
    assert [(v.name, v.price, v.capacity, v.reserved) for v in campaign.variants.all()] == [
        ("Green", Decimal(150000), None, 0),
        ("Navy", Decimal(165000), 4, 0),
    ]
    event = campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.CREATED, shop.owner)


def test_an_empty_web_address_is_made_from_the_title_and_unique_in_the_shop(seller, shop):
    # given the shop already has a campaign at that address, and another shop too
    make_campaign(shop, slug="custom-name-tote")
    make_campaign(make_shop(), slug="custom-name-tote-2")

    # when the seller leaves the web address empty
    seller.post(url("campaign_new", shop), new_campaign_data())

    # then the new one takes the next free address in this shop
    assert shop.campaigns.filter(slug="custom-name-tote-2").exists()


def test_a_title_without_latin_letters_still_gets_a_web_address(seller, shop):
    seller.post(url("campaign_new", shop), new_campaign_data(title="🎒🎒"))
    assert shop.campaigns.get().slug == "po"


def test_a_web_address_another_campaign_uses_is_refused_on_its_field(seller, shop):
    # given
    make_campaign(shop, slug="tote")
    # when
    response = seller.post(url("campaign_new", shop), new_campaign_data(slug="tote"))
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == [
        "Another campaign of this shop already uses this web address."
    ]
    assert shop.campaigns.count() == 1


def test_the_new_campaign_page_labels_every_input_and_offers_three_empty_variant_rows(seller, shop):
    # when
    response = seller.get(url("campaign_new", shop))
    # then
    assert response.status_code == 200
    form = parse_form(response)
    assert form.controls, "the editor form was not found"
    assert not [c for c in form.controls if c not in form.labels]
    assert form.values["variants-TOTAL_FORMS"] == "3"
    text = response.content.decode()
    assert 'type="datetime-local"' in text
    assert "style=" not in text
    assert "<script>" not in text and "<script " not in text.replace('<script src="', "")
    # the script's add-a-row button is hidden until the script shows it
    assert 'data-formset-add="variants" hidden' in text


def test_the_dashboard_links_to_the_editor_and_the_vendors(seller, shop, open_campaign):
    home = seller.get(url("home", shop)).content.decode()
    assert url("campaign_new", shop) in home
    assert url("vendors", shop) in home
    overview = seller.get(url("campaign", shop, open_campaign)).content.decode()
    for name in ("campaign_edit", "campaign_photos", "campaign_quotes", "campaign_duplicate"):
        assert url(name, shop, open_campaign) in overview
    assert url("campaign_unpublish", shop, open_campaign) in overview
    assert url("campaign_publish", shop, open_campaign) not in overview


# --- validation: one message on its field, nothing saved ---------------------------------------


@pytest.mark.parametrize(
    ("story", "changes", "field", "message"),
    [
        (
            "closes before it opens",
            {"opens_at": "2030-03-08T10:00", "closes_at": "2030-03-01T10:00"},
            "closes_at",
            "The window must close after it opens.",
        ),
        (
            "closes when it opens",
            {"opens_at": "2030-03-08T10:00", "closes_at": "2030-03-08T10:00"},
            "closes_at",
            "The window must close after it opens.",
        ),
        (
            "minimum above capacity",
            {"min_quantity": "11", "capacity": "10"},
            "min_quantity",
            "The minimum cannot be more than the capacity.",
        ),
        (
            "deposit over 100 percent",
            {"deposit_rule": "percent", "deposit_value": "120"},
            "deposit_value",
            "A percent deposit is more than 0 and at most 100.",
        ),
        (
            "fixed deposit of zero",
            {"deposit_rule": "fixed", "deposit_value": "0"},
            "deposit_value",
            "A fixed deposit must be more than zero.",
        ),
        (
            "negative fixed deposit",
            {"deposit_rule": "fixed", "deposit_value": "-5000"},
            "deposit_value",
            "A fixed deposit must be more than zero.",
        ),
        (
            "percent deposit left empty",
            {"deposit_rule": "percent", "deposit_value": ""},
            "deposit_value",
            "Enter the deposit.",
        ),
        (
            "no title",
            {"title": ""},
            "title",
            "This field is required.",
        ),
    ],
)
def test_a_term_that_breaks_a_rule_is_refused_on_its_field(
    seller, shop, story, changes, field, message
):
    # when
    response = seller.post(url("campaign_new", shop), new_campaign_data(**changes))
    # then
    assert response.status_code == 400, story
    assert response.context["form"].errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Variant.objects.exists()


def test_full_payment_needs_no_deposit_value(seller, shop):
    seller.post(url("campaign_new", shop), new_campaign_data(deposit_rule="full", deposit_value=""))
    assert shop.campaigns.get().deposit_rule == Campaign.DepositRule.FULL


@pytest.mark.parametrize(
    ("story", "rows", "row", "field", "message"),
    [
        (
            "price zero",
            [("Green", "0", "")],
            0,
            "price",
            "The price must be more than zero.",
        ),
        (
            "negative price",
            [("Green", "150000", ""), ("Navy", "-1", "")],
            1,
            "price",
            "The price must be more than zero.",
        ),
        (
            "same name twice, in other case",
            [("Green", "150000", ""), ("green ", "160000", "")],
            1,
            "name",
            "Another variant already has this name.",
        ),
        (
            "a price without a name",
            [("", "150000", "")],
            0,
            "name",
            "This field is required.",
        ),
    ],
)
def test_a_variant_row_that_breaks_a_rule_is_refused_on_its_field(
    seller, shop, story, rows, row, field, message
):
    # when
    response = seller.post(url("campaign_new", shop), new_campaign_data(variants=rows))
    # then
    assert response.status_code == 400, story
    assert response.context["variants"].forms[row].errors[field] == [message]
    assert f'id="id_variants-{row}-{field}_error"' in response.content.decode()
    assert not Campaign.objects.exists()
    assert not Variant.objects.exists()


def test_a_campaign_without_variants_is_refused(seller, shop):
    # when every variant row is left empty
    response = seller.post(url("campaign_new", shop), new_campaign_data(variants=[]))
    # then
    assert response.status_code == 400
    assert response.context["variants"].non_form_errors() == [
        "Add at least one variant with a name and a price."
    ]
    assert "Add at least one variant with a name and a price." in page_text(response)
    assert not Campaign.objects.exists()
