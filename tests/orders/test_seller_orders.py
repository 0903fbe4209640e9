"""The seller's order screens: the lists, one order, its note, cancelling, and who may look."""

import html
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, timezone

from campaigns.models import Campaign, Variant
from kernel.money import format_money
from orders.models import Order, OrderEvent, OrderLine
from orders.services.placing import LineRequest, place_order
from orders.services.transitions import move_order
from payments.models import Payment
from tests.factories import make_buyer, make_campaign, make_order, make_shop, make_user
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


def order_rows(response) -> list[str]:
    """The order codes of the list's rows, top to bottom."""
    return re.findall(r'class="order-code" href="[^"]+">([^<]+)</a>', response.content.decode())


def order_codes(response) -> set[str]:
    return set(order_rows(response))


def order_of(campaign: Campaign, *lines: tuple[str, int, str], **buyer) -> Order:
    """An order of (variant name, quantity, note) lines, placed the way a buyer does."""
    variants = {v.name: v.pk for v in campaign.variants.all()}
    return place_order(
        campaign=campaign,
        lines=[LineRequest(variants[name], qty, note) for name, qty, note in lines],
        buyer=make_buyer(**buyer),
        idempotency_key=f"test-{Order.objects.count()}-{campaign.pk}",
    )


def counters(campaign: Campaign) -> dict[str, int]:
    campaign = Campaign.objects.get(pk=campaign.pk)
    return {"campaign": campaign.reserved} | {v.name: v.reserved for v in campaign.variants.all()}


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


def orders_url(shop, campaign=None, **params) -> str:
    if campaign is None:
        url = reverse("dashboard:orders", args=[shop.slug])
    else:
        url = reverse("dashboard:campaign_orders", args=[shop.slug, campaign.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def order_url(order, name="dashboard:order") -> str:
    return reverse(name, args=[order.campaign.shop.slug, order.code])


# --- the lists -------------------------------------------------------------------------------


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


# --- one order --------------------------------------------------------------------------------


@pytest.fixture
def sinta_order(open_campaign) -> Order:
    """Sinta's pending order: two Green with a name to print, one Navy."""
    return order_of(
        open_campaign,
        ("Green", 2, "Green, “SARI”"),
        ("Navy", 1, "Navy, “BUDI”"),
        name="Sinta Dewi",
        phone="+6281398765432",
        email="sinta@example.com",
        address="Jl. Melati 5\nBandung 40115",
    )


def test_order_page_shows_lines_amounts_buyer_and_timeline(seller, sinta_order):
    # given a confirmed order (her deposit was seen by the owner)
    owner = sinta_order.campaign.shop.owner
    move_order(order=sinta_order, to=S.CONFIRMED, actor=owner, note="BCA transfer seen")
    # when the seller opens it
    response = seller.get(order_url(sinta_order))
    # then she sees the lines with their notes and the amounts
    assert response.status_code == 200
    text = page_text(response)
    for expected in (
        sinta_order.code,
        "2 × Green",
        "Green, “SARI”",
        "Navy, “BUDI”",
        "Rp 465.000",  # subtotal
        "Rp 232.500",  # deposit (50 %)
        "Deposit due",
        "Deposit received",
        # the buyer's contact and address
        "Sinta Dewi",
        "+62 813-9876-5432",
        "sinta@example.com",
        "Jl. Melati 5<br>Bandung 40115",
        # the timeline and the raw events, with who did what
        "Order placed",
        "Waiting for deposit → Deposit received",
        owner.get_username(),
        "BCA transfer seen",
    ):
        assert expected in text, expected
    # and a place for the payments, without invented ones
    assert 'id="payments-title"' in text
    assert "No payment sent yet." in text


def test_order_page_runs_a_fixed_number_of_queries(
    seller, sinta_order, django_assert_max_num_queries
):
    # given an order with a few events
    move_order(order=sinta_order, to=S.CONFIRMED)
    move_order(order=sinta_order, to=S.IN_PRODUCTION)
    # then its page reads it, and the e-mails about it, in a handful of queries
    with django_assert_max_num_queries(8):
        assert seller.get(order_url(sinta_order)).status_code == 200


def test_whatsapp_link_opens_a_chat_with_the_buyer_naming_order_campaign_and_amount_due(
    seller, sinta_order
):
    # when the seller opens a pending order
    response = seller.get(order_url(sinta_order))
    # then the chat link goes to the buyer's number with the message typed
    link = html.unescape(re.search(r'href="(https://wa\.me/[^"]+)"', response.content.decode())[1])
    parts = urlsplit(link)
    assert parts.path == "/6281398765432"
    message = unquote(parse_qs(parts.query)["text"][0])
    assert sinta_order.code in message
    assert "Custom tote" in message
    assert "please transfer Rp 232.500." in message  # the deposit, while pending
    assert f"/o/{sinta_order.token}/" in message


def test_whatsapp_message_asks_for_the_balance_once_production_is_done(seller, sinta_order):
    # given the deposit was received and production has finished
    Payment.objects.create(
        order=sinta_order,
        kind=Payment.Kind.DEPOSIT,
        amount=sinta_order.deposit_amount,
        sender_name="Sinta",
        sender_bank="BCA",
        proof="proof.webp",
        status=Payment.Status.VERIFIED,
        amount_received=sinta_order.deposit_amount,
    )
    for status in (S.CONFIRMED, S.IN_PRODUCTION, S.AWAITING_BALANCE):
        move_order(order=sinta_order, to=status)
    # when the seller opens the order
    response = seller.get(order_url(sinta_order))
    # then the chat message names the balance as what is due
    assert response.context["money"].due.amount == Decimal("232500")
    assert "transfer%20Rp%20232.500." in response.content.decode()


def test_with_unique_transfer_codes_the_message_asks_for_the_exact_amount_to_transfer(
    seller, shop, open_campaign
):
    # given a shop that adds a unique code (kode unik) to every transfer
    shop.unique_codes = True
    shop.save()
    order = order_of(open_campaign, ("Green", 1, "A"), phone="+6281398765432")
    assert 1 <= order.transfer_code <= 999
    # when the seller opens the order
    response = seller.get(order_url(order))
    # then the page shows the code, and the message asks for the deposit plus the code
    exact = format_money(Decimal(75000) + order.transfer_code, "IDR")
    text = page_text(response)
    assert "Unique transfer code" in text
    assert exact in text
    link = re.search(r'href="(https://wa\.me/[^"]+)"', response.content.decode())[1]
    message = parse_qs(urlsplit(html.unescape(link)).query)["text"][0]
    assert f"please transfer {exact}." in message


def test_internal_note_is_saved_for_the_team_and_never_shown_to_the_buyer(
    seller, client, sinta_order
):
    # when the seller writes an internal note
    response = seller.post(
        order_url(sinta_order, "dashboard:order_note"),
        {"internal_note": "Called her: prefers the darker green"},
    )
    # then it is saved and shown back on the order's page
    assert response.status_code == 302
    sinta_order.refresh_from_db()
    assert sinta_order.internal_note == "Called her: prefers the darker green"
    assert "prefers the darker green" in page_text(seller.get(order_url(sinta_order)))
    # and the buyer's own page never shows it
    client.logout()
    buyer_page = client.get(sinta_order.get_absolute_url())
    assert "prefers the darker green" not in page_text(buyer_page)


def test_saving_the_note_never_undoes_a_status_change_made_meanwhile(seller, sinta_order):
    # given the seller's page was loaded while the order was pending, then someone confirmed it
    move_order(order=Order.objects.get(pk=sinta_order.pk), to=S.CONFIRMED)
    # when she saves a note
    seller.post(order_url(sinta_order, "dashboard:order_note"), {"internal_note": "VIP"})
    # then the order keeps its new status
    sinta_order.refresh_from_db()
    assert (sinta_order.status, sinta_order.internal_note) == (S.CONFIRMED, "VIP")


def test_cancelling_gives_the_units_back_and_writes_who_and_why_on_the_timeline(
    seller, shop, sinta_order
):
    campaign = sinta_order.campaign
    assert counters(campaign) == {"campaign": 3, "Green": 2, "Navy": 1}
    # when the seller cancels with a reason
    response = seller.post(
        order_url(sinta_order, "dashboard:order_cancel"), {"reason": "Buyer asked on WhatsApp"}
    )
    # then the order is cancelled and its units are back on sale
    assert response.status_code == 302
    sinta_order.refresh_from_db()
    assert sinta_order.status == S.CANCELLED
    assert counters(campaign) == {"campaign": 0, "Green": 0, "Navy": 0}
    # and the timeline says who and why
    event = sinta_order.events.latest("id")
    assert (event.from_status, event.to_status) == (S.PENDING, S.CANCELLED)
    assert event.actor == shop.owner
    assert event.note == "Buyer asked on WhatsApp"
    # and the page says so
    page = page_text(seller.get(response.url))
    assert "is cancelled and its units are back on sale" in page


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(seller, sinta_order):
    # when the seller sends the cancel form empty
    response = seller.post(order_url(sinta_order, "dashboard:order_cancel"), {"reason": "  "})
    # then the form asks for a reason and the order stays as it was
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    sinta_order.refresh_from_db()
    assert sinta_order.status == S.PENDING
    assert sinta_order.events.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        (S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED),
        (S.CANCELLED,),
        (S.EXPIRED,),
    ],
    ids=["shipped", "cancelled", "expired"],
)
def test_an_order_that_can_no_longer_be_cancelled_is_refused_with_a_clear_message(
    seller, sinta_order, path
):
    # given an order already past the point of cancelling
    for step in path:
        move_order(order=sinta_order, to=step)
    before = (counters(sinta_order.campaign), sinta_order.events.count())
    # when the seller tries to cancel it (a stale page, a second tap)
    response = seller.post(
        order_url(sinta_order, "dashboard:order_cancel"), {"reason": "Changed my mind"}, follow=True
    )
    # then she is told why and nothing changed
    text = page_text(response)
    assert "can no longer be cancelled. Nothing changed." in text
    sinta_order.refresh_from_db()
    assert sinta_order.status == path[-1]
    assert (counters(sinta_order.campaign), sinta_order.events.count()) == before
    # and the page offers no cancel button
    assert "Cancel order</button>" not in text


# --- who may look -----------------------------------------------------------------------------


@pytest.fixture
def neighbour():
    """Another shop, with a campaign and an order of its own."""
    shop = make_shop(name="Tetangga", slug="tetangga")
    order = make_order(make_campaign(shop))
    return shop, order


def seller_urls(shop, campaign, order) -> list[tuple[str, str]]:
    """Every seller URL of this area, as (method, url)."""
    on_campaign = [shop.slug, campaign.pk]
    on_order = [shop.slug, order.code]
    return [
        ("get", reverse("dashboard:orders", args=[shop.slug])),
        ("get", reverse("dashboard:campaign_orders", args=on_campaign)),
        ("get", reverse("dashboard:campaign_recap", args=on_campaign)),
        ("get", reverse("dashboard:campaign_recap", args=on_campaign) + "?format=csv"),
        ("get", reverse("dashboard:campaign_export", args=on_campaign)),
        ("get", reverse("dashboard:order", args=on_order)),
        ("post", reverse("dashboard:order_note", args=on_order)),
        ("post", reverse("dashboard:order_cancel", args=on_order)),
    ]


POST_DATA = {"internal_note": "x", "reason": "x"}


def test_every_seller_url_sends_an_anonymous_visitor_to_log_in(client, sinta_order):
    campaign = sinta_order.campaign
    for method, url in seller_urls(campaign.shop, campaign, sinta_order):
        response = getattr(client, method)(url, POST_DATA)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    sinta_order.refresh_from_db()
    assert (sinta_order.status, sinta_order.internal_note) == (S.PENDING, "")


def test_a_member_of_another_shop_gets_not_found_everywhere(client, sinta_order, neighbour):
    # given the owner of another shop is logged in
    other_shop, _ = neighbour
    client.force_login(other_shop.owner)
    campaign = sinta_order.campaign
    # when she tries this shop's pages
    for method, url in seller_urls(campaign.shop, campaign, sinta_order):
        # then each is a 404
        assert getattr(client, method)(url, POST_DATA).status_code == 404, url
    sinta_order.refresh_from_db()
    assert (sinta_order.status, sinta_order.internal_note) == (S.PENDING, "")


def test_another_shops_order_or_campaign_through_my_own_shop_is_not_found(seller, shop, neighbour):
    # given the seller of "rajut" knows the other shop's order code and campaign id
    _, their_order = neighbour
    their_campaign = their_order.campaign
    # when she puts them in her own shop's URLs
    for method, url in seller_urls(shop, their_campaign, their_order):
        if url == reverse("dashboard:orders", args=[shop.slug]):
            continue  # her own list: fine, and without their order
        # then each is a 404 and their order is untouched
        assert getattr(seller, method)(url, POST_DATA).status_code == 404, url
    their_order.refresh_from_db()
    assert (their_order.status, their_order.internal_note) == (S.PENDING, "")
    assert their_order.code not in page_text(seller.get(orders_url(shop)))


def test_a_second_member_of_the_shop_works_on_its_orders_too(client, shop, sinta_order):
    # given a team member who is not the owner
    member = make_user()
    shop.members.add(member)
    client.force_login(member)
    # when she cancels an order
    client.post(order_url(sinta_order, "dashboard:order_cancel"), {"reason": "Duplicate"})
    # then it is cancelled in her name
    event = OrderEvent.objects.filter(order=sinta_order).latest("id")
    assert (event.to_status, event.actor) == (S.CANCELLED, member)
