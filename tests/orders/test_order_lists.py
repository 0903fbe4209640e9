"""The seller's order lists: what a row shows, the filters, search and pages, and a fixed number
of queries however many orders there are."""

import html
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.utils import dateformat, timezone

from campaigns.models import Campaign, Variant
from orders.models import Order, OrderLine
from orders.services.transitions import move_order
from tests.factories import make_campaign, make_order, make_shop
from tests.orders.seller_screens import order_of, orders_url
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


def order_rows(response) -> list[str]:
    """The order codes of the list's rows, top to bottom."""
    return re.findall(r'class="order-code" href="[^"]+">([^<]+)</a>', response.content.decode())


def order_codes(response) -> set[str]:
    return set(order_rows(response))


def bulk_orders(campaign: Campaign, count: int, *, start: int = 0) -> None:
    """`count` two-line orders in mixed states, written in bulk (5,000 in about a second)."""
    green, navy = campaign.variants.order_by("position")
    states = [S.PENDING, S.CONFIRMED, S.PAID, S.CANCELLED]
    orders = Order.objects.bulk_create(
        Order(
            campaign=campaign,
            idempotency_key=f"bulk-{n}",
            status=states[n % len(states)],
            buyer_name=f"Bulk buyer {n}",
            buyer_phone=f"+62813{n:08d}",
            buyer_email=f"bulk{n}@example.com",
            shipping_address=f"Jl. Bulk {n}",
            currency="IDR",
            subtotal=green.price + navy.price,
            deposit_amount=Decimal(100000),
            balance_amount=green.price + navy.price - 100000,
            deposit_due_at=campaign.opens_at + timedelta(days=1),
            created_at=campaign.opens_at + timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=variant,
            variant_name=variant.name,
            unit_price=variant.price,
            quantity=1,
            note=f"{variant.name}, “BULK”",
        )
        for order in orders
        for variant in (green, navy)
    )
    held = sum(1 for order in orders if order.status in Order.ACTIVE)
    Campaign.objects.filter(pk=campaign.pk).update(reserved=F("reserved") + 2 * held)
    Variant.objects.filter(campaign=campaign).update(reserved=F("reserved") + held)


@pytest.fixture
def roomy_campaign(shop) -> Campaign:
    """Open, no capacity limit, two variants: room for any number of orders."""
    return make_campaign(
        shop,
        slug="hoodie",
        title="Hoodie",
        variants=[{"name": "Green", "price": "150000"}, {"name": "Navy", "price": "165000"}],
    )


def test_each_row_shows_code_buyer_units_lines_with_notes_subtotal_status_and_date(
    seller, shop, open_campaign
):
    # given a two-line order with notes
    order = order_of(
        open_campaign,
        ("Green", 2, "Green, “SARI”"),
        ("Navy", 1, "Navy, “BUDI”"),
        name="Sinta Dewi",
        phone="+6281398765432",
    )
    # when the seller opens the campaign's orders
    response = seller.get(orders_url(shop, open_campaign))
    # then the row tells the whole order at a glance
    assert response.status_code == 200
    text = page_text(response)
    assert order_codes(response) == {order.code}
    for expected in (
        "Sinta Dewi",
        "+62 813-9876-5432",
        "2 × Green",
        "Green, “SARI”",
        "1 × Navy",
        "Navy, “BUDI”",
        "Rp 465.000",
        "Waiting for deposit",
    ):
        assert expected in text
    assert '<td data-label="Units">3</td>' in response.content.decode()
    # and the time it was placed, on the shop's (Jakarta) clock
    placed = timezone.localtime(order.created_at, ZoneInfo("Asia/Jakarta"))
    day, time = dateformat.format(placed, "j M Y"), dateformat.format(placed, "H:i")
    assert f"{day}<br>{time}" in text


def test_shop_wide_list_spans_campaigns_and_names_each_one_but_never_another_shops(
    seller, shop, open_campaign, roomy_campaign
):
    # given orders in two of the shop's campaigns, and one in another shop
    tote = order_of(open_campaign, ("Green", 1, "A"))
    hoodie = order_of(roomy_campaign, ("Navy", 1, ""))
    elsewhere = make_order(make_campaign(make_shop()))
    # when the seller opens the shop's orders
    response = seller.get(orders_url(shop))
    # then both of hers are there with their campaign, the other shop's is not
    assert order_codes(response) == {tote.code, hoodie.code}
    assert elsewhere.code not in page_text(response)
    assert "Custom tote" in page_text(response) and "Hoodie" in page_text(response)


def test_filter_by_status_shows_only_orders_in_that_status(seller, shop, roomy_campaign):
    # given a pending, a confirmed and a cancelled order
    pending = order_of(roomy_campaign, ("Green", 1, ""))
    confirmed = move_order(order=order_of(roomy_campaign, ("Green", 1, "")), to=S.CONFIRMED)
    order_of(roomy_campaign, ("Green", 1, ""))
    cancelled = move_order(order=order_of(roomy_campaign, ("Navy", 1, "")), to=S.CANCELLED)
    # when she filters by status
    # then each filter shows its own orders
    assert order_codes(seller.get(orders_url(shop, status="confirmed"))) == {confirmed.code}
    assert order_codes(seller.get(orders_url(shop, status="cancelled"))) == {cancelled.code}
    assert pending.code in order_codes(seller.get(orders_url(shop, status="pending")))


def test_filter_by_payment_state_follows_deposit_and_balance(seller, shop, roomy_campaign):
    # given an unpaid order, one with its deposit in, and one paid in full
    unpaid = order_of(roomy_campaign, ("Green", 1, ""))
    deposit = move_order(order=order_of(roomy_campaign, ("Green", 1, "")), to=S.CONFIRMED)
    full = order_of(roomy_campaign, ("Navy", 1, ""))
    for step in (S.CONFIRMED, S.IN_PRODUCTION, S.PAID):
        move_order(order=full, to=step)
    # when she filters by payment
    # then each state finds its order
    assert order_codes(seller.get(orders_url(shop, payment="unpaid"))) == {unpaid.code}
    assert order_codes(seller.get(orders_url(shop, payment="deposit_paid"))) == {deposit.code}
    assert order_codes(seller.get(orders_url(shop, payment="paid_in_full"))) == {full.code}


def test_filter_by_variant_lists_an_order_once_even_with_two_lines_of_it(
    seller, shop, roomy_campaign
):
    # given an order with two Navy lines, a mixed one and a Green-only one
    navy, _green = roomy_campaign.variants.order_by("-position")
    twice = order_of(roomy_campaign, ("Navy", 1, "A"), ("Navy", 2, "B"))
    mixed = order_of(roomy_campaign, ("Green", 1, ""), ("Navy", 1, ""))
    order_of(roomy_campaign, ("Green", 1, ""))
    # when she filters the campaign's orders by Navy
    response = seller.get(orders_url(shop, roomy_campaign, variant=navy.pk))
    # then the two orders with Navy are there, once each
    assert order_codes(response) == {twice.code, mixed.code}
    assert order_rows(response).count(twice.code) == 1
    assert "2 orders" in page_text(response)


def test_a_filter_value_that_does_not_exist_is_ignored_not_an_error(seller, shop, roomy_campaign):
    # given an order
    order = order_of(roomy_campaign, ("Green", 1, ""))
    # when the URL carries nonsense filters
    response = seller.get(orders_url(shop, roomy_campaign, status="bogus", variant="x", page="z"))
    # then the page still lists the orders
    assert response.status_code == 200
    assert order_codes(response) == {order.code}


@pytest.mark.parametrize(
    "typed",
    [
        "code",
        "code-lowercase",
        "sinta",
        "SINTA@Example",
        "081398765432",
        "0813 9876 5432",
        "+62 813-9876-5432",
        "98765432",
    ],
)
def test_search_finds_an_order_by_code_name_email_or_phone_as_typed_locally(
    seller, shop, roomy_campaign, typed
):
    # given Sinta's order among others
    sinta = order_of(
        roomy_campaign,
        ("Green", 1, ""),
        name="Sinta Dewi",
        phone="+6281398765432",
        email="sinta@example.com",
    )
    order_of(roomy_campaign, ("Green", 1, ""), name="Budi", phone="+6281211112222")
    if typed == "code":
        typed = sinta.code
    elif typed == "code-lowercase":
        typed = sinta.code.lower()
    # when the seller searches for what she has in front of her
    response = seller.get(orders_url(shop), {"q": typed})
    # then Sinta's order, and only hers, comes up
    assert order_codes(response) == {sinta.code}


@pytest.mark.parametrize("typed", ["0000", "Zulkifli", "+62 811-0000-0000"])
def test_search_for_nobody_there_finds_nothing(seller, shop, roomy_campaign, typed):
    # given Sinta's order
    order_of(roomy_campaign, ("Green", 1, ""), name="Sinta Dewi", phone="+6281398765432")
    # when the seller searches for someone else (or only zeros)
    response = seller.get(orders_url(shop), {"q": typed})
    # then no order comes up
    assert order_codes(response) == set()
    assert "No orders match." in page_text(response)


def test_orders_page_25_at_a_time_and_page_links_keep_the_filters(seller, shop, roomy_campaign):
    # given 30 pending orders and 2 confirmed ones
    pending = [order_of(roomy_campaign, ("Green", 1, "")) for _ in range(30)]
    for _ in range(2):
        move_order(order=order_of(roomy_campaign, ("Green", 1, "")), to=S.CONFIRMED)
    # when she lists the pending orders
    first = seller.get(orders_url(shop, roomy_campaign, status="pending"))
    # then she sees 25 of 30, newest first
    assert len(order_codes(first)) == 25
    assert "30 orders" in page_text(first)
    assert pending[-1].code in order_codes(first)
    # and the next-page link keeps the filter
    link = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1)
    assert parse_qs(urlsplit(html.unescape(link)).query) == {"status": ["pending"], "page": ["2"]}
    # when she follows it
    second = seller.get(orders_url(shop, roomy_campaign) + html.unescape(link))
    # then the 5 oldest pending orders are there, no confirmed one
    assert order_codes(second) == {order.code for order in pending[:5]}
    assert "Page 2 of 2" in page_text(second)


# The page's fixed queries: session, user, shop, [campaign, its variants,] count, orders, lines.
LIST_QUERIES = {"shop": 6, "campaign": 8}


@pytest.mark.parametrize("scope", ["shop", "campaign"])
def test_orders_list_runs_the_same_queries_for_10_orders_as_for_5000(
    seller, shop, roomy_campaign, django_assert_num_queries, scope
):
    campaign = roomy_campaign if scope == "campaign" else None
    navy = roomy_campaign.variants.get(name="Navy")
    filtered = {"payment": "deposit_paid", "q": "bulk"}
    if campaign:
        filtered["variant"] = navy.pk
    # given 10 orders
    bulk_orders(roomy_campaign, 10)
    # when the seller opens the list, plain and filtered
    # then it runs a fixed number of queries
    with django_assert_num_queries(LIST_QUERIES[scope]):
        assert seller.get(orders_url(shop, campaign)).status_code == 200
    with django_assert_num_queries(LIST_QUERIES[scope]):
        assert seller.get(orders_url(shop, campaign), filtered).status_code == 200
    # given 5,000 orders (4,990 more)
    bulk_orders(roomy_campaign, 4990, start=10)
    assert Order.objects.count() == 5000
    # then the same pages run the same number of queries
    with django_assert_num_queries(LIST_QUERIES[scope]):
        response = seller.get(orders_url(shop, campaign))
    assert len(order_codes(response)) == 25
    with django_assert_num_queries(LIST_QUERIES[scope]):
        response = seller.get(orders_url(shop, campaign), filtered)
    assert len(order_codes(response)) == 25
