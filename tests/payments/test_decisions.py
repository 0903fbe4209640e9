"""Production and balance collection: the seller starts production once the minimum is in,
finishes it, and buyers who owe the balance are told by when; a window that missed its minimum
may be extended once (DESIGN.md, Campaign life and Order life)."""

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order, OrderEvent
from orders.selectors import order_for_buyer, order_timeline
from payments.exceptions import DecisionRefused
from payments.services.decisions import (
    extend_window,
    finish_production,
    join_production,
    start_production,
)
from payments.services.payments import verify_payment
from tests.factories import make_buyer, make_campaign, make_order, make_user
from tests.orders.production import close_window, confirmed_order, sent

S = Order.Status
C = Campaign.Status


@pytest.fixture
def seller(shop):
    return shop.owner


@pytest.fixture
def scarf(shop):
    """Batik scarves at Rp 150.000, 50 % down payment, minimum 3, balance due within 7 days."""
    return make_campaign(
        shop, title="Batik scarf", slug="scarf", min_quantity=3, capacity=None, balance_days=7
    )


@pytest.fixture
def full_payment(shop):
    """Paid in full up front: confirmed means paid, and there is no balance to collect."""
    return make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=2, capacity=None, deposit_rule="full"
    )


def in_production(campaign: Campaign, actor) -> Campaign:
    close_window(campaign)
    return start_production(campaign=campaign, actor=actor)


def statuses(*orders: Order) -> list[str]:
    return [Order.objects.get(pk=order.pk).status for order in orders]


def snapshot(campaign: Campaign):
    """Everything a decision could change."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.status,
        campaign.closes_at,
        CampaignEvent.objects.filter(campaign=campaign).count(),
        list(campaign.orders.order_by("pk").values_list("status", "balance_due_at")),
        OrderEvent.objects.filter(order__campaign=campaign).count(),
        len(mail.outbox),
    )


def last_status_event(order: Order) -> OrderEvent:
    return order.events.filter(kind=OrderEvent.Kind.STATUS).last()


# --- start production ---------------------------------------------------------------------------


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


# --- a deposit verified after production started -------------------------------------------------


def test_a_deposit_verified_after_production_started_moves_the_order_into_production(scarf, seller):
    # given production started while Sari's order still waited for its deposit
    confirmed_order(scarf, quantity=3)
    late = make_order(scarf, buyer=make_buyer(name="Sari"))
    in_production(scarf, seller)
    payment = sent(late, "75000")

    # when the seller verifies her deposit before its deadline
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=seller)

    # then the order is confirmed and joins production, both through the one door
    late.refresh_from_db()
    assert late.status == S.IN_PRODUCTION
    moves = list(
        late.events.filter(kind=OrderEvent.Kind.STATUS).values_list(
            "from_status", "to_status", "actor"
        )
    )
    assert moves == [
        (S.PENDING, S.CONFIRMED, seller.pk),
        (S.CONFIRMED, S.IN_PRODUCTION, seller.pk),
    ]


def test_a_deposit_verified_before_the_decision_only_confirms_the_order(scarf, seller):
    # given a published campaign, window closed, no decision yet
    order = make_order(scarf)
    close_window(scarf)

    # when
    verify_payment(payment=sent(order, "75000"), amount_received=Decimal(75000), actor=seller)

    # then it waits for the seller's decision with the others
    assert statuses(order) == [S.CONFIRMED]


def test_a_deposit_verified_after_production_finished_goes_on_to_the_balance(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given production started and finished while this order waited for its deposit
    confirmed_order(scarf, quantity=3)
    late = make_order(scarf)
    in_production(scarf, seller)
    finish_production(campaign=scarf, actor=seller)
    mail.outbox.clear()

    # when its deposit is verified in time
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        verify_payment(payment=sent(late, "75000"), amount_received=Decimal(75000), actor=seller)

    # then it catches up: through production to the balance, due in the campaign's 7 days
    late.refresh_from_db()
    assert late.status == S.AWAITING_BALANCE
    assert now + timedelta(days=7) <= late.balance_due_at <= timezone.now() + timedelta(days=7)
    assert [m.subject for m in mail.outbox if "balance" in m.subject] == [
        f"Order {late.code}: production finished, pay the balance by "
        f"{_jakarta(late.balance_due_at)}"
    ]


def test_joining_production_leaves_orders_that_are_not_confirmed_as_they_are(scarf, seller):
    # given a pending order of a campaign in production
    confirmed_order(scarf, quantity=3)
    waiting = make_order(scarf)
    in_production(scarf, seller)

    # when
    join_production(order=waiting, actor=seller)

    # then
    assert statuses(waiting) == [S.PENDING]


# --- finish production -------------------------------------------------------------------------


def test_finishing_production_asks_for_the_balance_and_marks_orders_paid_in_full_as_paid(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given two orders with the deposit in, and one whose buyer paid everything up front
    owes = confirmed_order(scarf, buyer=make_buyer(name="Sari"))
    owes_too = confirmed_order(scarf)
    paid_early = confirmed_order(scarf, paid="150000")
    in_production(scarf, seller)
    now = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        campaign = finish_production(campaign=scarf, actor=seller, now=now)

    # then the campaign collects balances, a decision on its timeline
    assert campaign.status == C.READY
    event = scarf.events.filter(kind=CampaignEvent.Kind.STATUS).last()
    assert (event.from_status, event.to_status, event.actor) == (C.IN_PRODUCTION, C.READY, seller)
    assert event.note == (
        "Production finished. Orders owing their balance: 2, due 8 Dec 2026, 12:00 WIB. "
        "Paid in full: 1."
    )
    # and the orders that owe it wait for it, due 7 days from now
    assert statuses(owes, owes_too, paid_early) == [S.AWAITING_BALANCE, S.AWAITING_BALANCE, S.PAID]
    owes.refresh_from_db()
    assert owes.balance_due_at == now + timedelta(days=7)
    assert last_status_event(owes).actor == seller
    assert last_status_event(owes).note == (
        "Production finished. Please pay the balance by 8 Dec 2026, 12:00 WIB."
    )
    assert last_status_event(paid_early).note == (
        "Production finished, and your order is paid in full."
    )
    # and only their buyers are emailed
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owes.buyer_email, owes_too.buyer_email])


def test_the_balance_email_says_how_much_by_when_in_the_shops_zone_and_links_the_order(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given Sari's three scarves, deposit in: Rp 225.000 of Rp 450.000 still to pay
    order = confirmed_order(scarf, quantity=3, buyer=make_buyer(7, name="Sari"))
    in_production(scarf, seller)

    # when production finishes at 05:00 UTC, noon in Jakarta
    with django_capture_on_commit_callbacks(execute=True):
        finish_production(campaign=scarf, actor=seller, now=datetime(2026, 12, 1, 5, tzinfo=UTC))

    # then
    (email,) = mail.outbox
    assert email.to == ["buyer7@example.com"]
    assert email.subject == (
        f"Order {order.code}: production finished, pay the balance by 8 Dec 2026, 12:00 WIB"
    )
    assert "Hi Sari," in email.body
    assert "Balance to pay: Rp 225.000" in email.body
    assert "Pay by: 8 Dec 2026, 12:00 WIB" in email.body
    assert "If it is not paid by then: The deposit is kept" in email.body
    assert "unique code" not in email.body
    assert f"http://127.0.0.1:8000/o/{order.token}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Rp 225.000</strong>" in html
    assert f"/o/{order.token}/" in html


def test_the_balance_email_asks_only_for_what_is_left_with_the_unique_code(
    scarf, seller, django_capture_on_commit_callbacks
):
    # given a buyer who already sent Rp 400.000 of Rp 450.000, and the shop's unique code 123
    scarf.shop.unique_codes = True
    scarf.shop.save()
    order = confirmed_order(scarf, quantity=3, paid="400000")
    Order.objects.filter(pk=order.pk).update(transfer_code=123)
    in_production(scarf, seller)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        finish_production(campaign=scarf, actor=seller)

    # then
    (email,) = mail.outbox
    assert "Balance to pay: Rp 50.000" in email.body
    assert "Transfer exactly Rp 50.123: it includes your unique code 123" in email.body


def test_the_balance_email_speaks_the_buyers_language_and_the_shops_time_zone(
    shop, seller, django_capture_on_commit_callbacks
):
    # given a shop in Makassar (UTC+8) and a buyer who reads Indonesian
    shop.time_zone = "Asia/Makassar"
    shop.save()
    campaign = make_campaign(shop, min_quantity=1, capacity=None, balance_days=3)
    order = confirmed_order(campaign, buyer=make_buyer(language="id"))
    in_production(campaign, seller)

    # when production finishes at 05:00 UTC
    with django_capture_on_commit_callbacks(execute=True):
        finish_production(campaign=campaign, actor=seller, now=datetime(2026, 12, 1, 5, tzinfo=UTC))

    # then the due date reads 13.00 on 4 December, as Indonesian writes it
    (email,) = mail.outbox
    assert "4 Des 2026, 13:00 WITA" in email.subject
    assert "4 Des 2026, 13:00 WITA" in email.body
    assert order.code in email.subject


def test_a_full_payment_campaign_goes_straight_to_paid_when_production_finishes(
    full_payment, seller, django_capture_on_commit_callbacks
):
    # given two orders paid in full up front
    first = confirmed_order(full_payment)
    second = confirmed_order(full_payment)
    assert first.balance_amount == 0
    in_production(full_payment, seller)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        finish_production(campaign=full_payment, actor=seller)

    # then nobody owes anything, so nobody is asked for anything
    assert statuses(first, second) == [S.PAID, S.PAID]
    assert Order.objects.filter(campaign=full_payment, balance_due_at__isnull=False).count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("status", [C.PUBLISHED, C.READY, C.CANCELLED])
def test_only_a_campaign_in_production_can_finish_it(
    shop, seller, status, django_capture_on_commit_callbacks
):
    # given
    campaign = make_campaign(shop, status=status, min_quantity=1)
    before = snapshot(campaign)

    # when
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DecisionRefused):
        finish_production(campaign=campaign, actor=seller)

    # then
    assert snapshot(campaign) == before


def test_finishing_twice_emails_each_buyer_once(scarf, seller, django_capture_on_commit_callbacks):
    # given production finished
    confirmed_order(scarf, quantity=3)
    in_production(scarf, seller)
    with django_capture_on_commit_callbacks(execute=True):
        finish_production(campaign=scarf, actor=seller)

    # when the decision is sent again
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DecisionRefused) as refused,
    ):
        finish_production(campaign=scarf, actor=seller)

    # then
    assert refused.value.message == "Production has already finished."
    assert len(mail.outbox) == 1


# --- at the same moment, on PostgreSQL --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("decision", "joins_as"), [("start", S.IN_PRODUCTION), ("finish", S.AWAITING_BALANCE)]
)
def test_a_deposit_verified_while_the_seller_decides_follows_the_decision(
    scarf, seller, decision, joins_as
):
    # given the minimum confirmed, and Sari's deposit waiting for review
    confirmed_order(scarf, quantity=3)
    late = make_order(scarf)
    payment = sent(late, "75000")
    close_window(scarf)
    if decision == "finish":
        start_production(campaign=scarf, actor=seller)
    decided, release = threading.Event(), threading.Event()

    def seller_decides():
        try:
            with transaction.atomic():
                if decision == "start":
                    start_production(campaign=scarf, actor=seller)
                else:
                    finish_production(campaign=scarf, actor=seller)
                decided.set()
                release.wait(10)  # not committed yet
        finally:
            connection.close()

    def member_verifies():
        try:
            verify_payment(payment=payment, amount_received=Decimal(75000), actor=seller)
        finally:
            connection.close()

    # when a member verifies the deposit while the decision is made but not yet committed
    threads = [threading.Thread(target=seller_decides), threading.Thread(target=member_verifies)]
    threads[0].start()
    assert decided.wait(10)
    threads[1].start()
    time.sleep(0.5)  # time enough to finish, had it not waited for the decision
    release.set()
    for thread in threads:
        thread.join(timeout=30)

    # then the order waited for the decision and followed it
    late.refresh_from_db()
    assert late.status == joins_as


# --- the buyer's timeline ---------------------------------------------------------------------


def test_the_order_page_shows_the_balance_due_date_once_production_has_finished(scarf, seller):
    # given an order in production: the balance is due "within 7 days" of an estimate
    order = confirmed_order(scarf, quantity=3)
    in_production(scarf, seller)
    step = _balance_step(order)
    assert (step.when, step.note) == (None, "Within 7 days after production finishes.")

    # when production finishes
    finish_production(campaign=scarf, actor=seller)

    # then the step carries the real deadline
    order.refresh_from_db()
    step = _balance_step(order)
    assert (step.when, step.note) == (order.balance_due_at, "")


def _balance_step(order: Order):
    steps = order_timeline(order_for_buyer(order.token))
    return next(step for step in steps if step.title == "Pay the balance")


# --- extend the window ---------------------------------------------------------------------------


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
    assert event.note.startswith(f"Window extended to {_jakarta(new_close)} (it was ")


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


def _jakarta(moment: datetime) -> str:
    return date_format(timezone.localtime(moment, ZoneInfo("Asia/Jakarta")), "j M Y, H:i T")


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
