"""Any other CSV (another bank, an e-wallet, a spreadsheet of mutasi kept by hand): the seller
picks which column holds the date, the description and the money in. Dates are read day first,
as Indonesian banks write them; an empty, zero or negative amount is not money in.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from payments.exceptions import StatementUnreadable
from payments.services.banks.common import Found, Statement, Table, rows, walk

TABLE = Table(
    date=(),
    description=(),
    date_formats=(
        "%d/%m/%Y",
        "%d/%m/%y",
        "%d-%m-%Y",
        "%d-%m-%y",
        "%d.%m.%Y",
        "%Y-%m-%d",
        "%Y/%m/%d",
    ),
)
# Rows shown to the seller to pick the columns from.
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class Columns:
    """Which column (0-based) holds what, and whether the first row names them."""

    date: int
    description: int
    credit: int
    header: bool = True

    @classmethod
    def from_json(cls, data: dict) -> "Columns":
        return cls(
            date=int(data["date"]),
            description=int(data["description"]),
            credit=int(data["credit"]),
            header=bool(data.get("header", True)),
        )

    def as_json(self) -> dict:
        return {
            "date": self.date,
            "description": self.description,
            "credit": self.credit,
            "header": self.header,
        }


def preview_rows(text: str) -> list[list[str]]:
    """The first rows of the file, cells trimmed: what the seller picks the columns from."""
    found = [cells for _line, cells in rows(text) if any(c.strip() for c in cells)]
    if not found:
        raise StatementUnreadable(_("The file is empty."))
    return [[c.strip() for c in cells] for cells in found[:PREVIEW_ROWS]]


def parse_columns(text: str, columns: Columns) -> Statement:
    found_rows = rows(text)
    filled = [at for at, (_line, cells) in enumerate(found_rows) if any(c.strip() for c in cells)]
    if not filled:
        raise StatementUnreadable(_("The file is empty."))
    width = max(len(cells) for _line, cells in found_rows)
    if max(columns.date, columns.description, columns.credit) >= width:
        raise StatementUnreadable(_("The file has no such column; choose the columns again."))
    header_at = filled[0] if columns.header else filled[0] - 1
    found = Found(header_at, columns.date, [columns.description], credit=columns.credit)
    return walk(found_rows, found, TABLE)
