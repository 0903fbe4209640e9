"""Money arithmetic and display: one place for the column, rounding, the deposit split and
formatting, for every app that holds an amount."""

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_currency

# Currencies shown and rounded without a minor unit. IDR has cents on paper but none in practice.
ZERO_DECIMAL = frozenset({"IDR", "JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})

# Each currency is written the way its own country writes it, whoever reads the page: a Jakarta
# shop's prices read "Rp 150.000" in English too. Patterns and symbols come from CLDR (Babel).
_HOME_LOCALE = {
    "IDR": "id_ID",
    "MYR": "ms_MY",
    "SGD": "en_SG",
    "USD": "en_US",
    "EUR": "de_DE",
    "JPY": "ja_JP",
}
# Indonesian sellers and banks put a space after "Rp", which CLDR leaves out; a code with no
# symbol (a currency staff set by hand) reads better with one too.
_PATTERN = {"IDR": "¤ #,##0"}
_UNKNOWN_PATTERN = "¤ #,##0.00"

# Every amount column: up to a trillion rupiah, with room for the cents other currencies have.
MONEY = {"max_digits": 14, "decimal_places": 2}

ONE = Decimal(1)
CENT = Decimal("0.01")


def minor_unit(currency: str) -> Decimal:
    return ONE if currency in ZERO_DECIMAL else CENT


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to what the currency is paid in."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def whole_units(amount: Decimal) -> Decimal:
    """Round half-up to whole currency units, as deposits are (DESIGN.md, Money)."""
    return amount.quantize(ONE, rounding=ROUND_HALF_UP)


def split_deposit(
    *, subtotal: Decimal, units: int, rule: str, value: Decimal
) -> tuple[Decimal, Decimal]:
    """Return (deposit, balance) for an order; they always add up to the subtotal.

    `rule` is a Campaign.DepositRule value: "percent" of the subtotal, "fixed" amount per unit
    (never more than the subtotal), or "full" payment up front.
    """
    if rule == "full":
        deposit = subtotal
    elif rule == "percent":
        deposit = whole_units(subtotal * value / 100)
    elif rule == "fixed":
        deposit = whole_units(value * units)
    else:
        raise ValueError(f"unknown deposit rule {rule!r}")
    deposit = min(deposit, subtotal)
    return deposit, subtotal - deposit


def format_money(amount: Decimal, currency: str) -> str:
    """`Rp 150.000`, `$12.50`, `1.234,50 €`: the currency's own symbol, separators and decimals."""
    amount = quantize(Decimal(amount), currency)
    locale = _HOME_LOCALE.get(currency)
    if currency in _PATTERN:
        pattern = _PATTERN[currency]
    elif locale is None:
        pattern = _UNKNOWN_PATTERN
    else:
        pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if currency in ZERO_DECIMAL:
        pattern = pattern.replace(".00", "")
    return format_currency(
        amount, currency, format=pattern, locale=locale or "en", currency_digits=False
    )
