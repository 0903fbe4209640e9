"""Moments and days as people read them: the shop's time zone, the reader's language, and the
same format the pages use ("4 Dec 2026, 18:02 WIB")."""

from contextlib import nullcontext
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.formats import date_format

MOMENT_FORMAT = "j M Y, H:i T"
DAY_FORMAT = "j M Y"


def _reading(language: str | None):
    return translation.override(language) if language else nullcontext()


def shop_time(shop, moment: datetime, language: str | None = None) -> str:
    """`moment` in `shop`'s time zone, written for a reader of `language` (default: active)."""
    return zone_time(moment, shop.time_zone, language)


def zone_time(moment: datetime, zone: str, language: str | None = None) -> str:
    with _reading(language):
        return date_format(timezone.localtime(moment, ZoneInfo(zone)), MOMENT_FORMAT)


def shop_day(day: date, language: str | None = None) -> str:
    with _reading(language):
        return date_format(day, DAY_FORMAT)
