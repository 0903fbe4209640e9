"""When a shop's buyers order: its orders by day of the month and by hour of the day.

For the seller's history page (campaigns/views/history.py).
"""

from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from campaigns.models import Shop
from campaigns.timing import in_payday_span
from orders.models import CampaignHour

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

    Every order counts, whatever became of it since: one that later expired or was cancelled
    still tells when buyers come to order. Read from the hourly counts (orders/tally.py), one
    query whatever the number of orders; a shop in a half-hour time zone sees its hours rounded.
    """
    tz = ZoneInfo(shop.time_zone)
    by_day, by_hour, campaigns = Counter(), Counter(), set()
    for campaign_id, hour, orders in CampaignHour.objects.filter(campaign__shop=shop).values_list(
        "campaign_id", "hour", "orders"
    ):
        local = timezone.localtime(hour, tz)
        by_day[local.day] += orders
        by_hour[local.hour] += orders
        campaigns.add(campaign_id)
    return OrderHistory(by_day=dict(by_day), by_hour=dict(by_hour), campaigns=len(campaigns))
