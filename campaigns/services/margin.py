"""What a vendor quote means for the seller's money: revenue, cost, profit and break-even.

Pure Decimal arithmetic, no database. Revenue is counted at the average variant price (the
plain mean of the variants' prices), and the vendor bills at least its minimum run: fewer units
still cost `unit_cost × vendor_minimum`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kernel.money import quantize


@dataclass(frozen=True)
class Margin:
    units: int
    revenue: Decimal
    cost: Decimal
    profit: Decimal


def average_price(prices: Sequence[Decimal]) -> Decimal | None:
    """The plain mean of the variants' prices; None for a campaign without variants."""
    if not prices:
        return None
    return sum(prices, Decimal(0)) / len(prices)


def margin_at(
    *,
    units: int,
    prices: Sequence[Decimal],
    unit_cost: Decimal,
    vendor_minimum: int,
    currency: str,
) -> Margin:
    """Revenue, cost and profit if `units` are sold and produced by this vendor."""
    # units × (sum / n), dividing last so an average like 100/3 does not lose a rupiah per unit.
    revenue = (
        quantize(units * sum(prices, Decimal(0)) / len(prices), currency) if prices else Decimal(0)
    )
    cost = quantize(unit_cost * max(units, vendor_minimum), currency)
    return Margin(units=units, revenue=revenue, cost=cost, profit=revenue - cost)


def break_even_quantity(
    *, unit_cost: Decimal, vendor_minimum: int, prices: Sequence[Decimal]
) -> int | None:
    """Units to sell to pay for the vendor's minimum run:
    ceil(unit_cost × vendor_minimum / average price). None without prices."""
    if not prices:
        return None
    # unit_cost × minimum / (sum / n) == unit_cost × minimum × n / sum, exactly, with no
    # repeating decimal for the ceiling to trip over.
    return _ceil_div(unit_cost * vendor_minimum * len(prices), sum(prices, Decimal(0)))


def loses_on_every_unit(*, unit_cost: Decimal, prices: Sequence[Decimal]) -> bool:
    """True when a unit costs more than it sells for on average: no quantity breaks even
    once the vendor's minimum run is passed."""
    average = average_price(prices)
    return average is not None and unit_cost >= average


def suggested_minimum(*, break_even: int | None, vendor_minimum: int, capacity: int | None) -> int:
    """The larger of the break-even quantity and the vendor's minimum, never above capacity."""
    suggestion = max(break_even or 0, vendor_minimum, 1)
    return suggestion if capacity is None else min(suggestion, capacity)


def _ceil_div(numerator: Decimal, denominator: Decimal) -> int:
    whole, rest = divmod(numerator, denominator)
    return int(whole) + (1 if rest > 0 else 0)
