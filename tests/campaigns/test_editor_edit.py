"""A seller edits a campaign's terms and variants: placed orders keep their snapshot, and the units
already ordered hold the capacities up."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from campaigns.exceptions import CampaignRuleBroken
from campaigns.models import Campaign, CampaignEvent, Variant
from campaigns.services.campaigns import VariantSpec, update_campaign
from orders.models import OrderLine
from tests.campaigns.editor import JAKARTA, edit_data, parse_form, url, variant_row
from tests.factories import make_campaign, make_order
from tests.support import page_text

pytestmark = pytest.mark.django_db


# --- validation: what the units already ordered forbid --------------------------------------------


def test_capacity_under_the_units_already_ordered_is_refused(seller, open_campaign):
    # given 3 units ordered
    make_order(open_campaign, quantity=3, note="Green, “SARI”")
    # when the seller lowers the capacity to 2
    data = edit_data(seller, open_campaign, capacity="2", min_quantity="1")
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        "3 units are already ordered; the capacity cannot be lower."
    ]
    open_campaign.refresh_from_db()
    assert (open_campaign.capacity, open_campaign.min_quantity) == (10, 5)


def test_variant_capacity_under_its_units_already_ordered_is_refused(seller, open_campaign):
    # given 2 Navy ordered (Navy holds 4)
    navy = open_campaign.variants.get(name="Navy")
    make_order(open_campaign, quantity=2, variant=navy, note="Navy, “SARI”")
    # when the seller gives Navy a capacity of 1
    row = variant_row(open_campaign, "Navy")
    data = edit_data(seller, open_campaign, **{f"variants-{row}-capacity": "1"})
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 400
    assert response.context["variants"].forms[row].errors["capacity"] == [
        "2 units are already ordered; the capacity cannot be lower."
    ]
    navy.refresh_from_db()
    assert navy.capacity == 4


# --- editing ------------------------------------------------------------------------------------


def test_editing_prices_and_deposit_never_changes_placed_orders(seller, open_campaign):
    # given an order for 2 Green at Rp 150.000 with a 50 % deposit
    order = make_order(open_campaign, quantity=2, note="Green, “SARI”")
    before = (order.subtotal, order.deposit_amount, order.balance_amount)

    # when the seller raises Green's price, renames it, and asks 30 % deposit
    row = variant_row(open_campaign, "Green")
    data = edit_data(
        seller,
        open_campaign,
        deposit_value="30",
        **{f"variants-{row}-price": "200000", f"variants-{row}-name": "Forest green"},
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)

    # then the campaign shows the new terms
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    green = open_campaign.variants.get(name="Forest green")
    assert green.price == Decimal(200000)
    assert open_campaign.deposit_value == Decimal(30)
    # and the placed order keeps its snapshot, and the counters their units
    order.refresh_from_db()
    assert (order.subtotal, order.deposit_amount, order.balance_amount) == before
    line = OrderLine.objects.get(order=order)
    assert (line.variant_name, line.unit_price) == ("Green", Decimal(150000))
    assert open_campaign.reserved == 2
    assert green.reserved == 2


def test_an_order_placed_while_the_seller_edits_keeps_its_units(shop, open_campaign):
    # given the seller opened the editor before a buyer ordered 3 units
    stale = Campaign.objects.get(pk=open_campaign.pk)
    make_order(open_campaign, quantity=3, note="Green, “SARI”")
    terms = {"title": "Tote, second batch", "capacity": 10}
    specs = [
        VariantSpec(name=v.name, price=v.price, capacity=v.capacity, id=v.pk)
        for v in stale.variants.all()
    ]

    # when the stale edit is saved
    update_campaign(campaign=stale, terms=terms, variants=specs, actor=shop.owner)

    # then the counters still hold the buyer's units
    open_campaign.refresh_from_db()
    assert open_campaign.title == "Tote, second batch"
    assert open_campaign.reserved == 3
    assert open_campaign.variants.get(name="Green").reserved == 3

    # and a stale capacity check cannot slip under them either
    with pytest.raises(CampaignRuleBroken) as refused:
        update_campaign(
            campaign=stale,
            terms={"capacity": 2, "min_quantity": 1},
            variants=specs,
            actor=shop.owner,
        )
    assert refused.value.errors == {
        "capacity": ["3 units are already ordered; the capacity cannot be lower."]
    }
    open_campaign.refresh_from_db()
    assert open_campaign.capacity == 10


def test_seller_adds_and_removes_variants(seller, open_campaign):
    # given Navy has no orders
    row = variant_row(open_campaign, "Navy")
    extra = len(open_campaign.variants.all())
    # when the seller removes Navy and fills an empty row with Black
    data = edit_data(
        seller,
        open_campaign,
        **{
            f"variants-{row}-DELETE": "on",
            f"variants-{extra}-name": "Black",
            f"variants-{extra}-price": "170000",
        },
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 302
    assert [v.name for v in open_campaign.variants.all()] == ["Green", "Black"]


def test_a_variant_with_orders_cannot_be_removed(seller, open_campaign):
    # given an order for Green
    make_order(open_campaign, quantity=1, note="Green, “SARI”")
    # when the seller removes Green
    row = variant_row(open_campaign, "Green")
    data = edit_data(seller, open_campaign, **{f"variants-{row}-DELETE": "on"})
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 400
    assert "“Green” has orders, so it cannot be removed." in page_text(response)
    assert open_campaign.variants.filter(name="Green").exists()


def test_removing_every_variant_is_refused(seller, open_campaign):
    data = edit_data(
        seller, open_campaign, **{"variants-0-DELETE": "on", "variants-1-DELETE": "on"}
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    assert response.status_code == 400
    assert open_campaign.variants.count() == 2


def test_two_variants_can_trade_names(seller, open_campaign):
    # when Green becomes Navy and Navy becomes Green in one save
    green, navy = variant_row(open_campaign, "Green"), variant_row(open_campaign, "Navy")
    data = edit_data(
        seller,
        open_campaign,
        **{f"variants-{green}-name": "Navy", f"variants-{navy}-name": "Green"},
    )
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then
    assert response.status_code == 302
    prices = {v.name: v.price for v in open_campaign.variants.all()}
    assert prices == {"Navy": Decimal(150000), "Green": Decimal(165000)}


def test_the_web_address_is_fixed_once_published(seller, open_campaign):
    # when the seller sends another web address for a published campaign
    data = edit_data(seller, open_campaign, slug="other-address")
    response = seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then the buyers' link keeps working
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.slug == "tote"


def test_the_service_refuses_a_new_web_address_once_published(shop, open_campaign):
    specs = [VariantSpec(name=v.name, price=v.price, id=v.pk) for v in open_campaign.variants.all()]
    with pytest.raises(CampaignRuleBroken) as refused:
        update_campaign(
            campaign=open_campaign, terms={"slug": "other"}, variants=specs, actor=shop.owner
        )
    assert refused.value.field == "slug"


def test_changing_a_published_campaigns_terms_is_noted_on_its_timeline(seller, open_campaign):
    # when the seller changes the capacity and a price, leaving the times as shown
    row = variant_row(open_campaign, "Navy")
    data = edit_data(seller, open_campaign, capacity="12", **{f"variants-{row}-price": "170000"})
    seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data)
    # then one note says who changed what, and only what changed
    event = open_campaign.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.NOTE, open_campaign.shop.owner)
    assert event.note == "Terms changed: capacity, variants."


def test_saving_a_published_campaign_unchanged_moves_nothing(seller, open_campaign):
    # given a window stored with seconds, which the form shows to the minute
    before = (open_campaign.opens_at, open_campaign.closes_at)
    assert open_campaign.opens_at.second or open_campaign.opens_at.microsecond
    # when the seller saves without changing anything
    data = edit_data(seller, open_campaign)
    assert (
        seller.post(url("campaign_edit", open_campaign.shop, open_campaign), data).status_code
        == 302
    )
    # then the window keeps its exact times and the timeline stays quiet
    open_campaign.refresh_from_db()
    assert (open_campaign.opens_at, open_campaign.closes_at) == before
    assert not open_campaign.events.exists()


def test_a_published_campaign_closes_earlier_but_is_extended_only_through_the_decision(
    seller, open_campaign
):
    shop_zone = ZoneInfo(open_campaign.shop.time_zone)
    closes = timezone.localtime(open_campaign.closes_at, shop_zone)
    edit = url("campaign_edit", open_campaign.shop, open_campaign)

    # when the seller types a later close in the editor
    later = (closes + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = seller.post(edit, edit_data(seller, open_campaign, closes_at=later))

    # then it is refused with where to go instead, and the window stays
    assert response.status_code == 400
    assert "use “Extend the window” on the campaign's overview" in page_text(response)
    before = open_campaign.closes_at
    open_campaign.refresh_from_db()
    assert open_campaign.closes_at == before

    # but closing earlier (to stop orders) is saved
    earlier = closes - timedelta(hours=1)
    data = edit_data(seller, open_campaign, closes_at=earlier.strftime("%Y-%m-%dT%H:%M"))
    assert seller.post(edit, data).status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.closes_at == earlier.replace(second=0, microsecond=0)


def test_editing_a_draft_writes_no_note(seller, shop):
    draft = make_campaign(shop, status=Campaign.Status.DRAFT)
    seller.post(url("campaign_edit", shop, draft), edit_data(seller, draft, capacity="99"))
    draft.refresh_from_db()
    assert draft.capacity == 99
    assert not draft.events.exists()


def test_a_draft_can_change_its_web_address(seller, shop):
    draft = make_campaign(shop, slug="draft-tote", status=Campaign.Status.DRAFT)
    data = edit_data(seller, draft, slug="tote-batch-2")
    assert seller.post(url("campaign_edit", shop, draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "tote-batch-2"


def test_the_edit_page_shows_times_in_the_shops_time_zone(seller, shop):
    campaign = make_campaign(
        shop,
        opens_at=datetime(2030, 3, 1, 10, 0, tzinfo=JAKARTA),
        closes_at=datetime(2030, 3, 8, 22, 0, tzinfo=JAKARTA),
    )
    values = parse_form(seller.get(url("campaign_edit", shop, campaign))).values
    assert (values["opens_at"], values["closes_at"]) == ("2030-03-01T10:00", "2030-03-08T22:00")


def test_the_edit_page_runs_a_fixed_number_of_queries(
    seller, open_campaign, django_assert_max_num_queries
):
    for n in range(10):
        Variant.objects.create(campaign=open_campaign, name=f"Extra {n}", price=Decimal(1000))
    with django_assert_max_num_queries(8):
        seller.get(url("campaign_edit", open_campaign.shop, open_campaign))
