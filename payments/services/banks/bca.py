"""BCA: the "mutasi rekening" KlikBCA downloads (Individu and Bisnis), as CSV or as text.

    No. rekening : ,'1234567890                      ← a few lines about the account
    Periode : ,'01/05/2026 - 31/05/2026
    Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo  ← or Date,Description,Branch,Amount,,Balance
    '02/05/2026,TRSF E-BANKING CR 0205/FTSCY/WS95051 ...,'0000,150123.00,CR,1650123.00
    PEND,TRSF E-BANKING CR ...,'0000,75000.00,CR,1725123.00  ← not booked yet: left for later
    Saldo Awal,:,1500000.00                            ← the summary closes the file

KlikBCA Bisnis writes the marker after the number in one cell (`"799,700.00 CR"`) and may leave
the year out of the date (`'02/05`): the year then comes from the period line, else from the day
the file is read (a date later than that is last year's).
"""

import re
from datetime import date

from django.utils import timezone

from payments.services.banks.common import Statement, Table, locate, read_date, rows, walk

TABLE = Table(
    date=("tanggal transaksi", "tanggal", "tgl", "date", "transaction date"),
    description=("keterangan", "description"),
    amount=("jumlah", "amount", "mutasi"),
    date_formats=("%d/%m/%Y", "%d/%m/%y"),
    pending=("PEND",),
)
PERIOD = re.compile(r"(\d{2})/(\d{2})/(\d{4})\s*-\s*(\d{2})/(\d{2})/(\d{4})")


def parse(text: str, *, today: date | None = None) -> Statement:
    found_rows = rows(text)
    found = locate(found_rows, TABLE, "BCA")
    period_end = _period_end(found_rows[: found.header_at])
    anchor = period_end or today or timezone.localdate()

    def dated(value: str) -> date | None:
        full = read_date(value, TABLE.date_formats)
        if full is not None:
            return full
        day_month = re.fullmatch(r"'?(\d{2})/(\d{2})", value.strip())
        if day_month is None:
            return None
        day, month = int(day_month[1]), int(day_month[2])
        year = anchor.year - 1 if (month, day) > (anchor.month, anchor.day) else anchor.year
        try:
            return date(year, month, day)
        except ValueError:
            return None

    return walk(found_rows, found, TABLE, dated=dated)


def _period_end(preamble) -> date | None:
    for _line, cells in preamble:
        match = PERIOD.search(" ".join(cells))
        if match:
            day, month, year = (int(match[n]) for n in (4, 5, 6))
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None
