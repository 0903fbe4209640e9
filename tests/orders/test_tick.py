"""`manage.py tick`, every minute from cron: overdue orders expire, reminders go out once each
(DESIGN.md, Time; README.md, Scheduling)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign, SellerSettings
from kernel.clock import shop_time
from orders.models import Order, OrderEvent
from tests.factories import (
    balance_due_in,
    deposit_due_in,
    make_buyer,
    make_campaign,
    make_order,
    past_deadline,
    payment_in_review,
)
from tests.support import race

pytestmark = pytest.mark.django_db

S = Order.Status
NOTE = "Green, “SARI”"


def tick() -> str:
    out = StringIO()
    call_command("tick", stdout=out)
    return out.getvalue().strip()


def reminders(order: Order) -> list[str]:
    return list(order.events.filter(kind=OrderEvent.Kind.REMINDER).values_list("note", flat=True))


def order_for(campaign, n: int, **buyer) -> Order:
    return make_order(campaign, note=NOTE, buyer=make_buyer(n, **buyer))


@pytest.fixture(autouse=True)
def sellers_take_no_alerts(shop):
    """These tests are about what buyers get; the sellers' alerts have their own
    (tests/payments/test_alerts.py)."""
    off = dict.fromkeys(
        ["alert_new_orders", "alert_proofs", "alert_decisions", "alert_digest"], False
    )
    for member in shop.members.all():
        SellerSettings.objects.update_or_create(user=member, defaults=off)


@pytest.fixture
def deposit_due_soon(open_campaign) -> Order:
    """Sari's order, placed yesterday; its deposit is due in 5 hours."""
    return deposit_due_in(order_for(open_campaign, 1, name="Sari"), timedelta(hours=5))


@pytest.fixture
def balance_due_soon(open_campaign) -> Order:
    """Budi's order, production done; his balance is due in a day."""
    return balance_due_in(order_for(open_campaign, 2, name="Budi"), timedelta(days=1))


# --- what one run does ------------------------------------------------------------------------


def test_tick_expires_reminds_and_says_how_many(
    open_campaign, overdue_order, deposit_due_soon, balance_due_soon
):
    # given one overdue order, one deposit due in 5 hours, one balance due tomorrow
    # and an order placed just now, with a day to pay
    fresh = order_for(open_campaign, 3)

    # when tick runs
    output = tick()

    # then it says what it did
    assert output == (
        "Expired orders: 1. Deposit reminders sent: 1. Balance reminders sent: 1."
        " Seller alerts: 0. E-mails queued again: 0."
        " Waiting-list holds lapsed: 0. Waiting-list offers: 0. Gateway payments checked: 0."
    )
    overdue_order.refresh_from_db()
    assert overdue_order.status == S.EXPIRED
    # and each reminder is on its order's timeline, with the time it went out
    deposit_due_soon.refresh_from_db()
    balance_due_soon.refresh_from_db()
    assert deposit_due_soon.deposit_reminded_at is not None
    assert reminders(deposit_due_soon) == ["Reminder sent: the deposit is due within 6 hours."]
    assert balance_due_soon.balance_reminded_at is not None
    assert reminders(balance_due_soon) == ["Reminder sent: the balance is due within 2 days."]
    # and the fresh order is left alone
    assert reminders(fresh) == []


def test_tick_with_nothing_to_do_says_so(db):
    assert tick() == (
        "Expired orders: 0. Deposit reminders sent: 0. Balance reminders sent: 0."
        " Seller alerts: 0. E-mails queued again: 0."
        " Waiting-list holds lapsed: 0. Waiting-list offers: 0. Gateway payments checked: 0."
    )


def test_running_tick_twice_sends_each_reminder_once(
    deposit_due_soon, balance_due_soon, django_capture_on_commit_callbacks
):
    # given tick ran once
    with django_capture_on_commit_callbacks(execute=True):
        tick()
    assert len(mail.outbox) == 2

    # when it runs again a minute later
    with django_capture_on_commit_callbacks(execute=True):
        output = tick()

    # then nothing more goes out
    assert output == (
        "Expired orders: 0. Deposit reminders sent: 0. Balance reminders sent: 0."
        " Seller alerts: 0. E-mails queued again: 0."
        " Waiting-list holds lapsed: 0. Waiting-list offers: 0. Gateway payments checked: 0."
    )
    assert len(mail.outbox) == 2
    assert len(reminders(deposit_due_soon)) == 1
    assert len(reminders(balance_due_soon)) == 1


# --- who is not reminded ------------------------------------------------------------------------


def test_no_deposit_reminder_while_a_payment_waits_for_review(deposit_due_soon):
    # given Sari already sent her proof
    payment_in_review(deposit_due_soon)
    # when tick runs
    tick()
    # then she is not asked to pay again
    assert reminders(deposit_due_soon) == []


def test_no_deposit_reminder_for_an_order_reminded_already(deposit_due_soon):
    # given Sari was reminded an hour ago (by an earlier run)
    Order.objects.filter(pk=deposit_due_soon.pk).update(
        deposit_reminded_at=timezone.now() - timedelta(hours=1)
    )
    # when tick runs
    tick()
    # then no second reminder
    assert reminders(deposit_due_soon) == []


def test_no_deposit_reminder_while_the_deadline_is_more_than_6_hours_away(open_campaign):
    order = deposit_due_in(order_for(open_campaign, 1), timedelta(hours=7))
    tick()
    assert reminders(order) == []


def test_no_deposit_reminder_when_the_whole_window_is_shorter_than_6_hours(shop):
    # given a PO with 4 hours to pay, and an order placed just now
    campaign = make_campaign(shop, deposit_hours=4)
    order = make_order(campaign)
    # when tick runs
    tick()
    # then the buyer is not reminded: the order email, a minute ago, named the deadline
    assert reminders(order) == []


def test_no_deposit_reminder_for_a_confirmed_order(deposit_due_soon):
    Order.objects.filter(pk=deposit_due_soon.pk).update(status=S.CONFIRMED)
    tick()
    assert reminders(deposit_due_soon) == []


def test_no_balance_reminder_while_the_due_date_is_more_than_2_days_away(open_campaign):
    order = balance_due_in(order_for(open_campaign, 1), timedelta(days=3))
    tick()
    assert reminders(order) == []


def test_no_balance_reminder_once_the_due_date_has_passed(open_campaign):
    order = balance_due_in(order_for(open_campaign, 1), -timedelta(hours=1))
    tick()
    assert reminders(order) == []


def test_no_balance_reminder_while_a_payment_waits_for_review(balance_due_soon):
    payment_in_review(balance_due_soon, kind="balance")
    tick()
    assert reminders(balance_due_soon) == []


def test_no_balance_reminder_for_an_order_reminded_already(balance_due_soon):
    Order.objects.filter(pk=balance_due_soon.pk).update(balance_reminded_at=timezone.now())
    tick()
    assert reminders(balance_due_soon) == []


# --- the emails ---------------------------------------------------------------------------------


def test_the_deposit_reminder_names_the_amount_the_deadline_and_the_link(
    deposit_due_soon, django_capture_on_commit_callbacks
):
    # when tick reminds Sari
    with django_capture_on_commit_callbacks(execute=True):
        tick()

    # then she reads which order, how much, by when, and where to pay
    [email] = mail.outbox
    assert email.to == ["buyer1@example.com"]
    assert email.subject.startswith(f"Order {deposit_due_soon.code}: the down payment is due by ")
    assert "Hi Sari," in email.body
    assert "the down payment is due in about 6 hours" in email.body
    assert "Down payment: Rp 75.000" in email.body
    due = shop_time(
        deposit_due_soon.campaign.shop, deposit_due_soon.deposit_due_at, deposit_due_soon.language
    )
    assert f"Pay by: {due}" in email.body
    assert email.subject.endswith(due)
    assert f"http://127.0.0.1:8000/o/{deposit_due_soon.token}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f"/o/{deposit_due_soon.token}/" in html


def test_the_balance_reminder_names_the_balance_the_date_and_the_late_policy(
    balance_due_soon, django_capture_on_commit_callbacks
):
    # when tick reminds Budi
    with django_capture_on_commit_callbacks(execute=True):
        tick()

    # then he reads how much, by when, and what happens to his deposit if he is late
    [email] = mail.outbox
    assert email.to == ["buyer2@example.com"]
    assert email.subject.startswith(f"Order {balance_due_soon.code}: the balance is due by ")
    assert "Balance: Rp 75.000" in email.body
    due = shop_time(
        balance_due_soon.campaign.shop, balance_due_soon.balance_due_at, balance_due_soon.language
    )
    assert f"Pay by: {due}" in email.body
    assert email.subject.endswith(due)
    assert "If it is not paid by then: The deposit is kept" in email.body
    assert f"/o/{balance_due_soon.token}/" in email.body
    assert f"/o/{balance_due_soon.token}/" in email.alternatives[0][0]


def test_reminders_render_in_indonesian(open_campaign, django_capture_on_commit_callbacks):
    # given an Indonesian buyer with a deposit due soon and another with a balance due soon
    deposit = deposit_due_in(order_for(open_campaign, 1, language="id"), timedelta(hours=5))
    balance = balance_due_in(order_for(open_campaign, 2, language="id"), timedelta(days=1))

    # when tick runs
    with django_capture_on_commit_callbacks(execute=True):
        tick()

    # then both emails went out, each with its order's code and link
    assert len(mail.outbox) == 2
    by_recipient = {email.to[0]: email for email in mail.outbox}
    for order in (deposit, balance):
        email = by_recipient[order.buyer_email]
        assert order.code in email.subject
        assert order.token in email.body


def test_names_with_quotes_and_ampersands_read_plainly_in_the_text_email(
    open_campaign, django_capture_on_commit_callbacks
):
    # given a buyer and a shop whose names HTML would escape
    Campaign.objects.filter(pk=open_campaign.pk).update(title="Tote & Pouch")
    order = deposit_due_in(order_for(open_campaign, 1, name="D'Arcy"), timedelta(hours=5))

    # when the reminder goes out
    with django_capture_on_commit_callbacks(execute=True):
        tick()

    # then the plain text says them as typed, and the HTML escapes them
    [email] = mail.outbox
    assert "Hi D'Arcy," in email.body
    assert "Tote & Pouch" in email.body
    assert order.code in email.subject
    assert "Tote &amp; Pouch" in email.alternatives[0][0]


# --- at the same moment, on PostgreSQL ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_ticks_at_once_expire_once_and_remind_once(shop):
    # given 6 overdue orders, 6 deposits due in 5 hours and 6 balances due tomorrow
    campaign = make_campaign(shop, capacity=50, variants=[{"name": "Green", "price": "150000"}])
    overdue = [past_deadline(make_order(campaign, buyer=make_buyer(100 + i))) for i in range(6)]
    deposits = [
        deposit_due_in(make_order(campaign, buyer=make_buyer(200 + i)), timedelta(hours=5))
        for i in range(6)
    ]
    balances = [
        balance_due_in(make_order(campaign, buyer=make_buyer(300 + i)), timedelta(days=1))
        for i in range(6)
    ]
    mail.outbox.clear()  # the order emails

    # when four copies of tick run at the same moment (cron overlapping a slow run, twice over)
    outputs = race(4, lambda i: tick())

    # then none failed
    assert all(isinstance(output, str) for output in outputs), outputs
    # and each overdue order expired once, its unit given back once
    for order in overdue:
        statuses = order.events.filter(kind=OrderEvent.Kind.STATUS)
        assert list(statuses.values_list("to_status", flat=True)) == [S.EXPIRED]
    campaign.refresh_from_db()
    assert campaign.reserved == 12
    # and each buyer due a reminder got one event and one email
    for order in deposits + balances:
        assert len(reminders(order)) == 1
    sent = sorted(email.to[0] for email in mail.outbox)
    assert sent == sorted(o.buyer_email for o in overdue + deposits + balances)
