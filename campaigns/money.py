"""Money arithmetic and display: one place for rounding, the deposit split and formatting.

It lives in `campaigns` (the lowest app) because the currency belongs to the shop and the deposit
rule to the campaign, and both `orders` and `payments` need it.
"""

from decimal import ROUND_HALF_UP, Decimal

# Currencies shown and rounded without a minor unit. IDR has cents on paper but none in practice.
ZERO_DECIMAL = frozenset({"IDR", "JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD"})

# symbol, thousands separator, decimal separator
_STYLE = {
    "IDR": ("Rp", ".", ","),
    "MYR": ("RM", ",", "."),
    "SGD": ("S$", ",", "."),
    "USD": ("US$", ",", "."),
    "EUR": ("€", ".", ","),
    "JPY": ("¥", ",", "."),
}

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
    """`Rp 150.000`, `US$ 12.50`: the currency's symbol and separators, no trailing noise."""
    symbol, thousands, decimal_sep = _STYLE.get(currency, (currency, ",", "."))
    amount = quantize(Decimal(amount), currency)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    text = f"{grouped}{decimal_sep}{fraction}" if fraction else grouped
    return f"{sign}{symbol} {text}"
