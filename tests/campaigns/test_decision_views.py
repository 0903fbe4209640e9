"""The production decisions on the campaign overview: the seller sees where the campaign stands
against its minimum and is offered exactly the moves that fit; each move is one POST."""

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order
from payments.services.decisions import extend_window, start_production
from tests.factories import make_campaign, make_order, make_shop
from tests.orders.production import close_window, confirmed_order

S = Order.Status
C = Campaign.Status
START = "dashboard:campaign_start_production"
FINISH = "dashboard:campaign_finish_production"
EXTEND = "dashboard:campaign_extend"


@pytest.fixture
def scarf(shop):
    """Rp 150.000 scarves, 50 % down payment, minimum 3 units, open for another week."""
    return make_campaign(shop, title="Batik scarf", slug="scarf", min_quantity=3, capacity=None)


def url(name: str, campaign: Campaign) -> str:
    return reverse(name, args=[campaign.shop.slug, campaign.pk])


def overview(client, campaign: Campaign) -> str:
    response = client.get(url("dashboard:campaign", campaign))
    assert response.status_code == 200
    return text(response)


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def words(page: str) -> str:
    """What the seller reads, without the markup."""
    return re.sub(r"<[^>]+>", "", page)


def buttons(page: str) -> set[str]:
    """Which production forms the page offers."""
    actions = {
        "start": "/start-production/",
        "finish": "/finish-production/",
        "extend": "/extend/",
    }
    return {name for name, path in actions.items() if path in page}


def snapshot(campaign: Campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.status,
        campaign.closes_at,
        CampaignEvent.objects.filter(campaign=campaign).count(),
        list(campaign.orders.order_by("pk").values_list("status", "balance_due_at")),
        len(mail.outbox),
    )


# --- what the overview offers --------------------------------------------------------------------


def test_a_closed_campaign_at_its_minimum_offers_to_start_production(seller, scarf):
    # given 3 of 3 units confirmed, one more order waiting for its deposit, window closed
    confirmed_order(scarf, quantity=3)
    make_order(scarf)
    close_window(scarf)

    # when
    page = overview(seller, scarf)

    # then
    assert "Minimum reached: 3 of 3 units confirmed." in words(page)
    assert "1 order is still waiting for its deposit" in page
    assert buttons(page) == {"start"}


def test_a_closed_campaign_short_of_its_minimum_offers_to_extend_the_window(seller, scarf):
    # given 1 of 3 units confirmed, window closed
    confirmed_order(scarf)
    close_window(scarf)

    # when
    page = overview(seller, scarf)

    # then
    assert "Minimum not reached: 1 of 3 units confirmed." in words(page)
    assert buttons(page) == {"extend"}
    assert 'type="datetime-local"' in page


def test_a_window_already_extended_is_not_offered_again(seller, scarf):
    # given a window extended once that closed again short of the minimum
    close_window(scarf)
    extend_window(
        campaign=scarf, closes_at=timezone.now() + timedelta(days=1), actor=scarf.shop.owner
    )
    close_window(scarf)

    # when
    page = overview(seller, scarf)

    # then
    assert "Minimum not reached: 0 of 3 units confirmed." in words(page)
    assert "The window was already extended once" in page
    assert buttons(page) == set()


def test_a_window_about_to_close_short_of_its_minimum_may_be_extended(seller, scarf):
    # given a window closing tomorrow with nothing confirmed
    Campaign.objects.filter(pk=scarf.pk).update(closes_at=timezone.now() + timedelta(days=1))

    # when
    page = overview(seller, scarf)

    # then no verdict yet, but the extension is there
    assert "Minimum not reached" not in page
    assert buttons(page) == {"extend"}


def test_an_open_campaign_offers_no_production_decision(seller, scarf):
    # given a week to go, the minimum already confirmed
    confirmed_order(scarf, quantity=3)

    # when
    page = overview(seller, scarf)

    # then
    assert "Minimum reached" not in page
    assert buttons(page) == set()


def test_a_campaign_in_production_offers_to_finish_it(seller, scarf):
    # given
    confirmed_order(scarf, quantity=3)
    close_window(scarf)
    start_production(campaign=scarf, actor=scarf.shop.owner)

    # when
    page = overview(seller, scarf)

    # then
    assert "Production finished" in page
    assert "it is due in 7 days" in page
    assert buttons(page) == {"finish"}


# --- the decisions ------------------------------------------------------------------------------


def test_the_seller_starts_production(seller, scarf):
    # given
    order = confirmed_order(scarf, quantity=3)
    close_window(scarf)

    # when
    response = seller.post(url(START, scarf), follow=True)

    # then back on the overview, with the news
    assert response.redirect_chain == [(url("dashboard:campaign", scarf), 302)]
    assert "Production started." in text(response)
    scarf.refresh_from_db()
    order.refresh_from_db()
    assert (scarf.status, order.status) == (C.IN_PRODUCTION, S.IN_PRODUCTION)
    assert scarf.events.get(kind=CampaignEvent.Kind.STATUS).actor == scarf.shop.owner


def test_a_refused_start_says_why_and_changes_nothing(seller, scarf):
    # given 2 of 3 units confirmed
    confirmed_order(scarf, quantity=2)
    close_window(scarf)
    before = snapshot(scarf)

    # when
    response = seller.post(url(START, scarf), follow=True)

    # then
    assert response.status_code == 200
    assert "Only 2 units of the 3 needed are confirmed." in text(response)
    assert 'class="message message-error"' in response.content.decode()
    assert snapshot(scarf) == before


def test_the_seller_finishes_production_and_buyers_owing_the_balance_are_emailed(
    seller, scarf, django_capture_on_commit_callbacks
):
    # given
    order = confirmed_order(scarf, quantity=3)
    close_window(scarf)
    start_production(campaign=scarf, actor=scarf.shop.owner)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(url(FINISH, scarf), follow=True)

    # then
    assert "Production finished." in text(response)
    scarf.refresh_from_db()
    order.refresh_from_db()
    assert (scarf.status, order.status) == (C.READY, S.AWAITING_BALANCE)
    assert order.balance_due_at is not None
    assert [m.to for m in mail.outbox] == [[order.buyer_email]]


def test_finishing_production_that_never_started_is_refused(seller, scarf):
    # given a published campaign
    before = snapshot(scarf)

    # when
    response = seller.post(url(FINISH, scarf), follow=True)

    # then
    assert "Production has not started for this campaign." in text(response)
    assert snapshot(scarf) == before


def test_the_seller_extends_the_window_in_the_shops_time_zone(seller, scarf):
    # given a window that closed, short of the minimum
    close_window(scarf)
    day = timezone.localdate(timezone=ZoneInfo("Asia/Jakarta")) + timedelta(days=5)

    # when the seller picks 20:00 on that day
    response = seller.post(url(EXTEND, scarf), {"closes_at": f"{day}T20:00"}, follow=True)

    # then the window closes then, Jakarta time
    scarf.refresh_from_db()
    local = timezone.localtime(scarf.closes_at, ZoneInfo("Asia/Jakarta"))
    assert (local.date(), local.hour, local.minute) == (day, 20, 0)
    # in the words every page uses for a moment
    assert f"The window now closes {day.day} {day:%b %Y}, 20:00 WIB." in text(response)
    assert scarf.phase == Campaign.Phase.OPEN


@pytest.mark.parametrize("posted", [{}, {"closes_at": "next week"}])
def test_an_extension_without_a_readable_date_changes_nothing(seller, scarf, posted):
    # given
    close_window(scarf)
    before = snapshot(scarf)

    # when
    response = seller.post(url(EXTEND, scarf), posted, follow=True)

    # then
    assert "Enter the new closing date and time." in text(response)
    assert snapshot(scarf) == before


def test_a_second_extension_is_refused(seller, scarf):
    # given one extension made, and the window closed again
    close_window(scarf)
    later = timezone.localtime(timezone.now() + timedelta(days=2), ZoneInfo("Asia/Jakarta"))
    seller.post(url(EXTEND, scarf), {"closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    close_window(scarf)
    before = snapshot(scarf)

    # when
    response = seller.post(
        url(EXTEND, scarf), {"closes_at": later.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )

    # then
    assert "The window was already extended once" in text(response)
    assert snapshot(scarf) == before


# --- who may decide ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [START, FINISH, EXTEND])
def test_anonymous_visitors_are_sent_to_log_in(client, scarf, name):
    # given
    close_window(scarf)
    before = snapshot(scarf)

    # when
    response = client.post(url(name, scarf))

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot(scarf) == before


@pytest.mark.parametrize("name", [START, FINISH, EXTEND])
def test_a_member_of_another_shop_cannot_decide(client, scarf, name):
    # given the minimum confirmed and the window closed, and a seller of another shop
    confirmed_order(scarf, quantity=3)
    close_window(scarf)
    client.force_login(make_shop(slug="other").owner)
    before = snapshot(scarf)

    # when under the victim's address, and under their own
    victims = client.post(url(name, scarf), {"closes_at": "2030-01-01T10:00"})
    own = client.post(reverse(name, args=["other", scarf.pk]), {"closes_at": "2030-01-01T10:00"})

    # then
    assert (victims.status_code, own.status_code) == (404, 404)
    assert snapshot(scarf) == before


@pytest.mark.parametrize("name", [START, FINISH, EXTEND])
def test_decisions_are_posted_never_fetched(seller, scarf, name):
    # given
    confirmed_order(scarf, quantity=3)
    close_window(scarf)
    before = snapshot(scarf)

    # when
    response = seller.get(url(name, scarf))

    # then
    assert response.status_code == 405
    assert snapshot(scarf) == before
