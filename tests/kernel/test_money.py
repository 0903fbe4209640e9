"""Deposits split and amounts shown the way sellers and buyers expect (DESIGN.md, Money)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.money import _formatted, format_money, split_deposit


def test_half_deposit_of_an_odd_subtotal_rounds_half_up_to_a_whole_rupiah():
    # given an order of Rp 150.001 with a 50% deposit
    # when it is split
    deposit, balance = split_deposit(
        subtotal=Decimal(150001), units=1, rule="percent", value=Decimal(50)
    )
    # then the buyer pays Rp 75.001 now (75000.5 rounds up) and Rp 75.000 later
    assert deposit == Decimal(75001)
    assert balance == Decimal(75000)


def test_percent_deposit_below_half_a_rupiah_rounds_down():
    # given 30% of Rp 100.001 = 30000.3
    deposit, balance = split_deposit(
        subtotal=Decimal(100001), units=1, rule="percent", value=Decimal(30)
    )
    # then the deposit is Rp 30.000 and the balance takes the rest
    assert (deposit, balance) == (Decimal(30000), Decimal(70001))


def test_percent_deposit_of_a_round_subtotal():
    deposit, balance = split_deposit(
        subtotal=Decimal(330000), units=2, rule="percent", value=Decimal(50)
    )
    assert (deposit, balance) == (Decimal(165000), Decimal(165000))


def test_fixed_deposit_is_charged_per_unit():
    # given Rp 50.000 per unit and three totes worth Rp 450.000
    deposit, balance = split_deposit(
        subtotal=Decimal(450000), units=3, rule="fixed", value=Decimal(50000)
    )
    # then the deposit is Rp 150.000
    assert (deposit, balance) == (Decimal(150000), Decimal(300000))


def test_fixed_deposit_never_exceeds_the_subtotal():
    # given a fixed deposit larger than the price of the item
    deposit, balance = split_deposit(
        subtotal=Decimal(40000), units=1, rule="fixed", value=Decimal(50000)
    )
    # then the buyer pays the whole order now and owes nothing later
    assert (deposit, balance) == (Decimal(40000), Decimal(0))


def test_full_payment_leaves_no_balance():
    deposit, balance = split_deposit(
        subtotal=Decimal(165000), units=1, rule="full", value=Decimal(50)
    )
    assert (deposit, balance) == (Decimal(165000), Decimal(0))


def test_an_unknown_deposit_rule_is_refused():
    with pytest.raises(ValueError, match="unknown deposit rule"):
        split_deposit(subtotal=Decimal(1000), units=1, rule="later", value=Decimal(10))


subtotals = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2, allow_nan=False
)
rules = st.one_of(
    st.tuples(
        st.just("percent"), st.decimals(min_value=1, max_value=100, places=2, allow_nan=False)
    ),
    st.tuples(
        st.just("fixed"),
        st.decimals(min_value=Decimal("0.01"), max_value=10_000_000, places=2, allow_nan=False),
    ),
    st.tuples(st.just("full"), st.just(Decimal(0))),
)


@given(subtotal=subtotals, units=st.integers(min_value=1, max_value=500), rule=rules)
def test_deposit_and_balance_always_add_up_to_the_subtotal(subtotal, units, rule):
    # given any order and any deposit rule
    rule_name, value = rule
    # when it is split
    deposit, balance = split_deposit(subtotal=subtotal, units=units, rule=rule_name, value=value)
    # then nothing is lost or invented, and neither part is negative
    assert deposit + balance == subtotal
    assert Decimal(0) <= deposit <= subtotal
    assert balance >= 0


@given(
    subtotal=st.integers(min_value=1, max_value=10**11).map(Decimal),
    percent=st.integers(min_value=1, max_value=100).map(Decimal),
)
def test_percent_deposit_of_a_whole_rupiah_order_is_whole_rupiah(subtotal, percent):
    # given a rupiah order (no cents) and a percent deposit
    deposit, _ = split_deposit(subtotal=subtotal, units=1, rule="percent", value=percent)
    # then the deposit is in whole rupiah and within half a rupiah of the exact share
    assert deposit == deposit.to_integral_value()
    assert abs(deposit - subtotal * percent / 100) <= Decimal("0.5")


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal(150000), "IDR", "Rp 150.000"),
        (Decimal(1250000), "IDR", "Rp 1.250.000"),
        (Decimal("150000.00"), "IDR", "Rp 150.000"),
        (Decimal(500), "IDR", "Rp 500"),
        (Decimal("-75000"), "IDR", "-Rp 75.000"),
        (Decimal("12.5"), "USD", "$12.50"),
        (Decimal("1234567.891"), "USD", "$1,234,567.89"),
        (Decimal("1234.5"), "EUR", "1.234,50\xa0€"),
        (Decimal("99.9"), "MYR", "RM99.90"),
        (Decimal("1500"), "JPY", "￥1,500"),
    ],
)
def test_amounts_are_shown_by_their_own_currency_rules(amount, currency, shown):
    assert format_money(amount, currency) == shown


def test_rupiah_cents_are_rounded_half_up_for_display():
    assert format_money(Decimal("75000.5"), "IDR") == "Rp 75.001"


def test_an_unknown_currency_is_shown_with_its_code_and_two_decimals():
    assert format_money(Decimal("1234.5"), "XYZ") == "XYZ 1,234.50"


@pytest.mark.parametrize("first", [Decimal(0), Decimal("-0")])
def test_an_amount_reads_the_same_however_often_it_is_formatted(first):
    # Amounts are formatted once per process (kernel.money._formatted). Zero and minus zero are
    # equal as Decimals, yet read differently: whichever comes first, each keeps its own reading.
    _formatted.cache_clear()
    format_money(first, "IDR")
    assert format_money(Decimal("0.00"), "IDR") == "Rp 0"
    assert format_money(Decimal("-0.00"), "IDR") == "-Rp 0"
    # and 150000 reads alike written with cents or without, or as a whole number
    assert format_money(Decimal("150000.00"), "IDR") == format_money(150000, "IDR") == "Rp 150.000"
