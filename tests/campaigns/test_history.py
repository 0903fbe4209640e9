"""The shop's history page: on which days of the month and at which hours buyers order."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from orders import tally
from orders.models import Order
from orders.selectors import order_history
from orders.services.transitions import move_order
from tests.factories import count_queries, make_campaign, make_many_orders, make_order, make_shop
from tests.support import page_text

pytestmark = pytest.mark.django_db


def history_url(shop) -> str:
    return reverse("dashboard:history", args=[shop.slug])


def placed_at(campaign, *moments: datetime) -> list[Order]:
    """One order in `campaign` placed at each moment."""
    orders = []
    for moment in moments:
        order = make_order(campaign, note="x")
        Order.objects.filter(pk=order.pk).update(created_at=moment)
        orders.append(order)
    tally.recount([campaign.pk])
    return orders


def rows(response, section: str) -> dict[str, int]:
    """The table of a section ("days" or "hours") as the page lists it: label → orders."""
    page = page_text(response)
    part = page[page.index(f'id="{section}-title"') :]
    table = part[: part.index("</table>")]
    return {
        label: int(n)
        for label, n in re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    }


def text(response) -> str:
    return re.sub(r"\s+", " ", page_text(response))


def test_an_order_just_before_midnight_utc_counts_on_the_next_day_in_jakarta(seller, shop):
    # given an order placed on 31 January 2026 at 23:30 UTC: 1 February, 06:30 in Jakarta
    campaign = make_campaign(shop)
    placed_at(campaign, datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
    # when
    response = seller.get(history_url(shop))
    # then it counts on day 1, in the hour from 06:00
    days, hours = rows(response, "days"), rows(response, "hours")
    assert days["1"] == 1 and sum(days.values()) == 1
    assert hours["06:00"] == 1 and sum(hours.values()) == 1
    assert len(days) == 31 and len(hours) == 24


def test_the_same_moment_counts_on_the_31st_at_23h_in_a_london_shop():
    # given the same order in a shop whose clock is London's
    shop = make_shop(time_zone="Europe/London")
    placed_at(make_campaign(shop), datetime(2026, 1, 31, 23, 30, tzinfo=UTC))
    # when
    history = order_history(shop)
    # then
    assert history.by_day == {31: 1}
    assert history.by_hour == {23: 1}


def test_every_placed_order_counts_whatever_became_of_it_and_only_this_shops(shop):
    # given orders in two of the shop's campaigns, one later confirmed, one expired, one cancelled
    first, second = make_campaign(shop), make_campaign(shop)
    noon = datetime(2026, 3, 25, 5, 0, tzinfo=UTC)  # 12:00 in Jakarta
    confirmed, expired, cancelled = placed_at(first, noon, noon, noon)
    placed_at(second, noon + timedelta(days=1))
    move_order(order=confirmed, to=Order.Status.CONFIRMED)
    move_order(order=expired, to=Order.Status.EXPIRED)
    move_order(order=cancelled, to=Order.Status.CANCELLED)
    # and an order in another shop
    placed_at(make_campaign(make_shop()), noon)
    # when
    history = order_history(shop)
    # then
    assert history.total == 4
    assert history.campaigns == 2
    assert history.by_day == {25: 3, 26: 1}
    assert history.by_hour == {12: 4}


def test_the_page_names_the_busiest_days_and_hours_and_the_share_around_pay_day(seller, shop):
    # given (Jakarta times) three orders on the 25th at 20:xx, two on the 1st at 21:xx,
    # one on the 10th at 12:xx
    campaign = make_campaign(shop)
    wib = timedelta(hours=7)
    placed_at(
        campaign,
        *[datetime(2026, 3, 25, 20, m, tzinfo=UTC) - wib for m in (1, 2, 3)],
        *[datetime(2026, 4, 1, 21, m, tzinfo=UTC) - wib for m in (1, 2)],
        datetime(2026, 4, 10, 12, 0, tzinfo=UTC) - wib,
    )
    # when
    response = seller.get(history_url(shop))
    page = text(response)
    # then
    assert "Busiest days of the month: 25, 1 and 10." in page
    assert "83% of orders were placed from day 25 to day 2, around pay day." in page
    assert "Busiest hours: 20:00–21:00, 21:00–22:00 and 12:00–13:00." in page
    assert "Asia/Jakarta" in page
    # and the charts have a bar per day and per hour, the pay-day days highlighted
    svg = page_text(response)
    assert len(re.findall(r"<rect[ >]", svg)) == 31 + 24
    assert len(re.findall(r'<rect class="highlight"', svg)) == 9
    assert re.search(r'aria-describedby="days-summary"', svg)


def test_a_shop_without_orders_says_so(seller, shop):
    make_campaign(shop)
    page = text(seller.get(history_url(shop)))
    assert "No orders yet." in page
    assert "<svg" not in page


def test_the_dashboard_menu_links_to_the_history(seller, shop):
    page = page_text(seller.get(reverse("dashboard:home", args=[shop.slug])))
    assert f'href="{history_url(shop)}"' in page


def test_the_history_runs_the_same_queries_at_20_and_3000_orders(
    seller, shop, django_assert_max_num_queries
):
    # given two campaigns without capacity, 10 orders each
    campaigns = [make_campaign(shop, capacity=None) for _ in range(2)]
    for campaign in campaigns:
        make_many_orders(campaign, 10)
    at_20 = count_queries(seller, history_url(shop))
    # when three more campaigns and thousands of orders follow
    campaigns += [make_campaign(shop, capacity=None) for _ in range(3)]
    for campaign in campaigns:
        make_many_orders(campaign, 596, start=10)
    at_3000 = count_queries(seller, history_url(shop))
    # then
    assert at_20 == at_3000
    with django_assert_max_num_queries(4):  # session, user, shop; the hourly counts
        seller.get(history_url(shop))
