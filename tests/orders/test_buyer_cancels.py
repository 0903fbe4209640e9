"""The buyer cancels their own order from its page, before paying: the units go back at once."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from orders.models import Order
from payments.exceptions import CancelRefused
from payments.services.cancellations import cancel_by_buyer
from tests.factories import make_order, payment_in_review
from tests.support import page_text, race


def cancel_url(order) -> str:
    return reverse("payments:cancel", args=[order.token])


@pytest.fixture
def pending_order(open_campaign):
    return make_order(open_campaign, quantity=3, note="Green, “SARI”")


def test_the_order_page_offers_to_cancel_before_paying(client, pending_order):
    text = page_text(client.get(pending_order.get_absolute_url()))
    assert "Changed your mind?" in text
    assert cancel_url(pending_order) in text


def test_the_buyer_cancels_and_the_units_go_back_at_once(client, pending_order, open_campaign):
    # given
    reserved = Campaign.objects.get(pk=open_campaign.pk).reserved

    # when
    response = client.post(cancel_url(pending_order), {"confirm": "yes"}, follow=True)

    # then
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.CANCELLED
    assert Campaign.objects.get(pk=open_campaign.pk).reserved == reserved - 3
    text = page_text(response)
    assert "Your order is cancelled. Nothing was charged." in text
    assert "Changed your mind?" not in text
    event = pending_order.events.order_by("created_at", "id").last()
    assert (event.actor, str(event.note)) == (None, "Cancelled by the buyer before paying.")
    assert not pending_order.refunds.exists()


def test_without_the_box_ticked_nothing_changes(client, pending_order):
    # when
    response = client.post(cancel_url(pending_order), follow=True)

    # then
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING
    assert "Tick the box to confirm" in page_text(response)


def test_once_a_payment_is_sent_the_buyer_can_no_longer_cancel(client, pending_order):
    # given a proof waiting for the seller
    payment_in_review(pending_order)

    # when
    page = page_text(client.get(pending_order.get_absolute_url()))
    response = client.post(cancel_url(pending_order), {"confirm": "yes"}, follow=True)

    # then
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING
    assert "Changed your mind?" not in page
    assert "can no longer be cancelled here" in page_text(response)


def test_a_confirmed_order_cannot_be_cancelled_by_its_buyer(pending_order):
    # given
    Order.objects.filter(pk=pending_order.pk).update(status=Order.Status.CONFIRMED)

    # when / then
    with pytest.raises(CancelRefused):
        cancel_by_buyer(order=pending_order)
    assert Order.objects.get(pk=pending_order.pk).status == Order.Status.CONFIRMED


def test_a_wrong_link_is_not_found_and_a_get_is_refused(client, pending_order):
    assert client.post("/o/not-the-token/cancel/", {"confirm": "yes"}).status_code == 404
    assert client.get(cancel_url(pending_order)).status_code == 405
    pending_order.refresh_from_db()
    assert pending_order.status == Order.Status.PENDING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_taps_at_once_cancel_once_and_give_the_units_back_once(pending_order, open_campaign):
    # given
    reserved = Campaign.objects.get(pk=open_campaign.pk).reserved

    # when the buyer's five taps arrive together
    results = race(5, lambda i: cancel_by_buyer(order=Order.objects.get(pk=pending_order.pk)))

    # then
    assert len([r for r in results if isinstance(r, Order)]) == 1, results
    assert all(isinstance(r, (Order, CancelRefused)) for r in results), results
    assert Campaign.objects.get(pk=open_campaign.pk).reserved == reserved - 3
    assert pending_order.events.filter(to_status=Order.Status.CANCELLED).count() == 1
