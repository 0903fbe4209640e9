"""The vendor's production recap and the orders CSV: what the seller hands on and opens in Excel."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order
from orders.services.placing import LineRequest, place_order
from orders.services.transitions import move_order
from tests.factories import make_buyer, make_campaign, make_order
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status
BOM = "\ufeff"


def order_of(campaign: Campaign, *lines: tuple[str, int, str], confirm=True, **buyer) -> Order:
    """An order of (variant name, quantity, note) lines; its deposit verified unless told."""
    variants = {v.name: v.pk for v in campaign.variants.all()}
    order = place_order(
        campaign=campaign,
        lines=[LineRequest(variants[name], qty, note) for name, qty, note in lines],
        buyer=make_buyer(**buyer),
        idempotency_key=f"test-{Order.objects.count()}-{campaign.pk}",
    )
    if confirm:
        move_order(order=order, to=S.CONFIRMED)
    return order


def body(response) -> str:
    """A streamed response's text, BOM included."""
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[list[str]]:
    text = body(response)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


@pytest.fixture
def merch(shop) -> Campaign:
    """Open, no capacity limit, two variants, notes optional."""
    return make_campaign(
        shop,
        slug="merch-drop",
        title="Merch drop",
        variants=[{"name": "Green", "price": "150000"}, {"name": "Navy", "price": "165000"}],
    )


def recap_url(campaign: Campaign, query: str = "") -> str:
    return reverse("dashboard:campaign_recap", args=[campaign.shop.slug, campaign.pk]) + query


def export_url(campaign: Campaign) -> str:
    return reverse("dashboard:campaign_export", args=[campaign.shop.slug, campaign.pk])


# --- recap ------------------------------------------------------------------------------------


@pytest.fixture
def names_to_print(merch) -> Campaign:
    """Confirmed: 3 Green “SARI” written three ways, 1 Green “Budi”, 2 plain Green, 1 Navy “SARI”.
    Waiting for deposit: 4 Green “SARI”. Cancelled: 5 Navy “BUDI”."""
    order_of(merch, ("Green", 1, "SARI"), ("Green", 1, "  sari "), ("Navy", 1, "SARI"))
    order_of(merch, ("Green", 1, "Sari"), ("Green", 1, "Budi"))
    order_of(merch, ("Green", 2, ""))
    order_of(merch, ("Green", 4, "SARI"), confirm=False)
    cancelled = order_of(merch, ("Navy", 5, "BUDI"))
    move_order(order=cancelled, to=S.CANCELLED)
    return merch


def recap_table(response) -> dict[str, dict[str, int]]:
    return {
        group.variant.name: {note.note.upper(): note.units for note in group.notes}
        for group in response.context["recap"]
    }


def test_recap_groups_identical_notes_whatever_their_case_and_spaces(seller, names_to_print):
    # when the seller opens the recap
    response = seller.get(recap_url(names_to_print))
    # then each variant lists its notes once, with their units, confirmed orders only
    assert response.status_code == 200
    assert recap_table(response) == {"Green": {"SARI": 3, "BUDI": 1, "": 2}, "Navy": {"SARI": 1}}
    # and the totals add up per variant and overall
    assert [(g.variant.name, g.units) for g in response.context["recap"]] == [
        ("Green", 6),
        ("Navy", 1),
    ]
    assert response.context["total_units"] == 7
    text = page_text(response)
    assert "Total: 7 units" in text
    assert "(no customisation)" in text
    assert "Confirmed orders only" in text


def test_recap_leaves_out_orders_waiting_for_their_deposit_unless_asked(seller, names_to_print):
    # when the seller switches on the orders still waiting for their deposit
    response = seller.get(recap_url(names_to_print, "?pending=1"))
    # then their units join the groups; cancelled orders stay out either way
    assert recap_table(response) == {"Green": {"SARI": 7, "BUDI": 1, "": 2}, "Navy": {"SARI": 1}}
    assert response.context["total_units"] == 11
    assert "waiting for their deposit" in page_text(response)
    # and the CSV link carries the choice
    assert "pending=1&amp;format=csv" in response.content.decode()


def test_recap_with_no_orders_shows_each_variant_at_zero(seller, merch):
    response = seller.get(recap_url(merch))
    assert [(g.variant.name, g.units) for g in response.context["recap"]] == [
        ("Green", 0),
        ("Navy", 0),
    ]
    assert "Total: 0 units" in page_text(response)


def test_recap_csv_has_the_same_groups_and_the_total(seller, names_to_print):
    # when the seller downloads the recap
    response = seller.get(recap_url(names_to_print, "?format=csv"))
    # then it is the page as rows, biggest group first within a variant, then the total
    assert response["Content-Disposition"] == 'attachment; filename="merch-drop-recap.csv"'
    rows = csv_rows(response)
    assert rows[0] == ["Variant", "Customisation", "Units"]
    assert [[variant, note.upper(), units] for variant, note, units in rows[1:-1]] == [
        ["Green", "SARI", "3"],
        ["Green", "", "2"],
        ["Green", "BUDI", "1"],
        ["Navy", "SARI", "1"],
    ]
    assert rows[-1] == ["Total", "", "7"]


def test_recap_csv_with_pending_orders_counts_them_too(seller, names_to_print):
    rows = csv_rows(seller.get(recap_url(names_to_print, "?format=csv&pending=1")))
    assert rows[-1] == ["Total", "", "11"]


def test_recap_runs_the_same_queries_whatever_the_number_of_orders(seller, merch):
    # given one order, the recap's queries are counted
    order_of(merch, ("Green", 1, "A"))
    with CaptureQueriesContext(connection) as one_order:
        seller.get(recap_url(merch))
    # given 20 more orders with as many different notes
    for n in range(20):
        order_of(merch, ("Green", 1, f"Name {n}"), ("Navy", 2, f"Name {n}"))
    # then the recap runs as many queries
    with CaptureQueriesContext(connection) as many_orders:
        response = seller.get(recap_url(merch))
    assert response.context["total_units"] == 61
    assert len(many_orders) == len(one_order)


def test_recap_has_a_print_stylesheet_that_hides_menus_and_buttons():
    css = (settings.BASE_DIR / "static" / "css" / "openpo.css").read_text()
    print_block = css[css.index("@media print") :]
    for hidden in (".site-header", ".dash-nav", ".site-footer", ".actions", "button"):
        assert hidden in print_block


# --- orders export ----------------------------------------------------------------------------

HEADER = [
    "Order code",
    "Placed",
    "Status",
    "Buyer name",
    "WhatsApp",
    "Email",
    "Shipping address",
    "Destination",
    "Pickup at",
    "Variant",
    "Unit price",
    "Quantity",
    "Line total",
    "Customisation",
    "Order subtotal",
    "Ongkir",
    "Deposit",
    "Balance",
]


def test_export_streams_one_row_per_order_line_as_excel_reads_it(seller, merch):
    # given a two-line order from a buyer whose name is not plain ASCII, and a one-line order
    sinta = order_of(
        merch,
        ("Green", 2, "Green, “SARI”"),
        ("Navy", 1, ""),
        name="Sinta Dewi Ñ",
        phone="+6281398765432",
        email="sinta@example.com",
        address="Jl. Melati 5, Bandung",
    )
    budi = order_of(merch, ("Navy", 1, "BUDI"), confirm=False, name="Budi")
    # when the seller exports the campaign's orders
    response = seller.get(export_url(merch))
    # then it streams a CSV named after the campaign
    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="merch-drop-orders.csv"'
    # starting with a BOM, then the header, then one row per line
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 3
    placed = timezone.localtime(sinta.created_at, ZoneInfo("Asia/Jakarta")).strftime(
        "%Y-%m-%d %H:%M"
    )
    assert rows[1] == [
        sinta.code,
        placed,
        "Deposit received",
        "Sinta Dewi Ñ",
        "+6281398765432",
        "sinta@example.com",
        "Jl. Melati 5, Bandung",
        "",
        "",
        "Green",
        "150000",
        "2",
        "300000",
        "Green, “SARI”",
        "465000",
        "0",
        "232500",
        "232500",
    ]
    assert rows[2][:1] + rows[2][9:14] == [sinta.code, "Navy", "165000", "1", "165000", ""]
    assert rows[3][:4] == [budi.code, rows[3][1], "Waiting for deposit", "Budi"]
    assert rows[3][13] == "BUDI"


def test_export_times_are_on_the_shops_clock(seller, shop, merch):
    # given a shop in Makassar (UTC+8) and an order placed at 23:30 there
    shop.time_zone = "Asia/Makassar"
    shop.save()
    placed_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    order = order_of(merch, ("Green", 1, ""))
    Order.objects.filter(pk=order.pk).update(created_at=placed_at)
    # when exported
    rows = csv_rows(seller.get(export_url(merch)))
    # then the time is Makassar's
    expected = timezone.localtime(placed_at, ZoneInfo("Asia/Makassar")).strftime("%Y-%m-%d %H:%M")
    assert rows[1][1] == expected


def test_export_holds_only_this_campaigns_orders(seller, shop, merch, open_campaign):
    mine = order_of(merch, ("Green", 1, ""))
    make_order(open_campaign, note="Other campaign")
    make_order(make_campaign(), note="Other shop")
    rows = csv_rows(seller.get(export_url(merch)))
    assert [row[0] for row in rows[1:]] == [mine.code]


def test_export_writes_a_formula_typed_by_a_buyer_as_text(seller, merch):
    # given a buyer who typed something a spreadsheet would run
    order_of(merch, ("Green", 1, '=HYPERLINK("http://evil")'), name="@Budi")
    # when exported
    row = csv_rows(seller.get(export_url(merch)))[1]
    # then those cells start with a quote, the phone number stays a number
    assert row[3] == "'@Budi"
    assert row[13] == '\'=HYPERLINK("http://evil")'
    assert row[4].startswith("+62")


def test_export_of_a_campaign_without_orders_is_the_header_alone(seller, merch):
    rows = csv_rows(seller.get(export_url(merch)))
    assert rows == [HEADER]
