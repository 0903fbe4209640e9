"""The seller's statement screens: upload, pick the columns, preview, confirm in one click, then
match or dismiss what is left; each in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from payments.models import Payment, StatementImport, StatementLine
from tests.factories import make_campaign, make_order
from tests.payments.statement_files import klikbca, upload
from tests.support import page_text

S = Order.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def tote(coded_shop):
    return make_campaign(coded_shop, title="Tote", slug="tote", capacity=None, min_quantity=500)


def placed(campaign, count: int) -> list[Order]:
    """`count` orders waiting for their deposit, placed two days ago."""
    orders = [make_order(campaign) for _ in range(count)]
    when = timezone.now() - timedelta(days=2)
    Order.objects.filter(campaign=campaign).update(created_at=when)
    for order in orders:
        order.transfer_amounts.update(claimed_at=when)
    return orders


def to_send(order: Order) -> Decimal:
    return order.transfer_amounts.get(released_at__isnull=True).amount


def url(name: str, *args) -> str:
    return reverse(f"dashboard:{name}", args=["rajut", *args])


def post_statement(seller, text: str, layout: str = "bca"):
    return seller.post(url("statement_upload"), {"layout": layout, "file": upload(text)})


def test_a_seller_with_300_open_orders_confirms_every_exact_transfer_in_one_click(
    seller, tote, django_assert_max_num_queries
):
    # given 300 orders waiting for their deposit, each paid to the rupiah, and a cash deposit
    orders = placed(tote, 300)
    today = timezone.localdate()
    lines = [(today, to_send(o), f"TRSF E-BANKING CR BUYER {n}") for n, o in enumerate(orders)]
    lines.append((today, 20000, "SETORAN TUNAI"))

    # when the seller uploads the statement
    response = post_statement(seller, klikbca(lines))
    statement = StatementImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("statement", statement.pk)

    # then the preview reads it in a handful of queries, whatever the number of lines
    with django_assert_max_num_queries(8):
        preview = seller.get(response["Location"])
    text = page_text(preview)
    assert preview.context["counts"] == {
        "matched": 300,
        "ambiguous": 0,
        "unmatched": 1,
        "imported": 0,
    }
    assert "300 matched transfers are credited to their orders" in text

    # when the seller confirms, once
    done = seller.post(
        url("statement_confirm", statement.pk), {"digest": preview.context["preview"].digest}
    )

    # then every order is confirmed by one payment, its line as evidence
    assert done.status_code == 302
    assert Order.objects.filter(campaign=tote, status=S.CONFIRMED).count() == 300
    assert Payment.objects.filter(source="statement", status="verified").count() == 300
    assert "300 payments credited. 1 line is left for you to match or dismiss." in page_text(
        seller.get(done["Location"])
    )
    # and uploading the same file again credits nothing more
    post_statement(seller, klikbca(lines))
    again = StatementImport.objects.filter(status="draft").get()
    preview = seller.get(url("statement", again.pk))
    assert preview.context["counts"]["imported"] == 301
    assert "nothing new to credit" in page_text(preview)


def test_a_file_that_is_not_the_banks_is_refused_on_the_page(seller, tote):
    response = post_statement(seller, "hello,world\n1,2\n", layout="mandiri")
    assert response.status_code == 400
    assert "This does not look like a Mandiri statement" in page_text(response)
    assert not StatementImport.objects.exists()


def test_another_csv_asks_for_its_columns_then_previews(seller, tote):
    # given an e-wallet export paying Ayu's order, its code in the note
    (ayu,) = placed(tote, 1)
    text = f"Tanggal;Catatan;Jumlah\n{timezone.localdate():%d/%m/%Y};DP {ayu.code};{to_send(ayu)}\n"

    # when the seller uploads it as "another CSV"
    response = post_statement(seller, text, layout="csv")
    statement = StatementImport.objects.get()

    # then the columns are asked for, the first rows shown to pick from
    assert response["Location"] == url("statement_columns", statement.pk)
    page = seller.get(response["Location"])
    assert "A: Tanggal" in page_text(page)
    # and once picked, the preview matches Ayu's line
    response = seller.post(
        url("statement_columns", statement.pk),
        {"date": "0", "description": "1", "credit": "2", "header": "on"},
    )
    assert response["Location"] == url("statement", statement.pk)
    assert seller.get(response["Location"]).context["counts"]["matched"] == 1


def test_a_stale_preview_is_shown_again_with_the_reason(seller, tote):
    (ayu,) = placed(tote, 1)
    post_statement(seller, klikbca([(timezone.localdate(), to_send(ayu), "AYU")]))
    statement = StatementImport.objects.get()
    response = seller.post(url("statement_confirm", statement.pk), {"digest": "stale"})
    assert response.status_code == 409
    assert "The matches changed since the preview was shown" in page_text(response)
    assert not Payment.objects.exists()


@pytest.fixture
def open_line(seller, tote):
    """An imported line of Rp 75.123 that named no order."""
    post_statement(seller, klikbca([(timezone.localdate(), 75123, "TRSF E-BANKING CR SARI W")]))
    statement = StatementImport.objects.get()
    digest = seller.get(url("statement", statement.pk)).context["preview"].digest
    seller.post(url("statement_confirm", statement.pk), {"digest": digest})
    return StatementLine.objects.get()


def test_the_seller_finds_the_order_by_name_and_credits_the_line(
    seller, tote, open_line, django_assert_max_num_queries
):
    # given Sari's order among others, waiting for its deposit
    others = placed(tote, 3)
    sari = make_order(tote, buyer=None)
    Order.objects.filter(pk=sari.pk).update(buyer_name="Sari Wulandari")

    # when the seller searches the line's page for "sari"
    with django_assert_max_num_queries(8):
        page = seller.get(url("statement_line", open_line.pk), {"q": "sari"})
    # then only her order is offered, with what it waits for
    assert [o.pk for o in page.context["orders"]] == [sari.pk]
    assert others[0].code not in page_text(page)

    # when the seller credits the line to it
    response = seller.post(url("statement_line_match", open_line.pk), {"code": sari.code})

    # then the line pays her order, and leaves the list
    assert response.status_code == 302
    sari.refresh_from_db()
    assert sari.payments.get().statement_line == open_line
    assert "Nothing to match" in page_text(seller.get(url("statement_lines")))


def test_the_line_offers_the_orders_waiting_for_its_amount_now(
    seller, tote, open_line, django_assert_max_num_queries
):
    # given one order waiting for the line's amount, one that waited for it before, one other
    waiting, earlier, other = placed(tote, 3)
    waiting.transfer_amounts.update(amount=open_line.amount)
    earlier.transfer_amounts.update(released_at=timezone.now())
    earlier.transfer_amounts.create(
        shop=tote.shop, kind="deposit", amount=open_line.amount - 1, code=0
    )
    earlier.transfer_amounts.filter(released_at__isnull=False).update(amount=open_line.amount)

    # when the seller opens the line, then searches the other order's amount as typed
    with django_assert_max_num_queries(8):
        page = seller.get(url("statement_line", open_line.pk))
    searched = seller.get(url("statement_line", open_line.pk), {"q": f"Rp {to_send(other)}"})

    # then the line offers only the order waiting for its amount now, and the search the other
    assert [o.pk for o in page.context["orders"]] == [waiting.pk]
    assert [o.pk for o in searched.context["orders"]] == [other.pk]


def test_crediting_more_than_the_order_owes_is_refused_on_the_page(seller, shop, open_line):
    small = make_campaign(shop, capacity=None, variants=[{"name": "Pin", "price": "20000"}])
    pin = make_order(small)
    response = seller.post(url("statement_line_match", open_line.pk), {"code": pin.code})
    assert response.status_code == 409
    assert "is more than order" in page_text(response)
    open_line.refresh_from_db()
    assert open_line.status == "open"


def test_a_line_is_dismissed_with_its_reason(seller, open_line):
    response = seller.post(url("statement_line_dismiss", open_line.pk), {"reason": ""})
    assert response.status_code == 400
    response = seller.post(
        url("statement_line_dismiss", open_line.pk), {"reason": "Vendor's refund"}
    )
    assert response.status_code == 302
    open_line.refresh_from_db()
    assert (open_line.status, open_line.note) == ("dismissed", "Vendor's refund")


def test_list_pages_run_a_fixed_number_of_queries(
    seller, tote, open_line, django_assert_max_num_queries
):
    for name, args in [
        ("statements", ()),
        ("statement_lines", ()),
        ("statement", (open_line.statement_id,)),
    ]:
        with django_assert_max_num_queries(8):
            assert seller.get(url(name, *args)).status_code == 200, name


def test_staff_read_statements_and_lines_but_cannot_change_them(admin_client, open_line):
    for model in ("statementimport", "statementline"):
        page = admin_client.get(reverse(f"admin:payments_{model}_changelist"))
        assert page.status_code == 200
        assert page.context["cl"].result_count == 1
        assert not page.context["has_add_permission"]
    change = admin_client.get(reverse("admin:payments_statementline_change", args=[open_line.pk]))
    assert change.status_code == 200
    assert "TRSF E-BANKING CR SARI W" in page_text(change)
