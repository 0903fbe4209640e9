"""When a shop's buyers order: its orders by day of the month and by hour of the day.

Counted in SQL in the shop's time zone, in a fixed number of queries whatever the number of
orders, for the seller's history page (campaigns/views/history.py).
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import ExtractDay, ExtractHour

from campaigns.models import Shop
from campaigns.timing import in_payday_span
from orders.models import Order

# Every order a buyer placed, whatever became of it since. An order that later expired (the
# deposit never came) or was cancelled still tells when buyers come to order, which is what the
# page is about. Listed rather than left unfiltered, so that a status added later (a basket not
# yet sent, say) is counted by decision, not by accident.
PLACED = (*Order.ACTIVE, Order.Status.EXPIRED, Order.Status.CANCELLED)

DAYS = range(1, 32)
HOURS = range(24)


@dataclass(frozen=True)
class OrderHistory:
    by_day: dict[int, int]  # day of the month (1–31) → orders placed on it; missing days had none
    by_hour: dict[int, int]  # hour of the day (0–23) → orders placed within it
    campaigns: int  # campaigns with at least one order

    @property
    def total(self) -> int:
        return sum(self.by_day.values())

    def busiest_days(self, n: int = 3) -> list[int]:
        return _busiest(self.by_day, n)

    def busiest_hours(self, n: int = 3) -> list[int]:
        return _busiest(self.by_hour, n)

    @property
    def payday_percent(self) -> int:
        """The share of orders placed inside a pay-day window (the 25th to the 2nd), in percent."""
        if not self.total:
            return 0
        around_payday = sum(n for day, n in self.by_day.items() if in_payday_span(day))
        return round(100 * around_payday / self.total)


def _busiest(counts: dict[int, int], n: int) -> list[int]:
    # Most orders first; a tie goes to the earlier day or hour, so the page does not reshuffle.
    busy = [key for key, count in counts.items() if count]
    return sorted(busy, key=lambda key: (-counts[key], key))[:n]


def order_history(shop: Shop) -> OrderHistory:
    """Every order placed in the shop's campaigns, counted by day and hour in its time zone.

    Three queries: per day, per hour, and the number of campaigns.
    """
    tz = ZoneInfo(shop.time_zone)
    orders = Order.objects.filter(campaign__shop=shop, status__in=PLACED)
    return OrderHistory(
        by_day=_count(orders, ExtractDay("created_at", tzinfo=tz)),
        by_hour=_count(orders, ExtractHour("created_at", tzinfo=tz)),
        campaigns=orders.aggregate(n=Count("campaign", distinct=True))["n"],
    )


def _count(orders, part) -> dict[int, int]:
    rows = orders.annotate(part=part).values("part").annotate(n=Count("id")).order_by("part")
    return {row["part"]: row["n"] for row in rows}
