"""Small charts drawn on the server as SVG: no chart library, no script."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Bar:
    day: date
    value: int
    x: float
    y: float
    width: float
    height: float


WIDTH, HEIGHT = 300, 100


def daily_bars(counts: dict[date, int], first: date, last: date) -> list[Bar]:
    """One bar per day from `first` to `last`, scaled into a WIDTH x HEIGHT box."""
    days = max((last - first).days + 1, 1)
    top = max(counts.values(), default=0) or 1
    step = WIDTH / days
    bars = []
    for i in range(days):
        day = first + timedelta(days=i)
        value = counts.get(day, 0)
        height = HEIGHT * value / top
        # A gap of a fifth of the step keeps neighbouring days apart.
        bars.append(Bar(day, value, x=i * step, y=HEIGHT - height, width=step * 0.8, height=height))
    return bars
