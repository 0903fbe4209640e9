"""move_order: the one door every status change goes through, and the timeline it writes."""

import pytest

from campaigns.models import Campaign
from orders.exceptions import TransitionNotAllowed
from orders.models import Order, OrderEvent
from orders.services.placing import LineRequest, place_order
from orders.services.transitions import move_order
from tests.factories import make_buyer, make_order, make_user

pytestmark = pytest.mark.django_db

S = Order.Status
NOTE = "Green, “SARI”"


@pytest.fixture
def pending_order(open_campaign) -> Order:
    """Two Green and one Navy, waiting for the deposit."""
    green, navy = open_campaign.variants.order_by("position")
    return place_order(
        campaign=open_campaign,
        lines=[LineRequest(green.pk, 2, NOTE), LineRequest(navy.pk, 1, "Navy, “BUDI”")],
        buyer=make_buyer(1),
        idempotency_key="pending-order",
    )


def counters(campaign: Campaign) -> dict[str, int]:
    campaign = Campaign.objects.get(pk=campaign.pk)
    return {"campaign": campaign.reserved} | {v.name: v.reserved for v in campaign.variants.all()}


def status_in_db(order: Order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def walk(order: Order, *steps: str) -> Order:
    for step in steps:
        move_order(order=order, to=step)
    return order


def test_verifying_the_deposit_confirms_the_order_and_says_who_did_it(pending_order):
    # given a seller looking at a pending order
    seller = make_user()
    # when she confirms the deposit
    moved = move_order(order=pending_order, to=S.CONFIRMED, actor=seller, note="BCA transfer seen")
    # then the order is confirmed, in memory and in the database
    assert moved.status == S.CONFIRMED
    assert status_in_db(pending_order) == S.CONFIRMED
    # and the timeline says from what, to what, by whom and why
    event = pending_order.events.latest("id")
    assert event.kind == OrderEvent.Kind.STATUS
    assert (event.from_status, event.to_status) == (S.PENDING, S.CONFIRMED)
    assert event.actor == seller
    assert event.note == "BCA transfer seen"
    # and the units stay held
    assert counters(pending_order.campaign) == {"campaign": 3, "Green": 2, "Navy": 1}


def test_an_order_lives_through_every_step_to_completed(pending_order):
    # when the order goes all the way
    path = [S.CONFIRMED, S.IN_PRODUCTION, S.AWAITING_BALANCE, S.PAID, S.SHIPPED, S.COMPLETED]
    walk(pending_order, *path)
    # then each step is one event on the timeline, in order
    steps = list(
        pending_order.events.filter(kind=OrderEvent.Kind.STATUS).values_list(
            "from_status", "to_status"
        )
    )
    assert steps == list(zip([S.PENDING, *path[:-1]], path, strict=True))
    assert status_in_db(pending_order) == S.COMPLETED
    # and the units are still counted: a completed order was sold
    assert counters(pending_order.campaign)["campaign"] == 3


def test_a_full_payment_order_goes_from_production_straight_to_paid(pending_order):
    walk(pending_order, S.CONFIRMED, S.IN_PRODUCTION, S.PAID)
    assert status_in_db(pending_order) == S.PAID


@pytest.mark.parametrize(
    ("before", "to"),
    [
        ([], S.SHIPPED),
        ([], S.PAID),
        ([], S.COMPLETED),
        ([S.CONFIRMED], S.PENDING),
        ([S.CONFIRMED], S.EXPIRED),
        ([S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED], S.CANCELLED),
        ([S.EXPIRED], S.CONFIRMED),
        ([S.CANCELLED], S.PENDING),
        ([S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED, S.COMPLETED], S.CANCELLED),
    ],
)
def test_a_move_the_order_life_does_not_allow_changes_nothing(pending_order, before, to):
    # given an order some way along its life
    walk(pending_order, *before)
    status = status_in_db(pending_order)
    events = pending_order.events.count()
    held = counters(pending_order.campaign)
    # when someone tries a move that is not allowed from there
    with pytest.raises(TransitionNotAllowed, match=f"from {status} to {to}"):
        move_order(order=pending_order, to=to)
    # then the status, the timeline and the counters are as they were
    assert status_in_db(pending_order) == status
    assert pending_order.events.count() == events
    assert counters(pending_order.campaign) == held


def test_a_stale_page_cannot_move_an_order_that_has_already_moved(pending_order):
    # given the buyer cancelled while the seller's page still shows "pending"
    stale = Order.objects.get(pk=pending_order.pk)
    move_order(order=pending_order, to=S.CANCELLED)
    # when the seller confirms from the stale page
    with pytest.raises(TransitionNotAllowed):
        move_order(order=stale, to=S.CONFIRMED)
    # then the order stays cancelled
    assert status_in_db(pending_order) == S.CANCELLED


@pytest.mark.parametrize(
    ("before", "exit_to"),
    [
        ([], S.EXPIRED),
        ([], S.CANCELLED),
        ([S.CONFIRMED], S.CANCELLED),
        ([S.CONFIRMED, S.IN_PRODUCTION, S.AWAITING_BALANCE, S.PAID], S.CANCELLED),
    ],
)
def test_an_expired_or_cancelled_order_gives_its_units_back(pending_order, before, exit_to):
    # given an order holding 2 Green and 1 Navy
    walk(pending_order, *before)
    assert counters(pending_order.campaign) == {"campaign": 3, "Green": 2, "Navy": 1}
    # when it expires or is cancelled
    move_order(order=pending_order, to=exit_to)
    # then its units are free for other buyers
    assert counters(pending_order.campaign) == {"campaign": 0, "Green": 0, "Navy": 0}


def test_units_are_given_back_once_even_if_cancel_is_pressed_twice(open_campaign, pending_order):
    # given another buyer's order that keeps holding its unit
    make_order(open_campaign, note=NOTE)
    move_order(order=pending_order, to=S.CANCELLED)
    # when cancel is pressed again
    with pytest.raises(TransitionNotAllowed):
        move_order(order=pending_order, to=S.CANCELLED)
    # then only the first cancel gave units back
    assert counters(open_campaign) == {"campaign": 1, "Green": 1, "Navy": 0}


def test_freed_units_can_be_ordered_again(open_campaign):
    # given the campaign is sold out by one order of 10
    green = open_campaign.variants.get(name="Green")
    big = make_order(open_campaign, quantity=10, note=NOTE, variant=green)
    # when that order expires
    move_order(order=big, to=S.EXPIRED)
    # then the next buyer can order
    campaign = Campaign.objects.get(pk=open_campaign.pk)
    assert campaign.phase == Campaign.Phase.OPEN
    assert make_order(campaign, quantity=10, note=NOTE, variant=green).units == 10


# --- the timeline is append-only --------------------------------------------------------------


@pytest.fixture
def event(pending_order) -> OrderEvent:
    return pending_order.events.get(kind=OrderEvent.Kind.PLACED)


def test_a_timeline_event_cannot_be_edited(event):
    event.note = "rewritten history"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    assert OrderEvent.objects.get(pk=event.pk).note == ""


def test_a_timeline_event_cannot_be_deleted(event):
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    assert OrderEvent.objects.filter(pk=event.pk).exists()


def test_timeline_events_cannot_be_updated_in_bulk(pending_order, event):
    with pytest.raises(TypeError, match="append-only"):
        OrderEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        pending_order.events.update(note="rewritten")
    assert OrderEvent.objects.get(pk=event.pk).note == ""


def test_timeline_events_cannot_be_deleted_in_bulk(pending_order, event):
    with pytest.raises(TypeError, match="append-only"):
        OrderEvent.objects.all().delete()
    with pytest.raises(TypeError, match="append-only"):
        pending_order.events.all().delete()
    assert OrderEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_written(pending_order):
    OrderEvent.objects.create(
        order=pending_order, kind=OrderEvent.Kind.NOTE, note="Asked for gift wrap"
    )
    assert pending_order.events.filter(kind=OrderEvent.Kind.NOTE).count() == 1
