"""Finishing production: buyers who owe the balance are told how much and by when, orders paid in
full are paid, and the buyer's timeline shows the deadline."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order
from orders.selectors import order_for_buyer, order_timeline
from payments.exceptions import DecisionRefused
from payments.services.decisions import finish_production
from tests.factories import make_buyer, make_campaign
from tests.orders.production import confirmed_order, in_production
from tests.payments.decisions.checks import last_status_event, snapshot, statuses

S = Order.Status
C = Campaign.Status


@pytest.fixture
def full_payment(shop):
    """Paid in full up front: confirmed means paid, and there is no balance to collect."""
    return make_campaign(
        shop, title="Enamel pin", slug="pin", min_quantity=2, capacity=None, deposit_rule="full"
    )


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
