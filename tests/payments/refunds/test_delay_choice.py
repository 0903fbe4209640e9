"""When the seller revises the dates beyond the shop's threshold, each buyer chooses on their order
page: keep waiting, or cancel and be refunded as the shop's policy (in the PO terms) says."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Campaign, DelayRefund
from orders.exceptions import RevisionRefused
from orders.models import Order
from orders.services.revisions import delay_choice_open, keep_waiting, revise_dates
from payments.exceptions import CancelRefused
from payments.services.cancellations import cancel_over_delay
from tests.support import page_text, race

S = Order.Status


def slip(campaign: Campaign, days: int) -> Campaign:
    """The seller moves shipping `days` later than first announced."""
    campaign = Campaign.objects.select_related("shop").get(pk=campaign.pk)
    return revise_dates(
        campaign=campaign,
        production_ends_on=None,
        ships_on=campaign.ships_on + timedelta(days=days),
        reason="The fabric is late",
        actor=campaign.shop.owner,
    )


def choose(client, order, **data):
    return client.post(reverse("payments:delay_choice", args=[order.token]), data, follow=True)


def fresh(order: Order) -> Order:
    return Order.objects.select_related("campaign__shop").get(pk=order.pk)


def test_a_slip_within_the_threshold_offers_no_choice(client, confirmed_order, open_campaign):
    # given the shop's threshold of 14 days
    slip(open_campaign, 14)

    # then
    assert not delay_choice_open(fresh(confirmed_order))
    assert "The dates moved: your choice" not in page_text(
        client.get(confirmed_order.get_absolute_url())
    )


def test_beyond_the_threshold_the_buyer_is_told_and_offered_the_choice(
    client, confirmed_order, open_campaign, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        slip(open_campaign, 15)

    # then
    text = page_text(client.get(confirmed_order.get_absolute_url()))
    assert "The dates moved: your choice" in text
    assert "the shop sends you back Rp 75.000" in text
    assert "more than the 14 days this shop lets you refuse" in mail.outbox[-1].body


def test_the_po_terms_state_the_policy(client, open_campaign, shop):
    # given
    shop.delay_threshold_days = 10
    shop.delay_refund = DelayRefund.BEYOND_DEPOSIT
    shop.save()

    # when
    text = page_text(client.get(open_campaign.get_absolute_url()))

    # then
    assert (
        "If shipping moves more than 10 days later than first announced, you may keep waiting "
        "or cancel your order and get back: what the buyer paid beyond the down payment."
    ) in text


def test_keeping_waiting_closes_the_choice_until_the_dates_slip_again(
    client, confirmed_order, open_campaign
):
    # given
    slip(open_campaign, 20)

    # when
    response = choose(client, confirmed_order, choice="wait")

    # then
    order = fresh(confirmed_order)
    assert order.status == S.CONFIRMED
    assert order.waits_until == order.campaign.current_ships_on
    assert "Thank you for waiting." in page_text(response)
    assert "The dates moved: your choice" not in page_text(response)
    assert "The buyer chose to keep waiting" in str(order.events.latest("id").note)

    # when the dates slip further
    slip(open_campaign, 30)

    # then they are asked again
    assert delay_choice_open(fresh(confirmed_order))


def test_cancelling_gives_the_units_back_and_refunds_everything_paid(
    client, confirmed_order, open_campaign
):
    # given
    slip(open_campaign, 20)
    reserved = Campaign.objects.get(pk=open_campaign.pk).reserved

    # when
    response = choose(client, confirmed_order, choice="cancel", confirm="yes")

    # then
    order = fresh(confirmed_order)
    assert order.status == S.CANCELLED
    assert Campaign.objects.get(pk=open_campaign.pk).reserved == reserved - 1
    assert order.refunds.get().amount == Decimal(75000)
    assert "the shop will send back Rp 75.000" in page_text(response)
    cancelled = order.events.get(to_status=S.CANCELLED)
    assert "Cancelled by the buyer: shipping moved" in str(cancelled.note)


def test_a_shop_that_keeps_the_deposit_refunds_only_what_was_paid_beyond_it(
    client, confirmed_order, open_campaign, shop
):
    # given
    shop.delay_refund = DelayRefund.BEYOND_DEPOSIT
    shop.save()
    slip(open_campaign, 20)

    # when
    page = page_text(client.get(confirmed_order.get_absolute_url()))
    choose(client, confirmed_order, choice="cancel", confirm="yes")

    # then
    order = fresh(confirmed_order)
    assert "there is nothing to send back" in page
    assert order.status == S.CANCELLED
    assert not order.refunds.exists()


def test_cancelling_needs_the_box_ticked(client, confirmed_order, open_campaign):
    # given
    slip(open_campaign, 20)

    # when
    response = choose(client, confirmed_order, choice="cancel")

    # then
    assert fresh(confirmed_order).status == S.CONFIRMED
    assert "tick the box to cancel" in page_text(response)


def test_without_a_slip_beyond_the_threshold_the_services_refuse(confirmed_order):
    with pytest.raises(RevisionRefused):
        keep_waiting(order=confirmed_order)
    with pytest.raises(CancelRefused):
        cancel_over_delay(order=confirmed_order)
    assert fresh(confirmed_order).status == S.CONFIRMED


def test_bad_input_changes_nothing(client, confirmed_order, open_campaign):
    # given
    slip(open_campaign, 20)

    # when
    response = choose(client, confirmed_order, choice="something else")

    # then
    assert response.status_code == 200
    assert fresh(confirmed_order).status == S.CONFIRMED
    assert fresh(confirmed_order).waits_until is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancelling_twice_at_once_refunds_once(confirmed_order, open_campaign):
    # given
    slip(open_campaign, 20)

    # when
    results = race(4, lambda i: cancel_over_delay(order=fresh(confirmed_order)))

    # then
    assert len([r for r in results if not isinstance(r, CancelRefused)]) == 1, results
    assert fresh(confirmed_order).refunds.count() == 1
