"""Starting production: the seller starts it once the minimum is confirmed and the window has
closed (or sold out), the confirmed orders go with it and their buyers are told."""

import pytest
from django.core import mail

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order
from payments.exceptions import DecisionRefused
from payments.services.decisions import start_production
from tests.factories import make_buyer, make_campaign, make_order
from tests.orders.production import close_window, confirmed_order, in_production
from tests.payments.decisions.checks import last_status_event, snapshot, statuses

S = Order.Status
C = Campaign.Status


def test_a_closed_campaign_at_its_minimum_goes_into_production_with_its_confirmed_orders(
    scarf, seller
):
    # given three units confirmed (the minimum) and one order still waiting for its deposit
    two = confirmed_order(scarf, quantity=2)
    one = confirmed_order(scarf)
    waiting = make_order(scarf)
    close_window(scarf)

    # when
    campaign = start_production(campaign=scarf, actor=seller)

    # then the campaign is in production, a decision on its timeline
    assert campaign.status == C.IN_PRODUCTION
    scarf.refresh_from_db()
    assert scarf.status == C.IN_PRODUCTION
    event = scarf.events.get(kind=CampaignEvent.Kind.STATUS)
    assert (event.from_status, event.to_status, event.actor) == (
        C.PUBLISHED,
        C.IN_PRODUCTION,
        seller,
    )
    assert event.note == "Minimum reached: 3 of 3 units confirmed."
    # and every confirmed order went with it, through the one door, the seller named
    assert statuses(two, one) == [S.IN_PRODUCTION, S.IN_PRODUCTION]
    event = last_status_event(two)
    assert (event.from_status, event.to_status, event.actor) == (
        S.CONFIRMED,
        S.IN_PRODUCTION,
        seller,
    )
    assert event.note == "The minimum was reached: your order is in production."
    # and the order still waiting for its deposit keeps waiting, its units held
    assert statuses(waiting) == [S.PENDING]
    assert scarf.reserved == 4


def test_a_sold_out_campaign_may_go_into_production_before_its_window_closes(shop, seller):
    # given every one of the 3 units confirmed, two days before the close
    campaign = make_campaign(shop, min_quantity=3, capacity=3)
    order = confirmed_order(campaign, quantity=3)
    campaign.refresh_from_db()
    assert campaign.phase == Campaign.Phase.SOLD_OUT

    # when
    start_production(campaign=campaign, actor=seller)

    # then
    assert statuses(order) == [S.IN_PRODUCTION]
    campaign.refresh_from_db()
    assert campaign.status == C.IN_PRODUCTION


def test_production_cannot_start_while_the_window_is_open(scarf, seller):
    # given the minimum confirmed, the window open for a week more
    confirmed_order(scarf, quantity=3)
    before = snapshot(scarf)

    # when
    with pytest.raises(DecisionRefused) as refused:
        start_production(campaign=scarf, actor=seller)

    # then
    assert str(refused.value.message).startswith("The order window is open until ")
    assert snapshot(scarf) == before


def test_orders_waiting_for_their_deposit_do_not_count_toward_the_minimum(scarf, seller):
    # given 2 units confirmed and 2 more ordered but not paid, minimum 3
    confirmed_order(scarf, quantity=2)
    make_order(scarf, quantity=2)
    close_window(scarf)
    before = snapshot(scarf)

    # when
    with pytest.raises(DecisionRefused) as refused:
        start_production(campaign=scarf, actor=seller)

    # then the seller reads why, and nothing changed
    assert refused.value.message == (
        "Only 2 units of the 3 needed are confirmed. Wait for the deposits still due, "
        "extend the window, or call the campaign off."
    )
    assert snapshot(scarf) == before


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (C.DRAFT, "Only a published campaign can go into production; this one is “Draft”."),
        (C.IN_PRODUCTION, "Production has already started."),
        (C.FAILED, "Only a published campaign can go into production; this one is “Failed”."),
    ],
)
def test_only_a_published_campaign_goes_into_production(shop, seller, status, message):
    # given
    campaign = make_campaign(shop, status=status, min_quantity=1)
    close_window(campaign)
    before = snapshot(campaign)

    # when
    with pytest.raises(DecisionRefused) as refused:
        start_production(campaign=campaign, actor=seller)

    # then
    assert refused.value.message == message
    assert snapshot(campaign) == before


def test_starting_production_twice_moves_the_orders_once(scarf, seller):
    # given production started
    order = confirmed_order(scarf, quantity=3)
    in_production(scarf, seller)

    # when the second tab sends the same decision
    with pytest.raises(DecisionRefused):
        start_production(campaign=scarf, actor=seller)

    # then one decision, one move
    assert scarf.events.filter(kind=CampaignEvent.Kind.STATUS).count() == 1
    assert order.events.filter(to_status=S.IN_PRODUCTION).count() == 1


# --- buyers are told -----------------------------------------------------------------------------


def test_starting_production_emails_each_confirmed_buyer(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given three confirmed units and one order still waiting for its deposit
    confirmed = [confirmed_order(scarf, buyer=make_buyer(n)) for n in (1, 2, 3)]
    make_order(scarf, buyer=make_buyer(4))
    close_window(scarf)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        start_production(campaign=scarf, actor=seller)
    # then each confirmed buyer hears that production started, and only they do
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.buyer_email for o in confirmed)
    email = mail.outbox[0]
    assert "production has started" in email.subject
    assert "The balance (Rp 75.000) will be due once production finishes" in email.body
