"""Order windows around pay day (campaigns/services/timing.py): what the editor offers on a given
day."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from campaigns.services.timing import (
    MAX_LENGTH,
    MIN_LENGTH,
    in_payday_span,
    payday_window,
    suggest_windows,
)

JAKARTA = ZoneInfo("Asia/Jakarta")  # WIB, UTC+7
JAYAPURA = ZoneInfo("Asia/Jayapura")  # WIT, UTC+9
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30
AMSTERDAM = ZoneInfo("Europe/Amsterdam")  # summer time from the last Sunday of March


def at(tz, year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def spans(windows) -> list[tuple[str, str]]:
    """Each window as the seller reads it: opening and closing in the shop's wall time."""
    return [
        (w.opens_at.strftime("%Y-%m-%d %H:%M"), w.closes_at.strftime("%Y-%m-%d %H:%M"))
        for w in windows
    ]


def test_mid_month_the_next_three_pay_days_are_offered():
    # given the 10th of March, too early for a window opening now to be short enough
    now = at(JAKARTA, 2026, 3, 10)
    # when
    windows = suggest_windows(now=now, tz=JAKARTA)
    # then
    assert spans(windows) == [
        ("2026-03-25 20:00", "2026-04-02 23:59"),
        ("2026-04-25 20:00", "2026-05-02 23:59"),
        ("2026-05-25 20:00", "2026-06-02 23:59"),
    ]
    assert not any(w.starts_now for w in windows)
    assert all(w.opens_at.tzinfo is JAKARTA and w.closes_at.tzinfo is JAKARTA for w in windows)


def test_a_week_before_pay_day_a_window_from_now_comes_first():
    # given the 20th of December, 10:17 in Jakarta
    now = at(JAKARTA, 2026, 12, 20, 10, 17)
    # when
    first, *rest = suggest_windows(now=now, tz=JAKARTA)
    # then the first opens at the next full hour and closes after pay day, in the new year
    assert first.starts_now
    assert spans([first]) == [("2026-12-20 11:00", "2027-01-02 23:59")]
    assert first.days == 14
    # and December runs into January
    assert spans(rest) == [
        ("2026-12-25 20:00", "2027-01-02 23:59"),
        ("2027-01-25 20:00", "2027-02-02 23:59"),
    ]
    assert rest[0].days == 8


def test_inside_the_pay_day_window_the_rest_of_it_is_offered_then_next_months():
    # given New Year's Eve
    now = at(JAKARTA, 2026, 12, 31, 9, 30)
    # when
    windows = suggest_windows(now=now, tz=JAKARTA)
    # then
    assert spans(windows) == [
        ("2026-12-31 10:00", "2027-01-02 23:59"),
        ("2027-01-25 20:00", "2027-02-02 23:59"),
        ("2027-02-25 20:00", "2027-03-02 23:59"),
    ]
    assert windows[0].starts_now


def test_on_the_last_day_of_a_month_the_window_runs_over_into_the_next():
    # given the 31st of January
    windows = suggest_windows(now=at(JAKARTA, 2026, 1, 31), tz=JAKARTA)
    # then
    assert spans(windows)[0] == ("2026-01-31 11:00", "2026-02-02 23:59")
    # and the one on the 30th of April (a 30-day month) the same way
    windows = suggest_windows(now=at(JAKARTA, 2026, 4, 30), tz=JAKARTA)
    assert spans(windows)[0] == ("2026-04-30 11:00", "2026-05-02 23:59")


def test_too_little_left_of_a_window_is_not_offered():
    # given the 1st at 10:00: not two days left before the 2nd 23:59
    windows = suggest_windows(now=at(JAKARTA, 2026, 2, 1), tz=JAKARTA)
    # then only whole pay-day windows, still three of them
    assert spans(windows) == [
        ("2026-02-25 20:00", "2026-03-02 23:59"),
        ("2026-03-25 20:00", "2026-04-02 23:59"),
        ("2026-04-25 20:00", "2026-05-02 23:59"),
    ]


def test_the_evening_before_pay_day_a_window_from_now_would_be_the_same_suggestion():
    # given the 24th at 21:30: "from now" would open less than a day before the 25th 20:00
    windows = suggest_windows(now=at(JAKARTA, 2026, 6, 24, 21, 30), tz=JAKARTA)
    # then
    assert not any(w.starts_now for w in windows)
    assert spans(windows)[0] == ("2026-06-25 20:00", "2026-07-02 23:59")


def test_february_is_short_and_a_leap_year_gives_it_a_day_more():
    # given
    plain = payday_window(2026, 2, JAKARTA)
    leap = payday_window(2028, 2, JAKARTA)
    # then both close on the 2nd of March, a day longer in the leap year
    assert spans([plain, leap]) == [
        ("2026-02-25 20:00", "2026-03-02 23:59"),
        ("2028-02-25 20:00", "2028-03-02 23:59"),
    ]
    assert (plain.days, leap.days) == (5, 6)
    assert payday_window(2026, 1, JAKARTA).days == 8


def test_the_shops_calendar_decides_not_utc():
    # given 2 January, 18:00 UTC: still the 2nd in London, already the 3rd in Jakarta
    now = datetime(2027, 1, 2, 18, 0, tzinfo=UTC)
    # when
    windows = suggest_windows(now=now, tz=JAKARTA)
    # then December's window is over for a shop in Jakarta
    assert spans(windows)[0] == ("2027-01-25 20:00", "2027-02-02 23:59")


def test_the_same_moment_is_before_pay_day_evening_in_jakarta_and_after_it_in_jayapura():
    # given 25 December, 12:30 UTC: 19:30 in Jakarta, 21:30 in Jayapura
    now = datetime(2026, 12, 25, 12, 30, tzinfo=UTC)
    # when
    jakarta = suggest_windows(now=now, tz=JAKARTA)
    jayapura = suggest_windows(now=now, tz=JAYAPURA)
    # then Jakarta's pay-day window has not opened yet
    assert spans(jakarta)[0] == ("2026-12-25 20:00", "2027-01-02 23:59")
    assert jakarta[0].opens_at == datetime(2026, 12, 25, 13, 0, tzinfo=UTC)
    # and Jayapura's is open: the rest of it comes first
    assert jayapura[0].starts_now
    assert spans(jayapura)[0] == ("2026-12-25 22:00", "2027-01-02 23:59")
    assert jayapura[0].closes_at == datetime(2027, 1, 2, 14, 59, tzinfo=UTC)


def test_a_window_from_now_opens_on_the_full_hour_of_the_shops_clock():
    # given 14:23 in Kolkata, half an hour off the UTC hours
    windows = suggest_windows(now=at(KOLKATA, 2026, 7, 22, 14, 23), tz=KOLKATA)
    # then
    assert windows[0].starts_now
    assert windows[0].opens_at.astimezone(KOLKATA).time() == time(15, 0)


def test_across_a_change_to_summer_time_the_wall_clock_times_stay():
    # given a shop in Amsterdam, whose clocks go forward on 29 March 2026
    window = payday_window(2026, 3, AMSTERDAM)
    # then it opens at 20:00 winter time and closes at 23:59 summer time
    assert spans([window]) == [("2026-03-25 20:00", "2026-04-02 23:59")]
    assert window.opens_at.utcoffset() == timedelta(hours=1)
    assert window.closes_at.utcoffset() == timedelta(hours=2)
    # and its length counts the hour the clocks skipped
    assert window.length == timedelta(days=8, hours=2, minutes=59)


def test_pay_day_span_runs_from_the_25th_to_the_2nd():
    assert [day for day in range(1, 32) if in_payday_span(day)] == [
        1,
        2,
        25,
        26,
        27,
        28,
        29,
        30,
        31,
    ]


ZONES = st.sampled_from([JAKARTA, JAYAPURA, KOLKATA, AMSTERDAM, ZoneInfo("America/Sao_Paulo")])
MOMENTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2040, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)


@given(now=MOMENTS, tz=ZONES)
def test_every_suggestion_is_ahead_spans_a_month_end_and_closes_on_the_2nd(now, tz):
    # when
    windows = suggest_windows(now=now, tz=tz)
    # then
    assert len(windows) == 3
    assert [w.opens_at for w in windows] == sorted(w.opens_at for w in windows)
    for window in windows:
        opens, closes = window.opens_at.astimezone(tz), window.closes_at.astimezone(tz)
        assert now < window.opens_at < window.closes_at
        assert (closes.day, closes.time()) == (2, time(23, 59))
        assert opens.month != closes.month  # open across the end of a month
        if window.starts_now:
            assert MIN_LENGTH <= window.length <= MAX_LENGTH
            assert opens.minute == 0 and window.opens_at - now <= timedelta(hours=1)
        else:
            assert (opens.day, opens.time()) == (25, time(20, 0))
    assert sum(w.starts_now for w in windows) <= 1
