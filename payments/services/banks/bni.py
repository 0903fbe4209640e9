"""BNI: the transaction history CSV of BNI Internet Banking / BNI Direct.

    Post Date,Value Date,Branch,Journal No.,Description,Debit,Credit
    02/05/26 06.25.21,02/05/26 06.25.21,0996,932902,TRANSFER DARI | ... Sdr SARI,.00,"150,123.00"

Dates day first with a time after them; some exports give one amount with a DB/CR column instead
of Debit and Credit.
"""

from payments.services.banks.common import Statement, Table, locate, rows, walk

TABLE = Table(
    date=("post date", "posting date", "tanggal transaksi", "tanggal"),
    description=("description", "transaction description", "keterangan", "uraian transaksi"),
    credit=("credit", "kredit"),
    debit=("debit", "debet"),
    amount=("amount", "nominal"),
    date_formats=("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"),
)


def parse(text: str) -> Statement:
    found_rows = rows(text)
    return walk(found_rows, locate(found_rows, TABLE, "BNI"), TABLE)
