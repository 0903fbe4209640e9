"""The buyer follows the order through its private link: private, uncached, the same few queries,
what they typed shown as text and the prices they ordered at."""

import re
import secrets
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Variant
from orders.models import OrderEvent
from orders.services.announcements import announce
from orders.services.placing import LineRequest, place_order
from payments.models import PaymentAccount
from tests.factories import make_buyer, make_campaign, make_order, make_user
from tests.orders.order_form import URL, order_data
from tests.orders.production import sent
from tests.support import page_text


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
    # the order with its campaign and shop (and whether it has payments, updates, gateways, ...:
    # it has none), lines, events, the shop's accounts
    assert one_line == 4


def test_what_a_new_order_had_none_of_shows_on_the_next_view(client, shop, open_campaign):
    # given a new order's page, read with nothing to pay to, no update, no payment
    order = make_order(open_campaign, note="Sari")
    text = page_text(client.get(order.get_absolute_url()))
    assert "Where to pay" not in text and "Updates from" not in text
    assert "Your payments" not in text

    # when the shop adds an account and posts an update
    PaymentAccount.objects.create(shop=shop, provider="BCA", number="1234567890", holder="Rajut")
    announce(campaign=open_campaign, text="The fabric arrived.", actor=shop.owner)

    # then the next view shows both
    text = page_text(client.get(order.get_absolute_url()))
    assert "Where to pay" in text and "1234567890" in text
    assert "The fabric arrived." in text

    # and an account no longer shown to buyers (even by a bare UPDATE) goes at once
    PaymentAccount.objects.filter(shop=shop).update(is_active=False)
    text = page_text(client.get(order.get_absolute_url()))
    assert "1234567890" not in text
    assert "The seller will send you their payment details on WhatsApp." in text

    # and a payment sent shows on the next view, waiting for the seller
    sent(order, "75000")
    text = page_text(client.get(order.get_absolute_url()))
    assert "Your payments" in text and "waiting for the seller" in text


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
