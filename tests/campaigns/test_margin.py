"""The numbers behind a vendor quote: revenue, cost, profit and break-even, in Decimal."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.services.margin import (
    Margin,
    average_price,
    break_even_quantity,
    loses_on_every_unit,
    margin_at,
    suggested_minimum,
)

TOTE_PRICES = [Decimal(150000), Decimal(165000)]  # average Rp 157.500


def test_average_price_is_the_plain_mean_of_the_variants():
    assert average_price(TOTE_PRICES) == Decimal(157500)
    assert average_price([]) is None


def test_margin_at_the_units_ordered_and_at_the_target():
    # given a vendor at Rp 60.000 a unit with a minimum run of 24
    quote = {"unit_cost": Decimal(60000), "vendor_minimum": 24, "currency": "IDR"}

    # when 30 units are sold
    at_target = margin_at(units=30, prices=TOTE_PRICES, **quote)

    # then revenue is at the average price, cost at the unit cost
    assert at_target == Margin(
        units=30,
        revenue=Decimal(4_725_000),
        cost=Decimal(1_800_000),
        profit=Decimal(2_925_000),
    )


def test_below_the_vendors_minimum_the_whole_minimum_run_is_paid():
    # given 6 units ordered and a vendor that makes at least 24
    margin = margin_at(
        units=6,
        prices=TOTE_PRICES,
        unit_cost=Decimal(60000),
        vendor_minimum=24,
        currency="IDR",
    )
    # then the cost is 24 units', and the profit negative
    assert margin.revenue == Decimal(945_000)
    assert margin.cost == Decimal(1_440_000)
    assert margin.profit == Decimal(-495_000)


def test_nothing_sold_costs_the_minimum_run():
    margin = margin_at(
        units=0, prices=TOTE_PRICES, unit_cost=Decimal(60000), vendor_minimum=24, currency="IDR"
    )
    assert (margin.revenue, margin.cost, margin.profit) == (0, Decimal(1_440_000), -1_440_000)


def test_revenue_is_rounded_to_whole_rupiah_only_once():
    # given prices whose average repeats (100.333...)
    prices = [Decimal(100), Decimal(100), Decimal(101)]
    # when 3 are sold, revenue is exactly 301, not 3 × a rounded average
    margin = margin_at(
        units=3, prices=prices, unit_cost=Decimal(50), vendor_minimum=1, currency="IDR"
    )
    assert margin.revenue == Decimal(301)
    assert margin.profit == Decimal(151)


def test_amounts_keep_cents_in_a_currency_that_has_them():
    margin = margin_at(
        units=3,
        prices=[Decimal("9.99"), Decimal("10.00")],
        unit_cost=Decimal("3.333"),
        vendor_minimum=1,
        currency="USD",
    )
    assert (margin.revenue, margin.cost, margin.profit) == (
        Decimal("29.99"),
        Decimal("10.00"),
        Decimal("19.99"),
    )


def test_a_campaign_without_variants_has_no_revenue():
    margin = margin_at(units=5, prices=[], unit_cost=Decimal(10), vendor_minimum=1, currency="IDR")
    assert margin.revenue == 0
    assert margin.profit == -margin.cost


@pytest.mark.parametrize(
    ("unit_cost", "vendor_minimum", "prices", "expected"),
    [
        # 60.000 × 24 / 157.500 = 9.14… → 10
        (Decimal(60000), 24, TOTE_PRICES, 10),
        # exactly whole: 100 × 3 / 100 = 3
        (Decimal(100), 3, [Decimal(100)], 3),
        # 301 × 1 / (301 / 3) is exactly 3; dividing by a rounded 100.333… would say 4
        (Decimal(301), 1, [Decimal(100), Decimal(100), Decimal(101)], 3),
        # a unit that costs more than it sells for: more than the minimum must sell
        (Decimal(200), 10, [Decimal(150)], 14),
    ],
)
def test_break_even_quantity(unit_cost, vendor_minimum, prices, expected):
    assert (
        break_even_quantity(unit_cost=unit_cost, vendor_minimum=vendor_minimum, prices=prices)
        == expected
    )


def test_no_break_even_without_prices():
    assert break_even_quantity(unit_cost=Decimal(1), vendor_minimum=1, prices=[]) is None


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000_000), places=2)


@given(
    unit_cost=money,
    vendor_minimum=st.integers(min_value=1, max_value=10_000),
    prices=st.lists(money, min_size=1, max_size=8),
)
def test_break_even_is_the_least_quantity_that_pays_for_the_minimum_run(
    unit_cost, vendor_minimum, prices
):
    # revenue at q units is q × sum / n; the run costs unit_cost × vendor_minimum
    run = unit_cost * vendor_minimum * len(prices)
    total = sum(prices)
    q = break_even_quantity(unit_cost=unit_cost, vendor_minimum=vendor_minimum, prices=prices)
    assert q * total >= run
    assert (q - 1) * total < run


@pytest.mark.parametrize(
    ("break_even", "vendor_minimum", "capacity", "expected"),
    [
        (10, 24, None, 24),  # the vendor's minimum is larger
        (30, 24, None, 30),  # break-even is larger
        (30, 24, 20, 20),  # never above capacity
        (None, 24, 50, 24),  # no prices yet: the vendor's minimum
    ],
)
def test_suggested_minimum(break_even, vendor_minimum, capacity, expected):
    assert (
        suggested_minimum(break_even=break_even, vendor_minimum=vendor_minimum, capacity=capacity)
        == expected
    )


def test_a_unit_that_costs_what_it_sells_for_never_profits():
    assert loses_on_every_unit(unit_cost=Decimal(157500), prices=TOTE_PRICES)
    assert not loses_on_every_unit(unit_cost=Decimal(157499), prices=TOTE_PRICES)
    assert not loses_on_every_unit(unit_cost=Decimal(1), prices=[])
