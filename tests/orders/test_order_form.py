"""A buyer orders from the campaign page: the form a browser sends, the order it makes, once
however often it is sent."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.utils import dateformat, timezone

from campaigns.models import Campaign
from orders.models import Order, OrderLine
from payments.models import PaymentAccount
from tests.factories import jakarta_noon
from tests.orders.order_form import URL, order_data
from tests.support import page_text

JAKARTA = ZoneInfo("Asia/Jakarta")


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
