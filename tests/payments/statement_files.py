"""Statement files written on the fly, in KlikBCA's layout (the samples show the real ones)."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile


def klikbca(lines: list[tuple[date, Decimal | int | str, str]], *, debit: bool = False) -> str:
    """A KlikBCA mutasi CSV with these credit lines (date, amount, description), in this order."""
    rows = [
        "No. rekening : ,'1234567890",
        "Periode : ,'01/05/2026 - 31/05/2026",
        "",
        "Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo",
    ]
    for day, amount, description in lines:
        rows.append(f"'{day:%d/%m/%Y},{description},'0000,{Decimal(amount):.2f},CR,0.00")
    if debit:
        rows.append("'05/05/2026,TRSF E-BANKING DB KONVEKSI,'0000,500000.00,DB,0.00")
    rows += ["", "Saldo Akhir,:,0.00"]
    return "\r\n".join(rows) + "\r\n"


def upload(text: str | bytes, name: str = "mutasi.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")
