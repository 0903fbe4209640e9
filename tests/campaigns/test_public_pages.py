"""The shop page and the campaign page, as a buyer arriving from a WhatsApp link sees them."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone

from campaigns.models import Campaign, CampaignImage
from orders.services.transitions import move_order
from tests.factories import (
    count_queries,
    jakarta_noon,
    make_campaign,
    make_many_orders,
    make_order,
    make_shop,
)
from tests.support import page_text

JAKARTA = ZoneInfo("Asia/Jakarta")


def add_photos(campaign: Campaign, count: int = 2) -> None:
    # Rows only: the pages render the stored names, no file is opened.
    for n in range(count):
        CampaignImage.objects.create(
            campaign=campaign,
            image=f"campaigns/{campaign.pk}/photo-{n}.webp",
            thumbnail=f"campaigns/{campaign.pk}/thumb-{n}.webp",
            alt=f"{campaign.title} photo {n}",
            position=n,
        )


# --- the shop page ---------------------------------------------------------------------------


def test_shop_page_lists_open_then_upcoming_then_closed_and_never_drafts(client, shop):
    # given campaigns in every situation, created in a shuffled order
    now = timezone.now()
    make_campaign(
        shop,
        title="Closed pins",
        opens_at=now - timedelta(days=20),
        closes_at=now - timedelta(days=2),
    )
    make_campaign(
        shop,
        title="Upcoming hoodie",
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=10),
    )
    make_campaign(shop, title="Secret draft", status=Campaign.Status.DRAFT)
    make_campaign(
        shop,
        title="Scarf in production",
        status=Campaign.Status.IN_PRODUCTION,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=10),
    )
    make_campaign(shop, title="Open tote", closes_at=now + timedelta(days=5))

    # when a buyer opens the shop
    response = client.get("/rajut/")

    # then open campaigns come first, then upcoming ones, then the past ones; no draft at all
    assert response.status_code == 200
    text = page_text(response)
    assert "Secret draft" not in text
    positions = [
        text.index(title)
        for title in ("Open tote", "Upcoming hoodie", "Closed pins", "Scarf in production")
    ]
    assert positions[0] < positions[1] < positions[2]
    assert positions[1] < positions[3]


def test_shop_page_shows_each_campaign_with_its_price_status_and_progress(client, open_campaign):
    # given three units ordered on the tote
    make_order(open_campaign, quantity=3, note="Green, “SARI”")

    # when
    text = page_text(client.get("/rajut/"))

    # then
    assert "Custom tote" in text
    assert "from Rp 150.000" in text
    assert "closes in" in text
    assert "3 ordered, 0 paid, 5 needed" in text
    assert "<progress" in text


def test_unknown_shop_is_not_found(client, db):
    assert client.get("/nobody-here/").status_code == 404


def test_shop_page_query_count_does_not_grow_with_orders_or_campaigns(
    client, open_campaign, django_assert_num_queries
):
    # given the shop with one campaign, without a capacity, and no orders
    Campaign.objects.filter(pk=open_campaign.pk).update(capacity=None)
    empty = count_queries(client, "/rajut/")
    print(f"\nshop page queries: {empty}")

    # when the shop fills up: 1,000 orders, photos, an upcoming and a closed campaign
    make_many_orders(open_campaign, 1000)
    add_photos(open_campaign)
    now = timezone.now()
    for title, opens, closes in [
        ("Upcoming hoodie", now + timedelta(days=3), now + timedelta(days=10)),
        ("Closed pins", now - timedelta(days=20), now - timedelta(days=2)),
    ]:
        add_photos(make_campaign(open_campaign.shop, title=title, opens_at=opens, closes_at=closes))

    # then the page still runs the same queries
    with django_assert_num_queries(empty):
        response = client.get("/rajut/")
    assert "1000 ordered, 0 paid, 5 needed" in page_text(response)
    assert empty <= 5


# --- the campaign page -----------------------------------------------------------------------


@pytest.fixture
def tote_page_campaign(open_campaign):
    """The tote with round, recognisable terms; it closes at noon in Jakarta a week from now."""
    Campaign.objects.filter(pk=open_campaign.pk).update(
        closes_at=jakarta_noon(7),
        production_days=14,
        shipping_days=3,
        deposit_hours=36,
        balance_days=10,
    )
    open_campaign.refresh_from_db()
    return open_campaign


def test_campaign_page_shows_the_po_terms(client, tote_page_campaign):
    # given three of the ten units ordered, two of them paid for
    make_order(tote_page_campaign, quantity=1, note="Green, “SARI”")
    move_order(
        order=make_order(tote_page_campaign, quantity=2, note="Green, “BUDI”"), to="confirmed"
    )

    # when a buyer opens the campaign
    response = client.get("/rajut/tote/")

    # then everything the seller's checklist asks for is on the page
    assert response.status_code == 200
    text = page_text(response)
    assert "<h1>Custom tote</h1>" in text
    assert "Rp 150.000" in text
    assert "Rp 165.000" in text
    assert re.search(r'class="pill pill-open">\s*Open\s*·\s*closes in <time', text)
    assert "3 ordered, 2 paid, 5 needed" in text
    assert re.search(r'<progress [^>]*max="5" value="2"', text)
    assert "7 of 10 left" in text
    closes_on = jakarta_noon(7).date()
    production_ends = dateformat.format(closes_on + timedelta(days=14), "j M Y")
    ships = dateformat.format(closes_on + timedelta(days=17), "j M Y")
    assert f"14 days after the window closes (about {production_ends})" in text
    assert re.search(rf"Estimated shipping</dt>\s*<dd>{ships}</dd>", text)
    assert "Down payment (DP) of 50% of the order" in text
    assert "within 36 hours of ordering" in text
    assert "The balance is due within 10 days after production finishes." in text
    assert "Colour and name to print" in text
    assert 'name="buyer_name"' in text


def test_campaign_page_shows_a_fixed_deposit_per_unit(client, open_campaign):
    # given
    Campaign.objects.filter(pk=open_campaign.pk).update(
        deposit_rule=Campaign.DepositRule.FIXED, deposit_value=Decimal(25_000)
    )

    # when
    text = page_text(client.get("/rajut/tote/"))

    # then
    assert "Down payment (DP) of Rp 25.000 per unit" in text
    assert "50%" not in text


def test_campaign_page_shows_full_payment_up_front(client, open_campaign):
    # given
    Campaign.objects.filter(pk=open_campaign.pk).update(deposit_rule=Campaign.DepositRule.FULL)

    # when
    text = page_text(client.get("/rajut/tote/"))

    # then
    assert "Full payment within 24 hours of ordering." in text
    assert "Down payment" not in text
    assert "The balance is due" not in text


def test_estimated_dates_are_counted_in_the_shops_time_zone(client, open_campaign):
    # given a window that closes at midnight in Jakarta (17:00 UTC the day before)
    midnight = datetime.combine(
        timezone.localdate(timezone=JAKARTA) + timedelta(days=8), time(0, 0), tzinfo=JAKARTA
    )
    Campaign.objects.filter(pk=open_campaign.pk).update(
        closes_at=midnight, production_days=14, shipping_days=3
    )

    # when
    text = page_text(client.get("/rajut/tote/"))

    # then the estimates count from the day the seller and buyers see on their calendar
    production_ends = dateformat.format(midnight.date() + timedelta(days=14), "j M Y")
    ships = dateformat.format(midnight.date() + timedelta(days=17), "j M Y")
    assert f"(about {production_ends})" in text
    assert re.search(rf"Estimated shipping</dt>\s*<dd>{ships}</dd>", text)


def test_scheduled_campaign_counts_down_to_opening_and_takes_no_orders(client, shop):
    # given a published campaign that opens in three days
    now = timezone.now()
    make_campaign(
        shop,
        slug="hoodie",
        title="Batik hoodie",
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=10),
    )

    # when
    response = client.get("/rajut/hoodie/")

    # then
    assert response.status_code == 200
    text = page_text(response)
    assert "Opens soon" in text
    assert "opens in" in text
    assert "closes in" not in text
    assert "This PO is not taking orders right now." in text
    assert 'name="buyer_name"' not in text
    assert "Place order" not in text


def test_draft_campaign_is_not_found(client, shop):
    # given
    make_campaign(shop, slug="secret", title="Secret draft", status=Campaign.Status.DRAFT)

    # when
    response = client.get("/rajut/secret/")

    # then
    assert response.status_code == 404
    assert "Secret draft" not in page_text(response)


def test_campaign_of_an_unknown_shop_is_not_found(client, open_campaign):
    assert client.get("/nobody-here/tote/").status_code == 404


def test_campaign_slug_under_another_shop_is_not_found(client, open_campaign):
    # given another shop without a "tote"
    make_campaign(slug="scarf")
    other_shop_slug = Campaign.objects.get(slug="scarf").shop.slug

    # then the tote is only found under its own shop
    assert client.get(f"/{other_shop_slug}/tote/").status_code == 404


def test_campaign_page_query_count_is_the_same_with_1000_orders(
    client, open_campaign, django_assert_num_queries
):
    # given the campaign without orders
    Campaign.objects.filter(pk=open_campaign.pk).update(capacity=None)
    empty = count_queries(client, "/rajut/tote/")
    print(f"\ncampaign page queries, 0 orders: {empty}")

    # when 1,000 orders and a few photos arrive
    make_many_orders(open_campaign, 1000)
    add_photos(open_campaign, 3)

    # then the page runs exactly the same queries
    with django_assert_num_queries(empty):
        response = client.get("/rajut/tote/")
    print(f"campaign page queries, 1,000 orders: {empty}")
    assert "1000 ordered, 0 paid, 5 needed" in page_text(response)
    assert empty <= 5


# --- headers ---------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("url", ["/rajut/", "/rajut/tote/"])
def test_public_pages_send_the_security_headers(client, open_campaign, url):
    # when
    response = client.get(url)

    # then
    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    assert "script-src" in directives
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_draft_is_previewed_by_the_shops_team_and_hidden_from_everyone_else(client, shop):
    # given a draft
    draft = make_campaign(shop, status=Campaign.Status.DRAFT, title="Secret tote")
    url = draft.get_absolute_url()
    # then buyers and other sellers do not find it
    assert client.get(url).status_code == 404
    client.force_login(make_shop().owner)
    assert client.get(url).status_code == 404
    # when a member of the shop opens it
    client.force_login(shop.owner)
    response = client.get(url)
    # then they see a preview that takes no orders and asks not to be indexed
    text = page_text(response)
    assert response.status_code == 200
    assert "Draft preview" in text and "Secret tote" in text
    assert "Place order" not in text
    assert '<meta name="robots" content="noindex' in text


def test_a_sold_out_page_first_releases_orders_past_their_deposit_deadline(
    client, open_campaign, overdue_order
):
    # given the rest of the capacity is taken, so the campaign looks sold out
    make_order(open_campaign, quantity=8, note="x")
    # when a buyer opens the page
    text = page_text(client.get(open_campaign.get_absolute_url()))
    # then the overdue order's 2 units are back on sale and the form is there
    overdue_order.refresh_from_db()
    assert overdue_order.status == "expired"
    assert "2 of 10 left" in text
    assert "Place order" in text
