"""The database refuses what the rules forbid, whichever code path tries to store it."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Campaign, Variant
from orders.models import Order, OrderLine
from tests.factories import make_campaign, make_order, make_shop

pytestmark = pytest.mark.django_db


NOTE = "Green, “SARI”"


# --- campaign rows ---------------------------------------------------------------------------


def test_a_window_that_closes_when_it_opens_is_refused(shop):
    # given a window whose close is not after its open
    opens = timezone.now()
    # when it is stored directly
    # then the database refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(shop, opens_at=opens, closes_at=opens)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(shop, opens_at=opens, closes_at=opens - timedelta(hours=1))
    assert not Campaign.objects.filter(shop=shop).exists()


def test_more_units_ordered_than_the_campaign_capacity_is_impossible(open_campaign):
    # given a campaign of 10 units
    # when some code sets its counter above capacity
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=open_campaign.pk).update(reserved=11)
    # then the counter is untouched
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 0


def test_a_campaign_counter_up_to_its_capacity_is_fine(open_campaign):
    Campaign.objects.filter(pk=open_campaign.pk).update(reserved=10)
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 10


def test_more_units_ordered_than_a_variant_capacity_is_impossible(open_campaign):
    # given Navy, limited to 4 units
    navy = open_campaign.variants.get(name="Navy")
    # when its counter goes to 5
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=navy.pk).update(reserved=5)
    navy.refresh_from_db()
    assert navy.reserved == 0


def test_a_negative_counter_is_impossible(open_campaign):
    green = open_campaign.variants.get(name="Green")
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=open_campaign.pk).update(reserved=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=green.pk).update(reserved=-1)


def test_a_free_variant_is_refused(open_campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.create(campaign=open_campaign, name="Free", price=Decimal(0))
    assert not open_campaign.variants.filter(name="Free").exists()


def test_two_campaigns_of_one_shop_cannot_share_a_web_address(open_campaign):
    # given the shop already has /rajut/tote/
    # when another campaign of the same shop takes the slug
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(open_campaign.shop, slug="tote")
    assert Campaign.objects.filter(slug="tote").count() == 1


def test_two_shops_can_each_have_a_campaign_with_the_same_slug(open_campaign):
    # given another shop
    other = make_shop(slug="batik")
    # when it uses the same campaign slug
    make_campaign(other, slug="tote")
    # then both exist, at different addresses
    assert Campaign.objects.filter(slug="tote").count() == 2


def test_a_percent_deposit_over_100_is_refused(shop):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(shop, deposit_rule="percent", deposit_value=Decimal(101))
    assert not Campaign.objects.filter(shop=shop).exists()


def test_a_zero_percent_deposit_is_refused(shop):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(shop, deposit_rule="percent", deposit_value=Decimal(0))


def test_a_fixed_deposit_may_be_more_than_100_rupiah(shop):
    campaign = make_campaign(shop, deposit_rule="fixed", deposit_value=Decimal(50000))
    assert campaign.pk is not None


# --- order rows ------------------------------------------------------------------------------


def test_an_order_whose_deposit_and_balance_do_not_add_up_is_refused(open_campaign):
    # given a placed order
    order = make_order(open_campaign, note=NOTE)
    # when some code changes its deposit alone
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(deposit_amount=order.deposit_amount + 1)
    # then the amounts still add up
    order.refresh_from_db()
    assert order.deposit_amount + order.balance_amount == order.subtotal


def test_an_order_line_for_zero_units_is_refused(open_campaign):
    order = make_order(open_campaign, note=NOTE)
    line = order.lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(pk=line.pk).update(quantity=0)
    line.refresh_from_db()
    assert line.quantity == 1


def test_two_orders_cannot_share_a_code(open_campaign):
    first = make_order(open_campaign, note=NOTE)
    second = make_order(open_campaign, note=NOTE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=second.pk).update(code=first.code)


def test_two_orders_cannot_share_a_private_link(open_campaign):
    first = make_order(open_campaign, note=NOTE)
    second = make_order(open_campaign, note=NOTE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=second.pk).update(token=first.token)


# --- what the seller's form says -------------------------------------------------------------


def unsaved_campaign(shop, **fields) -> Campaign:
    now = timezone.now()
    values = {
        "shop": shop,
        "title": "Batik scarf",
        "slug": "scarf",
        "opens_at": now,
        "closes_at": now + timedelta(days=7),
        "min_quantity": 5,
        "capacity": 20,
        "production_days": 14,
        "deposit_rule": Campaign.DepositRule.PERCENT,
        "deposit_value": Decimal(50),
    }
    values.update(fields)
    return Campaign(**values)


def clean_errors(campaign: Campaign) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        campaign.clean()
    return refused.value.message_dict


def test_a_sensible_campaign_passes_clean(shop):
    unsaved_campaign(shop).clean()


def test_clean_explains_a_minimum_above_the_capacity(shop):
    errors = clean_errors(unsaved_campaign(shop, min_quantity=30, capacity=20))
    assert errors == {"min_quantity": ["The minimum cannot be more than the capacity."]}


def test_clean_explains_a_window_that_closes_before_it_opens(shop):
    now = timezone.now()
    errors = clean_errors(unsaved_campaign(shop, opens_at=now, closes_at=now - timedelta(days=1)))
    assert errors == {"closes_at": ["The window must close after it opens."]}


def test_clean_explains_a_deposit_over_100_percent(shop):
    errors = clean_errors(unsaved_campaign(shop, deposit_value=Decimal(150)))
    assert errors == {"deposit_value": ["A percent deposit is more than 0 and at most 100."]}


def test_clean_explains_a_capacity_below_what_is_already_ordered(shop):
    campaign = unsaved_campaign(shop, capacity=5)
    campaign.reserved = 7
    errors = clean_errors(campaign)
    assert errors == {"capacity": ["7 units are already ordered; the capacity cannot be lower."]}


# --- phase -----------------------------------------------------------------------------------


@pytest.fixture
def window():
    opens = timezone.now().replace(microsecond=0) + timedelta(days=1)
    return opens, opens + timedelta(days=7)


def campaign_in(shop, window, **fields) -> Campaign:
    opens, closes = window
    return unsaved_campaign(shop, opens_at=opens, closes_at=closes, capacity=10, **fields)


def test_a_published_campaign_before_its_window_is_scheduled(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.PUBLISHED)
    assert campaign.phase_at(window[0] - timedelta(seconds=1)) == Campaign.Phase.SCHEDULED


def test_a_published_campaign_is_open_from_the_first_second_of_its_window(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.PUBLISHED)
    assert campaign.phase_at(window[0]) == Campaign.Phase.OPEN
    assert campaign.phase_at(window[1] - timedelta(seconds=1)) == Campaign.Phase.OPEN


def test_a_published_campaign_with_every_unit_ordered_is_sold_out(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.PUBLISHED)
    campaign.reserved = 10
    assert campaign.phase_at(window[0] + timedelta(hours=1)) == Campaign.Phase.SOLD_OUT


def test_a_campaign_without_a_capacity_never_sells_out(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.PUBLISHED)
    campaign.capacity = None
    campaign.reserved = 10_000
    assert campaign.phase_at(window[0] + timedelta(hours=1)) == Campaign.Phase.OPEN


def test_a_published_campaign_is_closed_when_its_window_ends(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.PUBLISHED)
    campaign.reserved = 10
    # closed wins over sold out once the window is over
    assert campaign.phase_at(window[1]) == Campaign.Phase.CLOSED


def test_a_draft_is_a_draft_whatever_the_clock_says(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.DRAFT)
    assert campaign.phase_at(window[0] + timedelta(hours=1)) == Campaign.Phase.DRAFT


def test_a_seller_decision_sets_the_phase(shop, window):
    campaign = campaign_in(shop, window, status=Campaign.Status.IN_PRODUCTION)
    assert campaign.phase_at(window[1] + timedelta(days=1)) == Campaign.Phase.IN_PRODUCTION


# --- addresses -------------------------------------------------------------------------------


def test_a_campaign_lives_under_its_shop(open_campaign):
    assert open_campaign.get_absolute_url() == "/rajut/tote/"
    assert open_campaign.shop.get_absolute_url() == "/rajut/"


def test_an_order_is_reached_by_its_secret_link_not_its_code(open_campaign):
    # given a placed order
    order = make_order(open_campaign, note=NOTE)
    # then its page is under its token
    assert order.get_absolute_url() == f"/o/{order.token}/"
    assert order.code not in order.get_absolute_url()
    # and the token is url-safe with at least 128 bits (22 base64 characters)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", order.token)
    # while the code is short enough to read aloud
    assert 4 <= len(order.code) <= 12
    assert re.fullmatch(r"[A-Z0-9]+", order.code)


def test_every_order_gets_its_own_token_and_code(open_campaign):
    orders = [make_order(open_campaign, note=NOTE) for _ in range(5)]
    assert len({o.token for o in orders}) == 5
    assert len({o.code for o in orders}) == 5


def test_saving_a_stale_campaign_or_variant_never_loses_units_ordered_meanwhile(open_campaign):
    # given the seller (or staff in the admin) has the campaign and a variant open in a form
    stale_campaign = Campaign.objects.get(pk=open_campaign.pk)
    stale_variant = open_campaign.variants.get(name="Green")
    # when a buyer orders meanwhile, and then the form is saved
    make_order(open_campaign, quantity=3, note="x", variant=stale_variant)
    stale_campaign.title = "Renamed"
    stale_campaign.save()
    stale_variant.name = "Sage"
    stale_variant.save()
    # then the edit is stored and the 3 units are still held
    open_campaign.refresh_from_db()
    assert (open_campaign.title, open_campaign.reserved) == ("Renamed", 3)
    assert open_campaign.variants.get(name="Sage").reserved == 3
