"""Amounts read the way sellers and buyers type them: in rupiah "85.000", "85000", "Rp 85.000"
and "85rb" are all 85,000, and cents are refused with a message that says so."""

from decimal import Decimal

import pytest
from django import forms

from kernel.forms import AmountField
from kernel.money import AmountNotUnderstood, format_amount, parse_amount


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("85000", "IDR", Decimal(85000)),
        ("85.000", "IDR", Decimal(85000)),
        ("85,000", "IDR", Decimal(85000)),
        ("Rp 85.000", "IDR", Decimal(85000)),
        ("rp85.000", "IDR", Decimal(85000)),
        ("85.000 IDR", "IDR", Decimal(85000)),
        ("Rp75.123,00", "IDR", Decimal(75123)),
        ("1.500.000", "IDR", Decimal(1500000)),
        ("85rb", "IDR", Decimal(85000)),
        ("85 ribu", "IDR", Decimal(85000)),
        ("1,5jt", "IDR", Decimal(1500000)),
        ("1.5 juta", "IDR", Decimal(1500000)),
        ("12.50", "USD", Decimal("12.50")),
        ("$1,234.56", "USD", Decimal("1234.56")),
        ("1.234,56 €", "EUR", Decimal("1234.56")),
        ("RM 99.90", "MYR", Decimal("99.90")),
        ("-5.000", "IDR", Decimal(-5000)),
    ],
)
def test_amounts_are_read_the_way_people_type_them(typed, currency, amount):
    assert parse_amount(typed, currency) == amount


@pytest.mark.parametrize(
    ("typed", "currency", "why"),
    [
        ("85.000,50", "IDR", "decimals"),
        ("85.5", "IDR", "decimals"),
        ("85000.25", "IDR", "decimals"),
        ("1,2345rb", "IDR", "decimals"),
        ("seventy", "IDR", "invalid"),
        ("1e9", "IDR", "invalid"),
        ("12.345.6", "USD", "invalid"),
    ],
)
def test_what_is_not_an_amount_is_refused_and_says_why(typed, currency, why):
    with pytest.raises(AmountNotUnderstood) as refused:
        parse_amount(typed, currency)
    assert refused.value.code == why


def test_the_field_explains_cents_in_rupiah_and_shows_amounts_as_the_currency_writes_them():
    field = AmountField(currency="IDR")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("85.000,50")
    assert refused.value.messages == ["IDR has no cents: enter a whole amount, e.g. Rp 85.000."]
    assert field.prepare_value(Decimal("85000.00")) == "85.000"
    assert format_amount(Decimal("1234.5"), "EUR") == "1.234,50"
