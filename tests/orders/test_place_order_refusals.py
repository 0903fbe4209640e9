"""place_order refused: the right reason, and nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from orders.exceptions import CampaignNotOpen, InvalidLines, LimitExceeded, OrderRefused, SoldOut
from orders.models import Order
from orders.services.placing import MAX_NOTE_LENGTH
from orders.services.transitions import move_order
from tests.factories import make_buyer, make_campaign
from tests.orders.placing import green, navy, order, reserved

pytestmark = pytest.mark.django_db


def test_an_order_before_the_window_opens_is_refused(shop, refused):
    campaign = make_campaign(shop, opens_at=timezone.now() + timedelta(hours=1))
    with refused(CampaignNotOpen, "not open yet", campaign=campaign):
        order(campaign, (campaign.variants.get(), 1))


def test_an_order_after_the_window_closes_is_refused(open_campaign, refused):
    with refused(CampaignNotOpen, "closed"):
        order(
            open_campaign,
            (green(open_campaign), 1),
            now=open_campaign.closes_at + timedelta(seconds=1),
        )


def test_an_order_on_a_draft_is_refused(shop, refused):
    campaign = make_campaign(shop, status=Campaign.Status.DRAFT)
    with refused(CampaignNotOpen, "not published", campaign=campaign):
        order(campaign, (campaign.variants.get(), 1))


def test_an_order_on_a_sold_out_campaign_is_refused(open_campaign, refused):
    # given all 10 units are ordered
    order(open_campaign, (green(open_campaign), 10))
    # when the next buyer loads the campaign and orders
    campaign = Campaign.objects.get(pk=open_campaign.pk)
    # then the PO says it is sold out
    with refused(CampaignNotOpen, "Sold out"):
        order(campaign, (green(campaign), 1))


def test_an_order_for_more_than_the_units_left_is_refused(open_campaign, refused):
    # given 8 of 10 units are ordered
    order(open_campaign, (green(open_campaign), 8))
    # when a buyer asks for three
    # then it is sold out for that order and nothing is taken
    with refused(SoldOut, "Sold out"):
        order(open_campaign, (green(open_campaign), 3))
    assert reserved(open_campaign) == 8


def test_a_sold_out_variant_is_refused_while_the_campaign_has_room(open_campaign, refused):
    # given 3 of the 4 Navy are ordered (and 7 of the campaign's 10 units are left)
    order(open_campaign, (navy(open_campaign), 3))
    # when a buyer orders a Green and two Navy
    # then the order is refused and the campaign counter is given back too
    with refused(SoldOut, "Sold out"):
        order(open_campaign, (green(open_campaign), 1), (navy(open_campaign), 2))
    assert reserved(open_campaign) == 3
    assert reserved(navy(open_campaign)) == 3
    assert reserved(green(open_campaign)) == 0


def test_an_item_from_another_campaign_is_refused(open_campaign, refused):
    other = make_campaign(open_campaign.shop)
    with refused(InvalidLines, "not part of this PO"):
        order(open_campaign, (other.variants.get(), 1))


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused(open_campaign, refused, quantity):
    with refused(InvalidLines, "at least 1"):
        order(open_campaign, (green(open_campaign), quantity))


def test_an_order_with_no_lines_is_refused(open_campaign, refused):
    with refused(InvalidLines, "at least one item"):
        order(open_campaign)


@pytest.mark.parametrize("note", ["", "   \n"])
def test_a_missing_note_is_refused_when_the_campaign_asks_for_one(open_campaign, refused, note):
    with refused(InvalidLines, "Please fill in “Colour and name to print” for Green"):
        order(open_campaign, (green(open_campaign), 1, note))


def test_a_note_that_is_too_long_is_refused(open_campaign, refused):
    with refused(InvalidLines, f"at most {MAX_NOTE_LENGTH} characters"):
        order(open_campaign, (green(open_campaign), 1, "x" * (MAX_NOTE_LENGTH + 1)))


def test_a_note_of_exactly_the_limit_is_fine(open_campaign):
    placed = order(open_campaign, (green(open_campaign), 1, "x" * MAX_NOTE_LENGTH))
    assert len(placed.lines.get().note) == MAX_NOTE_LENGTH


def test_more_units_than_the_campaign_allows_per_order_is_refused(shop, refused):
    campaign = make_campaign(shop, max_per_order=2)
    with refused(LimitExceeded, "At most 2 units per order", campaign=campaign):
        order(campaign, (campaign.variants.get(), 3))
    assert order(campaign, (campaign.variants.get(), 2)).units == 2


@pytest.fixture
def two_per_buyer(shop):
    return make_campaign(shop, max_per_buyer=2)


def test_a_buyer_cannot_exceed_the_cap_with_a_second_order(two_per_buyer, refused):
    # given Sari already holds 2 units
    sari = make_buyer(1)
    order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=sari)
    # when she orders one more with the same details
    # then she is told the cap and how many she may still order
    with refused(LimitExceeded, "At most 2 units per buyer; you can order 0 more", two_per_buyer):
        order(two_per_buyer, (two_per_buyer.variants.get(), 1), buyer=sari)


def test_the_cap_counts_orders_with_the_same_phone_and_another_email(two_per_buyer, refused):
    order(two_per_buyer, (two_per_buyer.variants.get(), 1), buyer=make_buyer(1))
    same_phone = make_buyer(1, email="sari.other@example.com")
    with refused(LimitExceeded, "you can order 1 more", two_per_buyer):
        order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=same_phone)


def test_the_cap_counts_orders_with_the_same_email_in_any_case(two_per_buyer, refused):
    order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=make_buyer(1))
    same_email = make_buyer(2, email="BUYER1@Example.com")
    with refused(LimitExceeded, "per buyer", two_per_buyer):
        order(two_per_buyer, (two_per_buyer.variants.get(), 1), buyer=same_email)


def test_other_buyers_are_not_limited_by_someone_elses_orders(two_per_buyer):
    order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=make_buyer(1))
    assert order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=make_buyer(2)).units == 2


@pytest.mark.parametrize("gone", [Order.Status.EXPIRED, Order.Status.CANCELLED])
def test_an_expired_or_cancelled_order_no_longer_counts_toward_the_cap(two_per_buyer, gone):
    # given Sari's first order for 2 units expired (or was cancelled)
    sari = make_buyer(1)
    first = order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=sari)
    move_order(order=first, to=gone)
    # when she orders 2 again
    second = order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=sari)
    # then it goes through
    assert second.pk != first.pk
    assert reserved(two_per_buyer) == 2


def test_every_refusal_is_an_order_refused_with_a_message():
    for kind in (CampaignNotOpen, SoldOut, InvalidLines, LimitExceeded):
        assert issubclass(kind, OrderRefused)
    assert "Sold out" in str(SoldOut())
