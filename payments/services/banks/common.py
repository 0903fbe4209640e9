"""What every statement reader shares: the Entry it gives back, amounts and dates as banks write
them, and the table walk (a header row, then transaction rows, then a footer) most layouts are."""

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from payments.exceptions import StatementUnreadable

# More rows than any shop's month: a bigger file is something else, or should be split.
MAX_ROWS = 20_000
# A description longer than this is cut (the column holds 500 characters).
MAX_DESCRIPTION = 500
# First cells that end the transactions: the summary under them (BCA, BNI, generic exports).
FOOTER = re.compile(
    r"^(saldo awal|saldo akhir|mutasi kredit|mutasi debet|mutasi debit|total|opening balance|"
    r"closing balance|starting balance|ending balance)\b",
    re.IGNORECASE,
)
CREDIT_MARKS = frozenset({"CR", "C", "K", "KR", "CREDIT", "KREDIT"})
DEBIT_MARKS = frozenset({"DB", "D", "DR", "DEBIT", "DEBET"})


@dataclass(frozen=True)
class Entry:
    """One line of a statement, as the bank wrote it."""

    row: int  # the file's line where it starts, 1-based
    booked_on: date | None  # None: still pending at the bank (BCA's "PEND"), booked later
    amount: Decimal  # always positive
    credit: bool  # money in
    description: str  # its lines joined, spaces collapsed


@dataclass
class Statement:
    entries: list[Entry] = field(default_factory=list)

    @property
    def credits(self) -> list[Entry]:
        """Money in that the bank has booked: what may pay an order."""
        return [e for e in self.entries if e.credit and e.booked_on is not None]

    @property
    def debits(self) -> int:
        return sum(not e.credit for e in self.entries)

    @property
    def pending(self) -> int:
        return sum(e.credit and e.booked_on is None for e in self.entries)


def read_amount(text: str) -> Decimal | None:
    """`1.250.000,00`, `1,250,000.00`, `1250000.00`, `150.000`, `.00`, `Rp 150.000` → Decimal.

    The last dot or comma before one or two final digits is the decimal point; every other dot
    or comma separates thousands. None when it is not an amount.
    """
    text = re.sub(r"[\s\u00a0']", "", text or "")
    text = re.sub(r"^(rp|idr)", "", text, flags=re.IGNORECASE)
    if not re.fullmatch(r"[0-9.,]*[0-9][0-9.,]*", text):
        return None
    decimals = re.search(r"[.,]([0-9]{1,2})$", text)
    whole = text[: decimals.start()] if decimals else text
    whole = re.sub(r"[.,]", "", whole) or "0"
    try:
        return Decimal(f"{whole}.{decimals.group(1)}" if decimals else whole)
    except InvalidOperation:
        return None


def read_date(text: str, formats: Sequence[str]) -> date | None:
    """The first of `formats` the text reads as (a time after the date is ignored where the
    format stops before it); None when none does."""
    text = " ".join((text or "").strip().strip("'").split())
    for pattern in formats:
        size = len(datetime(2000, 12, 31, 23, 59, 59).strftime(pattern))
        head, rest = text[:size], text[size:]
        if rest and rest[0] not in " T":
            continue
        try:
            return datetime.strptime(head, pattern).date()
        except ValueError:
            continue
    return None


def cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip().strip("'").strip()


def text_of(*parts: str) -> str:
    return " ".join(" ".join(parts).split())[:MAX_DESCRIPTION]


def rows(text: str, *, delimiter: str | None = None) -> list[tuple[int, list[str]]]:
    """(line where the row starts, cells) of every row; quoted cells may span lines. The
    delimiter, unless given, is the one of comma, semicolon or tab the first lines use most."""
    if delimiter is None:
        head = "\n".join(text.splitlines()[:40])
        delimiter = max((",", ";", "\t"), key=head.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    found = []
    start = 1
    try:
        for cells in reader:
            found.append((start, cells))
            start = reader.line_num + 1
            if len(found) > MAX_ROWS:
                raise StatementUnreadable(
                    _("The file has more than %(n)d lines: import one month at a time.")
                    % {"n": MAX_ROWS}
                )
    except csv.Error as error:
        raise StatementUnreadable(
            _("Line %(line)d could not be read as CSV (%(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error
    return found


def normal(name: str) -> str:
    """A header cell as compared: lower case, no quotes, no dots, spaces collapsed."""
    name = name.replace("\ufeff", "").strip().strip("'\"").lower().replace(".", " ")
    return " ".join(name.split())


@dataclass(frozen=True)
class Table:
    """Where a layout's columns are, by the names its header row gives them (any of each)."""

    date: tuple[str, ...]
    description: tuple[str, ...]  # every one found is read, in this order, and joined
    date_formats: tuple[str, ...]
    credit: tuple[str, ...] = ()  # a column of money in...
    debit: tuple[str, ...] = ()  # ... and one of money out
    amount: tuple[str, ...] = ()  # or one amount, marked CR/DB after it or in the next column
    pending: tuple[str, ...] = ()  # what the date cell says for a line not booked yet


@dataclass(frozen=True)
class Found:
    """A Table located in a file: the header's row and the indices of its columns."""

    header_at: int  # index into the rows
    date: int
    description: list[int]
    credit: int | None = None
    debit: int | None = None
    amount: int | None = None


def locate(found_rows: list[tuple[int, list[str]]], table: Table, bank: str) -> Found:
    """The first row naming the table's date, description and amount columns."""
    for at, (_line, cells) in enumerate(found_rows[:60]):
        names = [normal(c) for c in cells]

        def first(options: tuple[str, ...], names=names) -> int | None:
            return next((names.index(o) for o in options if o in names), None)

        date_at = first(table.date)
        described = [i for i, name in enumerate(names) if name in table.description]
        credit_at, amount_at = first(table.credit), first(table.amount)
        if date_at is not None and described and (credit_at is not None or amount_at is not None):
            return Found(at, date_at, described, credit_at, first(table.debit), amount_at)
    raise StatementUnreadable(
        _(
            "This does not look like a %(bank)s statement: no header row with the date, the "
            "description and the amount was found. Check the bank you chose, or choose “Another "
            "CSV” and pick the columns."
        )
        % {"bank": bank}
    )


def walk(
    found_rows: list[tuple[int, list[str]]],
    found: Found,
    table: Table,
    *,
    dated: Callable[[str], date | None] | None = None,
) -> Statement:
    """Read every row after the header until the footer: a transaction, a continuation of the
    one before (a description wrapped onto the next row, its other cells empty), or a blank.
    Anything else stops the import at that line: a file half read would mislead."""
    dated = dated or (lambda text: read_date(text, table.date_formats))
    statement = Statement()
    for line, cells in found_rows[found.header_at + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        first = cell(cells, 0)
        if FOOTER.match(first) or FOOTER.match(cell(cells, found.date)):
            break
        when_text = cell(cells, found.date)
        words = text_of(*(cell(cells, i) for i in found.description))
        if not when_text and statement.entries and not _money_cells(cells, found):
            last = statement.entries[-1]
            statement.entries[-1] = replace(last, description=text_of(last.description, words))
            continue
        pending = when_text.upper() in table.pending
        booked_on = None if pending else dated(when_text)
        if booked_on is None and not pending:
            raise StatementUnreadable(
                _("Line %(line)d: “%(date)s” is not a date this bank writes.")
                % {"line": line, "date": when_text[:40]}
            )
        amount, credit = _money(cells, found, line)
        if amount:
            statement.entries.append(Entry(line, booked_on, amount, credit, words))
    return statement


def _money_cells(cells: list[str], found: Found) -> bool:
    return any(cell(cells, i) for i in (found.credit, found.debit, found.amount) if i is not None)


def _money(cells: list[str], found: Found, line: int) -> tuple[Decimal, bool]:
    """(amount, money in?) of a row; a zero amount is (0, True) and is left out."""
    if found.credit is not None:
        credit, debit = cell(cells, found.credit), cell(cells, found.debit)
        if credit.startswith("-") or credit.startswith("("):
            # One signed amount column (a spreadsheet, an e-wallet): below zero is money out.
            credit, debit = "", credit.strip("-() ")
        money_in, money_out = read_amount(credit or "0"), read_amount(debit or "0")
        if money_in is None or money_out is None:
            raise _unreadable_amount(line, credit if money_in is None else debit)
        return (money_in, True) if money_in > 0 else (money_out, False)
    raw = cell(cells, found.amount)
    mark = re.search(r"([A-Za-z]+)\s*$", raw)
    if mark:
        raw, mark = raw[: mark.start()], mark.group(1).upper()
    else:
        mark = cell(cells, found.amount + 1).upper()
    amount = read_amount(raw)
    if amount is None or mark not in CREDIT_MARKS | DEBIT_MARKS:
        raise _unreadable_amount(line, cell(cells, found.amount))
    return amount, mark in CREDIT_MARKS


def _unreadable_amount(line: int, text: str) -> StatementUnreadable:
    return StatementUnreadable(
        _("Line %(line)d: “%(amount)s” is not an amount this bank writes.")
        % {"line": line, "amount": text[:40]}
    )
