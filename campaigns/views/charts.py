"""Small charts drawn on the server as SVG: no chart library, no script.

templates/dashboard/_bar_chart.html draws the bars; the page gives them a title and, where the
numbers matter, a table beside them.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format


@dataclass(frozen=True)
class Bar:
    key: Hashable  # what the bar counts: a day, a day of the month, an hour
    label: str  # the key as the page writes it
    value: int
    x: float
    y: float
    width: float
    height: float
    highlight: bool = False

    @property
    def middle(self) -> float:
        """Where the bar's value is written, above it."""
        return self.x + self.width / 2


WIDTH, HEIGHT = 300, 100
# The top of the box stays free for the tallest bar's value.
LABEL_ROOM = 12


def bars(
    counts: Mapping,
    keys: Iterable,
    *,
    label: Callable[..., str] = str,
    highlight: Callable[..., bool] | None = None,
) -> list[Bar]:
    """One bar per key, in order, scaled into a WIDTH x HEIGHT box under LABEL_ROOM; a key
    without a count is 0."""
    keys = list(keys)
    top = max(counts.values(), default=0) or 1
    step = WIDTH / max(len(keys), 1)
    drawn = []
    for i, key in enumerate(keys):
        value = counts.get(key, 0)
        height = (HEIGHT - LABEL_ROOM) * value / top
        drawn.append(
            Bar(
                key,
                label(key),
                value,
                x=i * step,
                y=HEIGHT - height,
                # A gap of a fifth of the step keeps neighbouring bars apart.
                width=step * 0.8,
                height=height,
                highlight=bool(highlight and highlight(key)),
            )
        )
    return drawn


def daily_bars(counts: dict[date, int], first: date, last: date) -> list[Bar]:
    """One bar per day from `first` to `last`."""
    days = max((last - first).days + 1, 1)
    return bars(
        counts,
        (first + timedelta(days=i) for i in range(days)),
        label=lambda day: date_format(day, "j M"),
    )
