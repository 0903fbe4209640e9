"""Reading the banks' statement exports (tests/payments/statements/): every layout gives the same
Entries, money in apart from money out, whatever the bank's separators, markers and footers."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from payments.exceptions import StatementUnreadable
from payments.services.banks import READERS, Columns, parse_columns, preview_rows
from payments.services.banks.bca import parse as parse_bca
from payments.services.banks.common import read_amount

SAMPLES = Path(__file__).parent / "statements"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def credits(statement) -> list[tuple[date, Decimal, str]]:
    return [(e.booked_on, e.amount, e.description) for e in statement.credits]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.250.000,00", "1250000.00"),
        ("1,250,000.00", "1250000.00"),
        ("1250000.00", "1250000.00"),
        ("150.000", "150000"),
        ("150,000", "150000"),
        (".00", "0.00"),
        ("Rp 75.123", "75123"),
        ("'75123.00", "75123.00"),
        ("75.123,5", "75123.5"),
    ],
)
def test_amounts_read_the_way_banks_write_them(text, amount):
    assert read_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "12a", "1.2.3.x", "-", "Rp"])
def test_what_is_not_an_amount_is_said_so(text):
    assert read_amount(text) is None


def test_klikbca_csv_keeps_its_credits_and_leaves_out_debits_pending_and_the_summary():
    # given KlikBCA's download: account lines, a header, CR/DB in their own column, a quoted
    # description over two lines, a pending line, the summary under it
    statement = READERS["bca"](sample("bca_klikbca.csv"))

    # then the three booked credits, each once, the description joined onto one line
    assert credits(statement) == [
        (
            date(2026, 5, 2),
            Decimal(75123),
            "TRSF E-BANKING CR 0205/FTSCY/WS95051 75123.00AYU LESTARI",
        ),
        (
            date(2026, 5, 3),
            Decimal(1250000),
            "TRSF E-BANKING CR 0305/FTSCY/WS95031 DP PESANAN AB3CD5E BUDI SANTOSO",
        ),
        (date(2026, 5, 4), Decimal(200000), "SETORAN TUNAI"),
    ]
    # and the two debits and the line still pending are counted, not imported
    assert (statement.debits, statement.pending) == (2, 1)
    # and each says where it starts in the file, for a message about it
    assert [e.row for e in statement.credits] == [7, 9, 11]


def test_klikbca_bisnis_reads_the_marker_in_the_amount_and_dates_without_a_year():
    # given KlikBCA Bisnis: "75,123.00 CR" in one cell, dates as "02/05", read in June 2026
    statement = parse_bca(sample("bca_bisnis.csv"), today=date(2026, 6, 1))

    # then
    assert [(e.booked_on, e.amount) for e in statement.credits] == [
        (date(2026, 5, 2), Decimal(75123)),
        (date(2026, 5, 3), Decimal(1250000)),
    ]
    assert (statement.debits, statement.pending) == (1, 1)


def test_a_date_without_a_year_later_than_the_day_read_is_last_years():
    # given the same export read on 1 February 2027: May is last year's
    statement = parse_bca(sample("bca_bisnis.csv"), today=date(2027, 2, 1))
    assert statement.credits[0].booked_on == date(2026, 5, 2)


def test_klikbca_text_export_with_tabs_reads_the_same():
    statement = READERS["bca"](sample("bca_klikbca.txt"))
    assert [(e.booked_on, e.amount) for e in statement.credits] == [
        (date(2026, 5, 2), Decimal(75123)),
        (date(2026, 5, 4), Decimal(200000)),
    ]


def test_mandiri_joins_its_two_description_columns_and_reads_the_credit_column():
    statement = READERS["mandiri"](sample("mandiri.csv"))
    assert credits(statement) == [
        (date(2026, 5, 2), Decimal(75123), "SA OB CA No Book DARI AYU LESTARI DP AB3CD5E"),
        (
            date(2026, 5, 3),
            Decimal(1250000),
            "Transfer Otomatis DARI 9000006726914 KE 1270010264453",
        ),
        (date(2026, 5, 4), Decimal(150000), "MCM InhouseTrf DARI BUDI SANTOSO PELUNASAN PO TOTE"),
    ]
    assert statement.debits == 1


def test_mandiri_livin_with_indonesian_separators_semicolons_and_a_wrapped_description():
    # given Livin's export as an Indonesian spreadsheet saves it: "1.250.000,00", ";"
    statement = READERS["mandiri"](sample("mandiri_livin.csv"))
    assert credits(statement) == [
        (date(2026, 5, 2), Decimal(75123), "Transfer dari AYU LESTARI DP AB3CD5E"),
        (date(2026, 5, 3), Decimal(1250000), "Transfer BI-FAST dari BUDI SANTOSO"),
    ]
    assert statement.debits == 1


def test_bri_reads_its_field_names_and_adds_the_buyers_remark():
    statement = READERS["bri"](sample("bri_cms.csv"))
    assert credits(statement) == [
        (date(2026, 5, 2), Decimal(75123), "NBMB AYU LESTARI TO RAJUT NUSANTARA DP AB3CD5E"),
        (date(2026, 5, 3), Decimal(1250000), "NBMB BUDI SANTOSO TO RAJUT NUSANTARA"),
    ]
    assert statement.debits == 1


def test_bni_reads_dates_with_their_time_and_the_credit_column():
    statement = READERS["bni"](sample("bni.csv"))
    assert [(e.booked_on, e.amount) for e in statement.credits] == [
        (date(2026, 5, 2), Decimal(75123)),
        (date(2026, 5, 3), Decimal(1250000)),
    ]
    assert "AYU LESTARI DP AB3CD5E" in statement.credits[0].description
    assert statement.debits == 1


def test_another_csv_reads_the_columns_the_seller_picked_and_signed_amounts():
    # given an e-wallet's CSV: one signed amount column, dates with dashes
    text = sample("ewallet.csv")
    assert preview_rows(text)[0] == ["Tanggal", "Keterangan", "Jumlah"]

    # when the seller says: date, description, amount
    statement = parse_columns(text, Columns(date=0, description=1, credit=2, header=True))

    # then money in is read, money out (negative) is not
    assert [(e.booked_on, e.amount) for e in statement.credits] == [
        (date(2026, 5, 2), Decimal(75123)),
        (date(2026, 5, 3), Decimal(1250000)),
    ]
    assert statement.debits == 1


@pytest.mark.parametrize(
    ("layout", "text", "says"),
    [
        ("bca", sample("mandiri.csv"), "does not look like a BCA statement"),
        ("mandiri", "hello,world\nthis,is not\n", "does not look like a Mandiri statement"),
        ("bri", "", "does not look like a BRI statement"),
        (
            "bni",
            "Post Date,Value Date,Branch,Journal No.,Description,Debit,Credit\n"
            "yesterday,x,1,2,PAID,.00,100.00\n",
            "Line 2: “yesterday” is not a date",
        ),
        (
            "mandiri",
            "Date,Description,Debit,Credit\n02/05/26,DP,.00,lots\n",
            "Line 2: “lots” is not an amount",
        ),
        ("bca", 'Tanggal,Keterangan,Jumlah\n02/05/2026,"unclosed,100.00 CR\n', "Line 2: “”"),
    ],
)
def test_a_file_that_is_not_the_banks_layout_is_refused_saying_where(layout, text, says):
    with pytest.raises(StatementUnreadable) as refusal:
        READERS[layout](text)
    assert says in str(refusal.value.message)


def test_a_column_the_file_does_not_have_is_refused():
    with pytest.raises(StatementUnreadable, match="no such column"):
        parse_columns(sample("ewallet.csv"), Columns(date=0, description=1, credit=7))
