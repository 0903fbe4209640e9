"""The seller's home and campaign overview: figures a seller acts on, at a fixed query cost."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from campaigns.views.charts import HEIGHT, LABEL_ROOM, daily_bars
from orders.models import Order
from orders.services.transitions import move_order
from payments.models import Payment
from tests.factories import count_queries, make_campaign, make_many_orders, make_order, make_shop


def overview_url(campaign):
    return reverse("dashboard:campaign", args=[campaign.shop.slug, campaign.pk])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_seller_with_one_shop_lands_on_its_dashboard(seller, shop):
    response = seller.get(reverse("dashboard:pick_shop"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home", args=[shop.slug])


def test_a_member_of_two_shops_picks_one(seller, shop):
    # given
    other = make_shop(name="Batik Kita", owner=shop.owner)
    # when
    page = text_of(seller.get(reverse("dashboard:pick_shop")))
    # then
    assert shop.name in page and other.name in page


def test_home_shows_campaigns_with_progress_and_what_needs_attention(seller, open_campaign):
    # given two pending orders and a confirmed one
    make_order(open_campaign, quantity=1, note="x")
    make_order(open_campaign, quantity=2, note="y")
    confirmed = make_order(open_campaign, quantity=3, note="z")
    move_order(order=confirmed, to="confirmed")
    # and a campaign whose window closed while it is still published
    make_campaign(
        open_campaign.shop,
        title="Closed pins",
        opens_at=open_campaign.opens_at - timedelta(days=20),
        closes_at=open_campaign.opens_at - timedelta(days=1),
    )

    # when
    page = text_of(seller.get(reverse("dashboard:home", args=[open_campaign.shop.slug])))

    # then
    assert "Custom tote" in page
    assert "6 ordered, 3 paid, 5 needed" in page
    assert re.search(r"Waiting for deposit</span><strong class=\"figure-value\">2<", page)
    assert "“Closed pins” has closed" in page


def test_deposit_due_soon_counts_only_orders_inside_six_hours(seller, open_campaign):
    # given one pending order due in 2 hours and one due in 20 hours
    soon, later = (make_order(open_campaign, note="x") for _ in range(2))
    now = soon.created_at
    Order.objects.filter(pk=soon.pk).update(deposit_due_at=now + timedelta(hours=2))
    Order.objects.filter(pk=later.pk).update(deposit_due_at=now + timedelta(hours=20))
    # when
    page = text_of(seller.get(reverse("dashboard:home", args=[open_campaign.shop.slug])))
    # then
    assert re.search(r"Deposit due within 6 hours</span><strong class=\"figure-value\">1<", page)


def test_overview_shows_money_figures_units_per_variant_and_share_tools(seller, open_campaign):
    # given a pending order of 2 Green (Rp 300.000) and a confirmed one of 1 Navy (Rp 165.000)
    green, navy = open_campaign.variants.all()
    make_order(open_campaign, quantity=2, note="a", variant=green)
    confirmed = make_order(open_campaign, quantity=1, note="b", variant=navy)
    move_order(order=confirmed, to="confirmed")

    # when
    page = text_of(seller.get(overview_url(open_campaign)))

    # then the figures add up
    assert "Rp 465.000" in page  # revenue: both orders
    assert "Rp 82.500" in page or "Rp 82.501" in page  # collected: the confirmed deposit
    assert "3 ordered, 1 paid, 5 needed" in page
    # and each variant has its row
    assert re.search(r"Green</th> <td[^>]*>2</td> <td[^>]*>0</td>", page)
    assert re.search(r"Navy</th> <td[^>]*>1</td> <td[^>]*>1</td> <td[^>]*>3</td>", page)
    # and the public link can be shared
    assert "http://testserver/rajut/tote/" in page
    assert "https://wa.me/?text=" in page and "testserver%2Frajut%2Ftote%2F" in page
    assert reverse("dashboard:campaign_qr", args=["rajut", open_campaign.pk]) in page


def test_overview_chart_has_a_bar_per_day_of_the_window_so_far(seller, open_campaign):
    # given the campaign opened yesterday and one order today
    make_order(open_campaign, note="x")
    # when
    page = seller.get(overview_url(open_campaign)).content.decode()
    # then
    bars = re.findall(r"<rect [^>]*><title>([^<]+)</title>", page)
    assert len(bars) == 2
    assert bars[-1].endswith(": 1")
    # and the chart shows the value itself, over today's bar only (yesterday had none)
    assert re.findall(r"<text [^>]*>(\d+)</text>", page) == ["1"]


def test_qr_code_is_an_svg_of_the_public_link(seller, open_campaign):
    response = seller.get(reverse("dashboard:campaign_qr", args=["rajut", open_campaign.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_daily_bars_fill_days_without_orders_and_scale_to_the_busiest():
    # when
    bars = daily_bars(
        {date(2026, 3, 2): 4, date(2026, 3, 4): 2}, date(2026, 3, 1), date(2026, 3, 4)
    )
    # then
    assert [bar.value for bar in bars] == [0, 4, 0, 2]
    # the busiest reaches the top but for the room its value is written in
    assert bars[1].height == HEIGHT - LABEL_ROOM and bars[1].y == LABEL_ROOM
    assert bars[3].height == (HEIGHT - LABEL_ROOM) / 2


@pytest.mark.parametrize("screen", ["home", "campaign"])
def test_dashboard_pages_run_the_same_queries_at_10_and_5000_orders(seller, open_campaign, screen):
    # given a campaign without capacity, so that thousands of orders fit
    campaign = make_campaign(open_campaign.shop, capacity=None)
    url = (
        overview_url(campaign)
        if screen == "campaign"
        else reverse("dashboard:home", args=[campaign.shop.slug])
    )
    make_many_orders(campaign, 10)
    at_10 = count_queries(seller, url)
    # when
    make_many_orders(campaign, 4990, start=10)
    at_5000 = count_queries(seller, url)
    # then
    print(f"{screen}: {at_10} queries at 10 orders, {at_5000} at 5,000")
    assert at_10 == at_5000


def test_home_counts_payments_waiting_for_review(seller, open_campaign):
    # given one payment sent and one already verified
    first, second = (make_order(open_campaign, note="x") for _ in range(2))
    for order, status in ((first, "submitted"), (second, "verified")):
        Payment.objects.create(
            order=order,
            kind="deposit",
            amount=order.deposit_amount,
            sender_name="A",
            sender_bank="BCA",
            proof="p.webp",
            status=status,
            amount_received=order.deposit_amount if status == "verified" else None,
        )
    # when
    page = text_of(seller.get(reverse("dashboard:home", args=[open_campaign.shop.slug])))
    # then
    assert re.search(r"Payments to review</span><strong class=\"figure-value\">1<", page)
    assert "1 payment is waiting for your review." in page
