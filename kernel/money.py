"""Money arithmetic and display: one place for the column, rounding, the deposit split and
formatting, for every app that holds an amount."""

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, format_decimal

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

# Under this, a price is more likely a slip ("85" meant as 85.000) than a price: the campaign
# editor asks the seller to confirm it. Other currencies have no such floor.
LOW_PRICE = {"IDR": Decimal(1000)}

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
    # -0 equals 0 (and hashes alike) but reads "-Rp 0": the sign is part of the key.
    return _formatted(amount, amount.is_signed(), currency)


@lru_cache(maxsize=4096)
def _formatted(amount: Decimal, signed: bool, currency: str) -> str:
    """An amount already rounded for its currency, formatted once per process: written the same
    whoever reads it (no active language in it), and Babel takes ~50 µs an amount where a page
    shows the same few prices again and again."""
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


def format_amount(amount: Decimal, currency: str) -> str:
    """The number alone, as the currency's country writes it (85.000; 12.50; 1.234,50): what
    a money input shows, and what a seller can type back."""
    pattern = "#,##0" if currency in ZERO_DECIMAL else "#,##0.00"
    locale = _HOME_LOCALE.get(currency, "en")
    return format_decimal(quantize(Decimal(amount), currency), format=pattern, locale=locale)


# --- amounts as people type them ---------------------------------------------------------------

# Written before or after the number, in any case: "Rp 85.000", "85.000 IDR", "12,50 €".
_CURRENCY_MARK = re.compile(r"^(rp|idr|rm|myr|s\$|sgd|us\$|usd|\$|€|eur|¥|jpy)|(rp|idr|€|eur)$")
# Indonesian shorthand: "85rb" is 85.000, "1,5jt" 1.500.000.
_MULTIPLIER = re.compile(r"(rb|ribu|k|jt|juta)$")
_MULTIPLIERS = {"rb": 1_000, "ribu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000}


class AmountNotUnderstood(ValueError):
    """Text that is not an amount; `code` says why: "invalid", or "decimals" for cents in a
    currency that has none."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def parse_amount(text: str, currency: str) -> Decimal:
    """`85000`, `85.000`, `Rp 85.000`, `Rp85.000,00`, `85rb` → 85000 in rupiah.

    Currencies without a minor unit have no decimals: a dot or comma before three digits
    separates thousands, a trailing `,00` (as banking apps show amounts) is dropped, and any
    other fraction is refused ("decimals"). Elsewhere the last dot or comma before one or two
    digits is the decimal point and the others separate thousands. Raises AmountNotUnderstood.
    """
    text = _CURRENCY_MARK.sub("", re.sub(r"\s", "", text.lower()))
    # A minus is read, so the form can say "more than zero" rather than "not a number".
    sign, text = (-1, text[1:]) if text.startswith("-") else (1, text)
    multiplier = 1
    if currency in ZERO_DECIMAL and (shorthand := _MULTIPLIER.search(text)):
        multiplier = _MULTIPLIERS[shorthand[1]]
        text = text[: shorthand.start()].replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise AmountNotUnderstood("invalid")
    elif currency in ZERO_DECIMAL:
        text = re.sub(r"[.,](?=\d{3}(?:[.,]|$))", "", text)
        text = re.sub(r"[.,]0{1,2}$", "", text)
        if re.fullmatch(r"\d+[.,]\d+", text):
            raise AmountNotUnderstood("decimals")
    else:
        whole, separator, fraction = re.fullmatch(r"(.*?)(?:([.,])(\d{1,2}))?", text).groups()
        grouped = re.search(r"[.,]", whole)
        if grouped and (not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", whole) or separator in whole):
            raise AmountNotUnderstood("invalid")
        text = re.sub(r"[.,]", "", whole) + (f".{fraction}" if separator else "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise AmountNotUnderstood("invalid")
    amount = sign * Decimal(text) * multiplier
    if currency in ZERO_DECIMAL and amount != amount.to_integral_value():
        raise AmountNotUnderstood("decimals")
    return amount
