"""The overview offers to fail or cancel a campaign only when it applies, shows what will happen,
and asks twice."""

import pytest

from campaigns.models import Campaign
from campaigns.services.transitions import move_campaign
from tests.payments.conftest import close
from tests.payments.stopping import refunds_by_buyer, snapshot
from tests.support import page_text

C = Campaign.Status


def overview(seller, campaign) -> str:
    return page_text(seller.get(f"/dashboard/rajut/campaigns/{campaign.pk}/"))


@pytest.mark.django_db
def test_the_overview_offers_to_fail_only_a_closed_campaign_below_its_minimum(
    seller, open_campaign, orders
):
    # while open: cancel only
    text = overview(seller, open_campaign)
    assert "Mark failed and refund" not in text
    assert "Cancel and refund" in text
    # closed below the minimum: both, each with a reason to give
    close(open_campaign)
    text = overview(seller, open_campaign)
    assert "Mark failed and refund" in text and "Cancel and refund" in text
    assert f'action="/dashboard/rajut/campaigns/{open_campaign.pk}/fail/"' in text
    assert text.count('name="reason"') >= 2


@pytest.mark.django_db
def test_the_overview_offers_no_refund_decision_once_shipping(seller, open_campaign):
    for step in (C.IN_PRODUCTION, C.READY, C.SHIPPING):
        move_campaign(campaign=open_campaign, to=step)
    text = overview(seller, open_campaign)
    assert "Mark failed and refund" not in text
    assert "Cancel and refund" not in text


@pytest.mark.django_db
def test_the_first_press_shows_what_will_happen_and_changes_nothing(
    seller, missed_minimum, django_assert_max_num_queries
):
    before = snapshot(missed_minimum)
    # when the seller gives a reason and presses "Mark failed and refund…"
    with django_assert_max_num_queries(6):
        response = seller.post(
            f"/dashboard/rajut/campaigns/{missed_minimum.pk}/fail/", {"reason": "Too few"}
        )
    # then she sees the orders to cancel and the money to send back, and a button to confirm
    assert response.status_code == 200
    text = page_text(response)
    assert 'class="stop-orders">3<' in text
    assert 'class="stop-refunds">2<' in text
    assert "Rp 105.000" in text
    assert "Yes, mark failed and refund" in text
    assert 'name="confirm" value="on"' in text and "Too few" in text
    # and nothing happened yet
    assert snapshot(missed_minimum) == before


@pytest.mark.django_db
def test_no_reason_is_asked_for_again_and_changes_nothing(seller, missed_minimum):
    before = snapshot(missed_minimum)
    response = seller.post(
        f"/dashboard/rajut/campaigns/{missed_minimum.pk}/cancel/", {"reason": "", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    assert snapshot(missed_minimum) == before


@pytest.mark.django_db
def test_confirming_fails_the_campaign_and_says_what_was_done(seller, missed_minimum):
    response = seller.post(
        f"/dashboard/rajut/campaigns/{missed_minimum.pk}/fail/",
        {"reason": "Too few", "confirm": "on"},
        follow=True,
    )
    missed_minimum.refresh_from_db()
    assert missed_minimum.status == C.FAILED
    text = page_text(response)
    assert "The campaign is marked failed." in text
    assert "3 orders cancelled; 2 refunds of Rp 105.000 in all to send." in text
    # and the decision is no longer offered
    assert "Mark failed and refund" not in text


@pytest.mark.django_db
def test_a_refused_confirmation_says_why_and_changes_nothing(seller, open_campaign, orders):
    before = snapshot(open_campaign)
    response = seller.post(
        f"/dashboard/rajut/campaigns/{open_campaign.pk}/fail/",
        {"reason": "Too few", "confirm": "on"},
        follow=True,
    )
    assert "order window has closed" in page_text(response)
    assert snapshot(open_campaign) == before


@pytest.mark.django_db
def test_cancelling_from_the_overview_cancels_and_refunds(seller, open_campaign, orders):
    response = seller.post(
        f"/dashboard/rajut/campaigns/{open_campaign.pk}/cancel/",
        {"reason": "Vendor closed", "confirm": "on"},
    )
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.status == C.CANCELLED
    assert len(refunds_by_buyer(open_campaign)) == 2


@pytest.mark.django_db
def test_a_decision_needs_post(seller, missed_minimum):
    assert seller.get(f"/dashboard/rajut/campaigns/{missed_minimum.pk}/fail/").status_code == 405
