"""The campaign's running totals (orders/tally.py): what the overview and home page show, equal to
the orders themselves after any life the orders live."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from campaigns.models import Campaign
from orders import selectors, tally
from orders.models import CampaignHour, CampaignTally, Order, VariantTally
from orders.services.transitions import ALLOWED, move_order
from tests.factories import make_campaign, make_many_orders, make_order
from tests.support import page_text

pytestmark = pytest.mark.django_db


def totals(campaign: Campaign) -> tuple:
    """Everything the tallies hold for the campaign, comparable as a whole."""
    return (
        CampaignTally.objects.filter(campaign=campaign).values().first(),
        sorted(
            VariantTally.objects.filter(variant__campaign=campaign)
            .exclude(confirmed_units=0)
            .values_list("variant_id", "confirmed_units")
        ),
        sorted(CampaignHour.objects.filter(campaign=campaign).values_list("hour", "orders")),
    )


# Each step: place an order of 1-3 units on variant 0 or 1, or move the n-th order on to the
# n-th of the moves its status allows (wrapping round).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("place"), st.integers(0, 1), st.integers(1, 3)),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=25,
)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_running_totals_equal_the_orders_after_any_sequence_of_orders_and_moves(shop, steps):
    campaign = make_campaign(
        shop, variants=[{"name": "Green", "price": "150000"}, {"name": "Navy", "price": "99999"}]
    )
    variants = list(campaign.variants.all())
    orders = []
    for step in steps:
        if step[0] == "place":
            orders.append(make_order(campaign, variant=variants[step[1]], quantity=step[2]))
        elif orders:
            order = orders[step[1] % len(orders)]
            order.refresh_from_db()
            moves = sorted(ALLOWED[order.status])
            if moves:
                move_order(order=order, to=moves[step[2] % len(moves)])

    kept = totals(campaign)
    tally.recount([campaign.pk])
    assert kept == totals(campaign)


def test_the_overview_shows_the_figures_of_every_order(seller, shop, open_campaign):
    # given three orders: one pending, one confirmed (2 units), one paid in full
    make_order(open_campaign, note="a")
    confirmed = make_order(open_campaign, quantity=2, note="b")
    move_order(order=confirmed, to=Order.Status.CONFIRMED)
    paid = make_order(open_campaign, note="c")
    for status in (Order.Status.CONFIRMED, Order.Status.IN_PRODUCTION, Order.Status.PAID):
        move_order(order=paid, to=status)

    figures = selectors.campaign_figures(open_campaign)
    assert figures == {
        "orders": 3,
        "pending": 1,
        "revenue": Decimal(600000),
        # two deposits of Rp 150.000 and 75.000, and the balance of the paid one
        "collected": Decimal(300000),
        "outstanding": Decimal(150000),
    }
    per_variant = {row["variant"].name: row for row in selectors.units_per_variant(open_campaign)}
    assert (per_variant["Green"]["ordered"], per_variant["Green"]["confirmed"]) == (4, 3)
    home = page_text(seller.get(reverse("dashboard:home", args=[shop.slug])))
    assert "4 ordered, 3 paid, 5 needed" in home


def test_orders_per_day_follow_the_shops_calendar(open_campaign):
    # given an order at 23:30 UTC on 31 January: 06:30 on 1 February in Jakarta
    late = make_order(open_campaign, note="y")
    Order.objects.filter(pk=late.pk).update(created_at=datetime(2027, 1, 31, 23, 30, tzinfo=UTC))
    tally.recount([open_campaign.pk])

    days = selectors.orders_per_day(open_campaign, ZoneInfo("Asia/Jakarta"))
    assert days[datetime(2027, 2, 1).date()] == 1
    assert datetime(2027, 1, 31).date() not in days


def test_bulk_loaded_orders_are_counted_once_recounted(open_campaign):
    make_many_orders(open_campaign, 8, status=Order.Status.CONFIRMED)
    figures = selectors.campaign_figures(open_campaign)
    assert (figures["orders"], figures["pending"]) == (8, 0)
    assert sum(row["confirmed"] for row in selectors.units_per_variant(open_campaign)) == 8
