"""Indonesia's provinces and cities/regencies (kota/kabupaten), the places a shop ships to.

`data/id_regions.csv` holds the 38 provinces (two-digit codes, as numbered since the 2022 Papua
split) and the 514 cities and regencies (four-digit BPS codes, each with the province it is in
today, renamed where it was renamed). A buyer picks one city or regency; a shop's shipping zone
names provinces or single cities (campaigns/services/shipping.py).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "id_regions.csv"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    province: str = ""  # the province's code; "" for a province itself

    @property
    def is_province(self) -> bool:
        return not self.province

    @property
    def label(self) -> str:
        """ "Kota Bandung, Jawa Barat": what a buyer picks and a courier reads."""
        if self.is_province:
            return self.name
        return f"{self.name}, {_all()[self.province].name}"


@cache
def _all() -> dict[str, Region]:
    with DATA.open(encoding="utf-8") as rows:
        return {row["code"]: Region(**row) for row in csv.DictReader(rows)}


def provinces() -> list[Region]:
    return [region for region in _all().values() if region.is_province]


def cities() -> list[Region]:
    """Every city and regency, by name."""
    return sorted(
        (region for region in _all().values() if not region.is_province),
        key=lambda region: region.label,
    )


def region(code: str) -> Region | None:
    return _all().get(code)


def city_by_label(label: str) -> Region | None:
    """The city or regency a buyer picked from the list, by its label, in any case."""
    wanted = " ".join(label.split()).casefold()
    return _by_label().get(wanted)


@cache
def _by_label() -> dict[str, Region]:
    return {city.label.casefold(): city for city in cities()}
