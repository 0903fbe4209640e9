"""Extending the window: a campaign short of its minimum (or about to close) gets a later close,
once, and every buyer is told (DESIGN.md, Campaign life)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from payments.exceptions import DecisionRefused
from payments.services.decisions import extend_window
from tests.factories import make_buyer, make_campaign, make_order, make_user
from tests.orders.production import close_window, confirmed_order
from tests.payments.decisions.checks import _jakarta, snapshot

C = Campaign.Status


def test_a_closed_campaign_short_of_its_minimum_gets_a_later_close(scarf, seller):
    # given the window closed yesterday with 1 of 3 units confirmed
    confirmed_order(scarf)
    close_window(scarf, ago=timedelta(days=1))
    new_close = (timezone.now() + timedelta(days=5)).replace(microsecond=0)

    # when
    campaign = extend_window(campaign=scarf, closes_at=new_close, actor=seller)

    # then buyers can order again until the new close
    scarf.refresh_from_db()
    assert scarf.closes_at == campaign.closes_at == new_close
    assert scarf.status == C.PUBLISHED
    assert scarf.phase == Campaign.Phase.OPEN
    make_order(scarf)
    # and the decision is on the campaign's timeline
    event = scarf.events.get(kind=CampaignEvent.Kind.STATUS)
    assert (event.from_status, event.to_status, event.actor) == (C.PUBLISHED, C.PUBLISHED, seller)
    assert str(event.note).startswith(f"Window extended to {_jakarta(new_close)} (it was ")


def test_a_window_about_to_close_may_be_extended(scarf, seller):
    # given a window closing tomorrow
    Campaign.objects.filter(pk=scarf.pk).update(closes_at=timezone.now() + timedelta(days=1))
    scarf.refresh_from_db()
    new_close = scarf.closes_at + timedelta(days=7)

    # when
    extend_window(campaign=scarf, closes_at=new_close, actor=seller)

    # then
    scarf.refresh_from_db()
    assert scarf.closes_at == new_close


def test_a_window_far_from_closing_is_not_extended(scarf, seller):
    # given a week left
    before = snapshot(scarf)

    # when
    with pytest.raises(DecisionRefused) as refused:
        extend_window(campaign=scarf, closes_at=scarf.closes_at + timedelta(days=7), actor=seller)

    # then
    assert "it can be extended in its last two days" in refused.value.message
    assert snapshot(scarf) == before


@pytest.mark.parametrize(
    ("moved", "message"),
    [
        (timedelta(0), "Choose a closing time after the current one"),
        (-timedelta(hours=1), "Choose a closing time after the current one"),
        # Later than the old close, but that was two days ago: still in the past.
        (timedelta(days=1), "Choose a closing time in the future."),
    ],
)
def test_the_new_close_must_be_later_and_in_the_future(scarf, seller, moved, message):
    # given a window that closed two days ago
    close_window(scarf, ago=timedelta(days=2))
    before = snapshot(scarf)

    # when
    with pytest.raises(DecisionRefused) as refused:
        extend_window(campaign=scarf, closes_at=scarf.closes_at + moved, actor=seller)

    # then
    assert refused.value.message.startswith(message)
    assert snapshot(scarf) == before


def test_a_window_is_extended_once_only(scarf, seller):
    # given a window extended once, closed again
    close_window(scarf)
    extend_window(campaign=scarf, closes_at=timezone.now() + timedelta(days=3), actor=seller)
    close_window(scarf)
    before = snapshot(scarf)

    # when another member tries again
    with pytest.raises(DecisionRefused) as refused:
        extend_window(
            campaign=scarf, closes_at=timezone.now() + timedelta(days=3), actor=make_user()
        )

    # then
    assert refused.value.message == (
        "The window was already extended once; it cannot be extended again."
    )
    assert snapshot(scarf) == before


@pytest.mark.parametrize("status", [C.DRAFT, C.IN_PRODUCTION, C.FAILED])
def test_only_a_published_campaigns_window_is_extended(shop, seller, status):
    # given
    campaign = make_campaign(shop, status=status)
    close_window(campaign)
    before = snapshot(campaign)

    # when
    with pytest.raises(DecisionRefused) as refused:
        extend_window(campaign=campaign, closes_at=timezone.now() + timedelta(days=3), actor=seller)

    # then
    assert refused.value.message == "Only a published campaign's window can be extended."
    assert snapshot(campaign) == before


# --- buyers are told -----------------------------------------------------------------------------


def test_extending_the_window_tells_every_buyer_the_new_close(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given two buyers, one of them with two orders
    confirmed_order(scarf, buyer=make_buyer(1))
    make_order(scarf, buyer=make_buyer(1))
    make_order(scarf, buyer=make_buyer(2))
    close_window(scarf, ago=timedelta(days=1))
    new_close = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        extend_window(campaign=scarf, closes_at=new_close, actor=seller)
    # then one email per buyer, naming the new close
    assert sorted(m.to[0] for m in mail.outbox) == ["buyer1@example.com", "buyer2@example.com"]
    assert _jakarta(new_close) in mail.outbox[0].subject
