"""BRI: the account statement ("mutasi") CSV of BRI's business banking (CMS / IBBIZ, BRImo's
export), comma or semicolon separated, headed by field names:

    NOREK;TGL_TRAN;TGL_EFEKTIF;JAM_TRAN;DESK_TRAN;REMARK_CUSTOM;MUTASI_DEBET;MUTASI_KREDIT;...
    0385...;2026-05-02 09:14:03;2026-05-02;91403;TRANSFER DARI SARI;DP AB3CD5E;0.00;150123.00;...

The older Internet Banking BRI export (DATE, TIME, REMARK, DEBET, CREDIT, LEDGER, TELLER ID)
reads the same way.
"""

from payments.services.banks.common import Statement, Table, locate, rows, walk

TABLE = Table(
    date=("tgl_tran", "date", "tanggal transaksi", "tanggal"),
    description=("desk_tran", "remark_custom", "remark", "uraian transaksi", "keterangan"),
    credit=("mutasi_kredit", "credit", "kredit"),
    debit=("mutasi_debet", "debet", "debit"),
    date_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y"),
)


def parse(text: str) -> Statement:
    found_rows = rows(text)
    return walk(found_rows, locate(found_rows, TABLE, "BRI"), TABLE)
