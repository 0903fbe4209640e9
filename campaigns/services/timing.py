"""Order windows around pay day, suggested to the seller in the campaign editor.

Most buyers are paid at the end of the month (private employers around the 25th, the civil
service on the 1st), and a PO open across the end and the start of a month sells better than
one that closes just before the money arrives. A pay-day window opens on the 25th in the evening,
when buyers scroll their phones, and closes on the 2nd just before midnight, so it takes in both.

Pure: no database, no settings; every time is aware and in the time zone it is given.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

PAY_DAY = 25  # the window opens on this day of the month ...
OPENS_AT = time(20, 0)
CLOSING_DAY = 2  # ... and closes on this day of the next one
CLOSES_AT = time(23, 59)

# A window opening now is suggested only if it stays open at least MIN_LENGTH (buyers need a
# couple of evenings) and at most MAX_LENGTH (longer than most POs run), and only if it opens at
# least EARLIER_BY before the next pay-day window (or it would be the same suggestion twice).
MIN_LENGTH = timedelta(days=2)
MAX_LENGTH = timedelta(days=14)
EARLIER_BY = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime
    starts_now: bool = False  # opens at the next full hour, not on pay day

    @property
    def length(self) -> timedelta:
        return _between(self.opens_at, self.closes_at)

    @property
    def days(self) -> int:
        return round(self.length / timedelta(days=1))


def in_payday_span(day: int) -> bool:
    """Whether a day of the month (1–31) falls inside a pay-day window."""
    return day >= PAY_DAY or day <= CLOSING_DAY


def payday_window(year: int, month: int, tz: tzinfo) -> Window:
    """The window around the end of `month`: the 25th 20:00 to the 2nd of the next month 23:59."""
    next_year, next_month = _next_month(year, month)
    return Window(
        opens_at=datetime.combine(date(year, month, PAY_DAY), OPENS_AT, tzinfo=tz),
        closes_at=datetime.combine(date(next_year, next_month, CLOSING_DAY), CLOSES_AT, tzinfo=tz),
    )


def suggest_windows(*, now: datetime, tz: tzinfo, count: int = 3) -> list[Window]:
    """`count` windows to offer on `now`, in the shop's time zone `tz`, earliest first.

    First, where it fits the limits above, one that opens at the next full hour and closes
    after the coming (or current) pay day; then the pay-day windows that have not opened yet.
    """
    local = now.astimezone(tz)
    # Start a month back: on the 1st and the 2nd, last month's window is still open.
    year, month = _previous_month(local.year, local.month)
    current = None
    upcoming: list[Window] = []
    while len(upcoming) < count:
        window = payday_window(year, month, tz)
        if window.opens_at > now:
            upcoming.append(window)
        elif window.closes_at > now:
            current = window
        year, month = _next_month(year, month)

    closes_at = (current or upcoming[0]).closes_at
    from_now = Window(opens_at=_next_full_hour(local, tz), closes_at=closes_at, starts_now=True)
    fits = MIN_LENGTH <= from_now.length <= MAX_LENGTH
    if fits and _between(from_now.opens_at, upcoming[0].opens_at) >= EARLIER_BY:
        return [from_now, *upcoming][:count]
    return upcoming


def _next_full_hour(local: datetime, tz: tzinfo) -> datetime:
    this_hour = local.replace(minute=0, second=0, microsecond=0)
    # An hour later in UTC, not on the wall clock: the hour a daylight-saving change skips or
    # repeats is still an hour ahead.
    return (this_hour.astimezone(UTC) + timedelta(hours=1)).astimezone(tz)


def _between(start: datetime, end: datetime) -> timedelta:
    # In UTC: across a daylight-saving change the wall clock gains or loses an hour.
    return end.astimezone(UTC) - start.astimezone(UTC)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)
