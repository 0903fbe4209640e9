"""A buyer orders from the campaign page and follows the order through its private link."""

import re
import secrets
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from campaigns.models import Campaign, Variant
from orders.models import Order, OrderEvent, OrderLine
from orders.services.placing import LineRequest, place_order
from payments.models import PaymentAccount
from tests.factories import jakarta_noon, make_buyer, make_campaign, make_order, make_user
from tests.support import page_text

JAKARTA = ZoneInfo("Asia/Jakarta")
URL = "/rajut/tote/"


def order_data(campaign, *, quantities=None, notes=None, key=None, **fields) -> dict:
    """What the browser sends for the campaign's order form, one row per variant.

    `quantities` and `notes` are keyed by variant name; by default one Green tote with a note.
    """
    variants = list(campaign.variants.all())
    quantities = {variants[0].name: 1} if quantities is None else quantities
    notes = {name: f"{name}, “SARI”" for name in quantities} if notes is None else notes
    data = {
        "lines-TOTAL_FORMS": str(len(variants)),
        "lines-INITIAL_FORMS": str(len(variants)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "buyer_name": "Sari Rahayu",
        "buyer_phone": "0812-3456-7890",
        "buyer_email": "sari@example.com",
        "shipping_address": "Jl. Kenanga 12\nBandung 40115",
        "idempotency_key": key or secrets.token_urlsafe(16),
    }
    for i, variant in enumerate(variants):
        data[f"lines-{i}-variant"] = str(variant.pk)
        data[f"lines-{i}-quantity"] = str(quantities.get(variant.name, 0))
        data[f"lines-{i}-note"] = notes.get(variant.name, "")
    data.update(fields)
    return data


class FormFields(HTMLParser):
    """Names and values of the fields inside the order section of a page."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_order, self._depth = {}, False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            if attrs.get("id") == "order":
                self._in_order = True
            if self._in_order:
                self._depth += 1
        if self._in_order and tag in {"input", "textarea"} and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "section" and self._in_order:
            self._depth -= 1
            self._in_order = self._depth > 0


def form_fields(response) -> dict:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.fields


def what_is_stored(campaign) -> dict:
    campaign.refresh_from_db()
    return {
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "events": OrderEvent.objects.count(),
        "campaign reserved": campaign.reserved,
        "variants reserved": list(campaign.variants.values_list("reserved", flat=True)),
    }


def assert_refused(response, message, before, campaign):
    """Refused with a message the buyer can read, a 2xx/4xx page, and nothing written."""
    assert 200 <= response.status_code < 500
    assert response.status_code != 302
    assert message in page_text(response)
    assert what_is_stored(campaign) == before


@pytest.fixture
def bank_account(shop):
    return PaymentAccount.objects.create(
        shop=shop, provider="BCA", number="1234567890", holder="Rajut Test"
    )


# --- the form the page offers ----------------------------------------------------------------


def test_the_helper_sends_exactly_the_fields_the_page_offers(client, open_campaign):
    # given the order form on the page
    offered = form_fields(client.get(URL))

    # when the helper builds a submission
    sent = order_data(open_campaign)

    # then it names the same fields, with the same hidden values, as a browser would send
    assert set(sent) == set(offered) - {"csrfmiddlewaretoken"}
    for name in ("lines-TOTAL_FORMS", "lines-INITIAL_FORMS", "lines-0-variant", "lines-1-variant"):
        assert sent[name] == offered[name]
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", offered["idempotency_key"])


# --- placing an order ------------------------------------------------------------------------


def test_buyer_orders_two_variants_with_notes_and_lands_on_the_order_page(
    client, open_campaign, bank_account
):
    # given a 30% deposit, a window that closes at noon in Jakarta, and a hidden old account
    Campaign.objects.filter(pk=open_campaign.pk).update(
        deposit_value=Decimal(30), closes_at=jakarta_noon(7), production_days=14, shipping_days=3
    )
    PaymentAccount.objects.create(
        shop=open_campaign.shop, provider="Old bank", number="999000", holder="X", is_active=False
    )
    data = order_data(
        open_campaign,
        quantities={"Green": 2, "Navy": 1},
        notes={"Green": "White, “AYU”", "Navy": "Gold, “Budi & Sinta”"},
    )

    # when
    response = client.post(URL, data)

    # then the buyer is sent to the order's private page
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{order.token}/#main"
    assert order.buyer_phone == "+6281234567890"
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 3

    # and that page says what was ordered, what to pay, by when and where
    text = page_text(client.get(response["Location"]))
    assert f"Order {order.code}" in text
    assert "2 × Green" in text
    assert "White, “AYU”" in text
    assert "1 × Navy" in text
    assert "Gold, “Budi & Sinta”" in text
    assert "Rp 465.000" in text  # 2 x 150.000 + 165.000
    assert "Rp 139.500" in text  # 30% deposit
    assert "Rp 325.500" in text  # balance
    due = dateformat.format(timezone.localtime(order.deposit_due_at, JAKARTA), "j M Y, H:i")
    assert f"Pay by <strong>{due}" in text
    assert "BCA" in text
    assert "1234567890" in text
    assert "in the name of Rajut Test" in text
    assert "Old bank" not in text
    assert "Order placed" in text
    production_ends = dateformat.format(jakarta_noon(21).date(), "j M Y")
    ships = dateformat.format(jakarta_noon(24).date(), "j M Y")
    assert re.search(
        rf"Production finishes \(estimate\)</strong>\s*<time[^>]*>{production_ends}", text
    )
    assert re.search(rf"Shipping \(estimate\)</strong>\s*<time[^>]*>{ships}", text)
    assert "+62 812-3456-7890" in text


def test_double_submit_makes_one_order_and_both_land_on_it(client, open_campaign):
    # given one filled-in form
    data = order_data(open_campaign, quantities={"Green": 2})

    # when the buyer taps "Place order" twice
    first = client.post(URL, data)
    second = client.post(URL, data)

    # then
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 2


def test_resubmitting_an_old_form_with_a_corrected_phone_is_answered_not_crashed(
    client, open_campaign
):
    # given an order placed, then the buyer goes back and fixes a digit of their number
    data = order_data(open_campaign, key="same-page-view-key-0001")
    client.post(URL, data)
    data["buyer_phone"] = "0812-3456-7891"

    # when the same form (same key) is sent again
    response = client.post(URL, data)

    # then the buyer gets an answer, and the counters still match the orders
    assert response.status_code in {200, 302, 400, 409}
    if response.status_code != 302:
        assert 'role="alert"' in response.content.decode()
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == OrderLine.objects.aggregate(n=Sum("quantity"))["n"]


# --- refusals: a message, never a 500, nothing written ---------------------------------------

FORM_MISTAKES = {
    "nothing chosen": (
        {"quantities": {}},
        "Choose at least one item and how many you want.",
    ),
    "negative quantity": (
        {"lines-0-quantity": "-1"},
        "Ensure this value is greater than or equal to 0.",
    ),
    "quantity is not a number": ({"lines-0-quantity": "abc"}, "Enter a whole number."),
    "quantity in scientific notation": ({"lines-0-quantity": "1e12"}, "Enter a whole number."),
    "absurd quantity": (
        {"lines-0-quantity": "1000000000000"},
        "Ensure this value is less than or equal to 999.",
    ),
    "required note missing": (
        {"notes": {}},
        "Please fill in “Colour and name to print” for Green.",
    ),
    "name too long": (
        {"buyer_name": "A" * 101},
        "Ensure this value has at most 100 characters (it has 101).",
    ),
    "note too long": (
        {"lines-0-note": "n" * 501},
        "Ensure this value has at most 500 characters (it has 501).",
    ),
    "address too long": (
        {"shipping_address": "J" * 501},
        "Ensure this value has at most 500 characters (it has 501).",
    ),
    "phone too short": ({"buyer_phone": "12"}, "Enter a valid WhatsApp number"),
    "phone not a number": ({"buyer_phone": "abc"}, "Enter a valid WhatsApp number"),
    "email malformed": ({"buyer_email": "sari@"}, "Enter a valid email address."),
}


@pytest.mark.parametrize(("changes", "message"), FORM_MISTAKES.values(), ids=list(FORM_MISTAKES))
def test_a_mistake_in_the_form_is_explained_and_nothing_is_ordered(
    client, open_campaign, changes, message
):
    # given an otherwise good order with one mistake
    changes = dict(changes)
    data = order_data(
        open_campaign, quantities=changes.pop("quantities", None), notes=changes.pop("notes", None)
    )
    data.update(changes)
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, message, before, open_campaign)
    assert 'role="alert"' in response.content.decode() or 'class="error"' in page_text(response)


def test_a_variant_of_another_campaign_is_refused(client, open_campaign):
    # given the id of a variant that belongs to somebody else's campaign
    stranger = make_campaign(variants=[{"name": "Stranger", "price": "1000"}])
    data = order_data(open_campaign)
    data["lines-0-variant"] = str(stranger.variants.get().pk)
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, "That item is not part of this PO.", before, open_campaign)
    assert stranger.variants.get().reserved == 0


def test_a_form_without_its_management_fields_is_refused(client, open_campaign):
    # given a submission stripped of the lines-TOTAL_FORMS & co.
    data = {k: v for k, v in order_data(open_campaign).items() if not k.endswith("_FORMS")}
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(
        response, "ManagementForm data is missing or has been tampered with", before, open_campaign
    )


def test_an_empty_submission_is_refused(client, open_campaign):
    # given
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, {})

    # then
    assert_refused(response, "This field is required.", before, open_campaign)


def test_ordering_before_the_window_opens_is_refused(client, open_campaign):
    # given the seller moved the opening to tomorrow after the buyer loaded the page
    data = order_data(open_campaign)
    Campaign.objects.filter(pk=open_campaign.pk).update(opens_at=timezone.now() + timedelta(days=1))
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, "This PO is not open yet", before, open_campaign)


def test_ordering_after_the_window_closed_is_refused(client, open_campaign):
    # given
    data = order_data(open_campaign)
    Campaign.objects.filter(pk=open_campaign.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert_refused(response, "This PO is closed and takes no more orders.", before, open_campaign)


def test_ordering_from_a_sold_out_campaign_is_refused(client, open_campaign):
    # given all ten units taken
    make_order(open_campaign, quantity=10, note="Green, “TEN”")
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, order_data(open_campaign))

    # then
    assert_refused(
        response, "Sold out: every unit of this PO has been ordered.", before, open_campaign
    )


def test_more_of_a_variant_than_it_has_left_is_refused_and_gives_back_the_campaign_units(
    client, open_campaign
):
    # given Navy has its own capacity of 4, the campaign 10
    before = what_is_stored(open_campaign)

    # when a buyer asks for 5 Navy
    response = client.post(URL, order_data(open_campaign, quantities={"Navy": 5}))

    # then
    assert_refused(
        response, "Sold out: there are not enough units left for this order.", before, open_campaign
    )


def test_ordering_from_a_draft_campaign_is_not_found(client, open_campaign):
    # given
    data = order_data(open_campaign)
    Campaign.objects.filter(pk=open_campaign.pk).update(status=Campaign.Status.DRAFT)
    before = what_is_stored(open_campaign)

    # when
    response = client.post(URL, data)

    # then
    assert response.status_code == 404
    assert_refused(response, "Page not found", before, open_campaign)


# --- the order page --------------------------------------------------------------------------


def test_an_unknown_token_is_not_found(client, open_campaign):
    # given a real order exists
    make_order(open_campaign, note="Green, “SARI”")

    # then a made-up token finds nothing
    assert client.get(f"/o/{secrets.token_urlsafe(24)}/").status_code == 404


def test_the_short_order_code_alone_does_not_open_the_order(client, open_campaign):
    # given
    order = make_order(open_campaign, note="Green, “SARI”")

    # when somebody tries the code from a transfer note
    response = client.get(f"/o/{order.code}/")

    # then
    assert response.status_code == 404
    assert order.buyer_name not in page_text(response)


def test_order_page_is_private_uncached_and_unindexed(client, open_campaign):
    # given
    order = make_order(open_campaign, note="Green, “SARI”")

    # when
    response = client.get(order.get_absolute_url())

    # then
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    assert re.search(r'<meta name="robots" content="noindex[^"]*">', response.content.decode())
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_order_page_query_count_does_not_grow_with_lines_or_events(
    client, shop, open_campaign, bank_account, django_assert_num_queries
):
    # given a one-line order
    small = make_order(open_campaign, note="Green, “SARI”")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(small.get_absolute_url()).status_code == 200
    one_line = len(queries)
    print(f"\norder page queries: {one_line}")

    # and an order with ten lines and ten timeline events
    sizes = make_campaign(
        shop,
        slug="sizes",
        variants=[{"name": f"Size {n}", "price": "100000"} for n in range(10)],
    )
    big = place_order(
        campaign=sizes,
        lines=[LineRequest(v.pk, 1, f"Name {v.name}") for v in sizes.variants.all()],
        buyer=make_buyer(),
        idempotency_key="ten-lines-order-0001",
    )
    seller = make_user()
    for n in range(9):
        OrderEvent.objects.create(
            order=big, kind=OrderEvent.Kind.NOTE, actor=seller, note=f"Message {n}"
        )
    assert big.lines.count() == 10
    assert big.events.count() == 10

    # when / then
    with django_assert_num_queries(one_line):
        response = client.get(big.get_absolute_url())
    assert "Message 8" in page_text(response)
    # order, lines, events, the campaign's announcements, payments, accounts
    assert one_line <= 6


def test_what_a_buyer_types_is_shown_as_text_not_run_as_markup(client, open_campaign):
    # given
    data = order_data(
        open_campaign,
        notes={"Green": "<script>alert('note')</script>"},
        buyer_name="<b>Sari</b>",
    )

    # when
    response = client.get(client.post(URL, data)["Location"])

    # then
    raw = response.content.decode()
    assert "<script>alert" not in raw
    assert "&lt;script&gt;alert(" in raw
    assert "<b>Sari</b>" not in raw


def test_variant_prices_are_snapshotted_on_the_order_page(client, open_campaign):
    # given an order for a Green tote at Rp 150.000
    order = make_order(open_campaign, note="Green, “SARI”")

    # when the seller later raises the price
    Variant.objects.filter(campaign=open_campaign, name="Green").update(price=Decimal(200_000))

    # then the buyer still sees what they ordered at
    text = page_text(client.get(order.get_absolute_url()))
    assert "Rp 150.000" in text
    assert "Rp 200.000" not in text
