"""Bank Mandiri: the account statement CSV of Mandiri Internet Banking / Livin' (and MCM).

    Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,Debit,Credit,
    127...,25/11/19,25/11/19,2315,"SA OB CA No Book  DARI SARI","DP AB3CD5E",,.00,"350,000.00",

Two description columns, read together; dates day first with a two-digit year. Livin' exports
with Indonesian headings (Tgl., Rincian Transaksi, Debit, Kredit) read the same way.
"""

from payments.services.banks.common import Statement, Table, locate, rows, walk

TABLE = Table(
    date=("date", "tgl", "tanggal", "post date", "posting date"),
    description=("description", "rincian transaksi", "keterangan", "remarks", "additional desc"),
    credit=("credit", "kredit", "credit amount"),
    debit=("debit", "debet", "debit amount"),
    date_formats=("%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%Y-%m-%d"),
)


def parse(text: str) -> Statement:
    found_rows = rows(text)
    return walk(found_rows, locate(found_rows, TABLE, "Mandiri"), TABLE)
