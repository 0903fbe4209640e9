"""A shop's members hear by e-mail what needs them: new orders and proofs to review (batched, so a
rush is one e-mail every few minutes), a campaign to decide (once), a daily digest; each member
chooses which, and reads them in their language."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import SellerSettings
from payments.services.alerts import ALERT_GAP, send_seller_alerts
from tests.factories import make_campaign, make_order, make_user, payment_in_review

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
ALL_OFF = dict.fromkeys(
    ["alert_new_orders", "alert_proofs", "alert_decisions", "alert_digest"], False
)


@pytest.fixture
def colleague(shop):
    """A second member of the shop, who reads Indonesian."""
    user = make_user(username="dewi", email="dewi@example.com")
    shop.members.add(user)
    SellerSettings.objects.create(user=user, language="id")
    return user


def only(user, *kinds):
    """The member hears only these kinds of alert."""
    SellerSettings.objects.update_or_create(
        user=user, defaults=ALL_OFF | {f"alert_{kind}": True for kind in kinds}
    )


def alerts(now, capture) -> list:
    with capture(execute=True):
        send_seller_alerts(now=now)
    sent, mail.outbox[:] = list(mail.outbox), []
    return sent


# --- new orders, batched --------------------------------------------------------------------------


def test_a_rush_of_orders_is_one_email_every_few_minutes_listing_what_came_in(
    shop, open_campaign, django_capture_on_commit_callbacks
):
    # given the owner wants new-order alerts only, and two orders came in
    only(shop.owner, "new_orders")
    first = make_order(open_campaign, note="Green, SARI")
    second = make_order(open_campaign, note="Green, BUDI")
    mail.outbox.clear()  # the buyers' own e-mails
    now = timezone.now()

    # when the tick runs: one e-mail lists both
    [email] = alerts(now, django_capture_on_commit_callbacks)
    assert email.to == [shop.owner.email]
    assert email.subject == "Rajut Test: 2 new orders"
    assert first.code in email.body and second.code in email.body
    assert reverse("dashboard:orders", args=[shop.slug]) in email.body

    # when a third comes a minute later: nothing yet, the gap has not passed
    third = make_order(open_campaign, note="Navy, CITRA")
    mail.outbox.clear()
    assert alerts(now + timedelta(minutes=1), django_capture_on_commit_callbacks) == []

    # then, once it has, one more e-mail with just the new one
    [email] = alerts(now + ALERT_GAP + timedelta(seconds=1), django_capture_on_commit_callbacks)
    assert email.subject == "Rajut Test: 1 new order"
    assert third.code in email.body and first.code not in email.body

    # and with nothing new, nothing more
    assert alerts(now + 3 * ALERT_GAP, django_capture_on_commit_callbacks) == []


def test_each_member_gets_the_alert_in_their_language_unless_they_switched_it_off(
    shop, open_campaign, colleague, django_capture_on_commit_callbacks
):
    # given the owner switched new-order alerts off, Dewi (Indonesian) has them on
    only(shop.owner)
    only(colleague, "new_orders")
    make_order(open_campaign, note="Green, SARI")
    mail.outbox.clear()

    # when
    [email] = alerts(timezone.now(), django_capture_on_commit_callbacks)

    # then only Dewi hears, in Indonesian
    assert email.to == ["dewi@example.com"]
    assert email.subject == "Rajut Test: 1 pesanan baru"


# --- proofs waiting for review --------------------------------------------------------------------


def test_proofs_waiting_for_review_are_announced_once_batched(
    shop, open_campaign, django_capture_on_commit_callbacks
):
    # given the owner wants proof alerts only, and a buyer sent a proof
    only(shop.owner, "proofs")
    order = make_order(open_campaign, note="Green, SARI")
    payment_in_review(order)
    mail.outbox.clear()
    now = timezone.now()

    # when the tick runs twice
    [email] = alerts(now, django_capture_on_commit_callbacks)
    again = alerts(now + 2 * ALERT_GAP, django_capture_on_commit_callbacks)

    # then one e-mail names it, and the same proof is not announced again
    assert email.subject == "Rajut Test: 1 payment to review"
    assert order.code in email.body
    assert reverse("dashboard:payments", args=[shop.slug]) in email.body
    assert again == []


# --- a campaign to decide -------------------------------------------------------------------------


def test_a_closed_campaign_asks_for_a_decision_once_per_close(
    shop, django_capture_on_commit_callbacks
):
    # given a campaign whose window closed an hour ago
    only(shop.owner, "decisions")
    now = timezone.now()
    campaign = make_campaign(
        shop,
        title="Batik scarf",
        opens_at=now - timedelta(days=5),
        closes_at=now - timedelta(hours=1),
    )

    # when the tick runs, and runs again
    [email] = alerts(now, django_capture_on_commit_callbacks)
    assert alerts(now + timedelta(minutes=1), django_capture_on_commit_callbacks) == []

    # then the seller was asked once, with a link to decide
    assert email.subject == "Batik scarf has closed: time to decide"
    assert reverse("dashboard:campaign", args=[shop.slug, campaign.pk]) in email.body

    # when the window is extended and closes again, a new decision is asked for
    campaign.closes_at = now + timedelta(hours=1)
    campaign.save(update_fields=["closes_at"])
    [email] = alerts(now + timedelta(hours=2), django_capture_on_commit_callbacks)
    assert email.subject == "Batik scarf has closed: time to decide"


# --- the daily digest -----------------------------------------------------------------------------


def test_the_digest_goes_once_a_day_after_eight_in_the_shops_time_zone(
    shop, open_campaign, django_capture_on_commit_callbacks
):
    # given something to report
    only(shop.owner, "digest")
    make_order(open_campaign, note="Green, SARI")
    mail.outbox.clear()
    day = timezone.now().astimezone(JAKARTA).date()
    seven = datetime.combine(day, time(7, 59), JAKARTA)

    # then nothing before eight, one digest at eight, no second one that day
    assert alerts(seven, django_capture_on_commit_callbacks) == []
    [digest] = alerts(seven + timedelta(minutes=2), django_capture_on_commit_callbacks)
    assert alerts(seven + timedelta(hours=5), django_capture_on_commit_callbacks) == []
    assert digest.subject.startswith("Rajut Test today, ")
    assert "Orders waiting for their deposit: 1" in digest.body

    # and the next morning another
    [tomorrow] = alerts(seven + timedelta(days=1, minutes=2), django_capture_on_commit_callbacks)
    assert tomorrow.to == [shop.owner.email]


def test_a_quiet_shop_gets_no_digest(shop, django_capture_on_commit_callbacks):
    only(shop.owner, "digest")
    noon = datetime.combine(timezone.now().astimezone(JAKARTA).date(), time(12), JAKARTA)
    assert alerts(noon.astimezone(UTC), django_capture_on_commit_callbacks) == []


# --- the seller chooses ---------------------------------------------------------------------------


def test_a_seller_switches_alerts_off_on_their_alerts_page(seller, shop):
    # when the seller keeps only the digest
    response = seller.post(reverse("dashboard:alerts", args=[shop.slug]), {"alert_digest": "on"})

    # then it is saved for them
    assert response.status_code == 302
    choices = SellerSettings.objects.get(user=shop.owner)
    assert (choices.alert_new_orders, choices.alert_proofs, choices.alert_decisions) == (
        False,
        False,
        False,
    )
    assert choices.alert_digest
    # and the page shows the switches as saved
    page = seller.get(reverse("dashboard:alerts", args=[shop.slug])).content.decode()
    assert re.search(r'name="alert_digest"[^>]* checked', page)
    assert not re.search(r'name="alert_new_orders"[^>]* checked', page)
