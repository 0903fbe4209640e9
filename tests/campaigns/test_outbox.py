"""Every e-mail goes through the outbox: recorded with the data it is about, sent by the worker,
retried with backoff for more than a day, shown to the shop and to staff, never sent twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import Email
from campaigns.services.outbox import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    deliver,
    queue_email,
    requeue_due,
    send_again,
)
from orders import emails
from tests.factories import make_order
from tests.support import page_text, race

S = Email.Status


@pytest.fixture
def refusing_mailer(settings):
    """A mail server that is down: every connection is refused at once."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},
        }
    }


def an_email(shop, **fields) -> Email:
    fields = {
        "to": "sari@example.com",
        "language": "en",
        "template": "order_link",
        "context": {"buyer_name": "Sari", "shop": shop.name, "code": "ABC2345", "link": "x"},
        "shop": shop,
        "about": "ABC2345",
    } | fields
    return Email.objects.create(**fields)


def work_the_queue():
    """What `manage.py db_worker` does, until nothing is due."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False)


# --- recorded in the request, sent by the worker ------------------------------------------------


@pytest.mark.queue
@pytest.mark.django_db(transaction=True)
def test_an_order_email_waits_in_the_queue_until_the_worker_sends_it(open_campaign):
    # given an order placed (its transaction committed)
    order = make_order(open_campaign, note="Green, SARI")

    # then nothing was sent in the request: the e-mail and its task are recorded
    email = Email.objects.get(about=order.code, template="order_placed")
    assert email.status == S.QUEUED
    assert email.shop == open_campaign.shop
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1

    # when the worker runs
    work_the_queue()

    # then the buyer has it, once, and the outbox says so
    assert [message.to for message in mail.outbox] == [[order.buyer_email]]
    email.refresh_from_db()
    assert email.status == S.SENT
    assert email.subject == mail.outbox[0].subject
    assert email.sent_at is not None


@pytest.mark.queue
@pytest.mark.django_db(transaction=True)
def test_an_email_of_a_rolled_back_transaction_is_never_queued(open_campaign):
    # given an e-mail queued in a transaction that fails afterwards
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="x@example.com", language="en", template="order_link", context={})
        raise RuntimeError

    # then nothing is recorded and nothing waits
    assert not Email.objects.exists()
    assert not DBTaskResult.objects.exists()


# --- failures: retried, then shown as failed, then sent again -----------------------------------


def test_a_refused_send_is_retried_after_the_first_delay(shop, refusing_mailer):
    # given
    email = an_email(shop)
    now = timezone.now()

    # when the mail server refuses
    status = deliver(email_id=email.pk, now=now)

    # then it will be tried again a minute later, and the error is kept
    email.refresh_from_db()
    assert status == S.RETRYING
    assert email.attempts == 1
    assert email.next_attempt_at == now + timedelta(minutes=RETRY_DELAYS[0])
    assert "ConnectionRefusedError" in email.last_error
    # and before then, a second task for it does nothing
    assert deliver(email_id=email.pk, now=now + timedelta(seconds=30)) == "not due"


def test_a_send_that_keeps_failing_is_tried_for_over_a_day_then_shown_as_failed(
    shop, refusing_mailer
):
    # given
    email = an_email(shop)
    moment = timezone.now()
    first = moment

    # when every attempt fails, each as soon as it is due
    for _ in range(MAX_ATTEMPTS):
        deliver(email_id=email.pk, now=moment)
        email.refresh_from_db()
        moment = email.next_attempt_at or moment

    # then it was tried MAX_ATTEMPTS times over more than a day, and is failed for good
    assert email.status == S.FAILED
    assert email.attempts == MAX_ATTEMPTS
    assert moment - first > timedelta(days=1)
    assert email.next_attempt_at is None
    assert deliver(email_id=email.pk, now=moment + timedelta(days=1)) == "not due"


def test_the_shop_sees_a_failed_email_and_sends_it_again(
    seller, shop, django_capture_on_commit_callbacks
):
    # given a failed e-mail
    email = an_email(
        shop, status=S.FAILED, attempts=MAX_ATTEMPTS, last_error="SMTP 550 no such user"
    )

    # when the seller opens the outbox
    page = page_text(seller.get(reverse("dashboard:emails", args=[shop.slug]) + "?status=failed"))

    # then they see what failed and why
    assert "sari@example.com" in page
    assert "SMTP 550 no such user" in page
    assert "Order page link, sent again" in page

    # when they send it again (the mail server answers now)
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(reverse("dashboard:email_send_again", args=[shop.slug, email.pk]))

    # then it goes out, with a fresh set of attempts
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == S.SENT
    assert email.attempts == 1
    assert [message.to for message in mail.outbox] == [["sari@example.com"]]


def test_only_a_failed_email_can_be_sent_again(shop):
    email = an_email(shop, status=S.SENT, sent_at=timezone.now())
    assert send_again(email=email).status == S.SENT


def test_another_shops_email_is_not_found(seller, shop):
    from tests.factories import make_shop

    other = an_email(make_shop())
    response = seller.post(reverse("dashboard:email_send_again", args=[shop.slug, other.pk]))
    assert response.status_code == 404


# --- the tick picks up what is due, lost or stuck -----------------------------------------------


@pytest.mark.queue
def test_the_tick_queues_retries_that_are_due_and_emails_whose_worker_died(shop):
    now = timezone.now()
    due = an_email(shop, status=S.RETRYING, attempts=1, next_attempt_at=now - timedelta(seconds=1))
    later = an_email(shop, status=S.RETRYING, attempts=1, next_attempt_at=now + timedelta(hours=1))
    stuck = an_email(shop, status=S.SENDING, attempts=1, claimed_at=now - timedelta(hours=1))
    lost = an_email(shop)
    Email.objects.filter(pk=lost.pk).update(created_at=now - timedelta(hours=1))

    # when
    queued = requeue_due(now=now)

    # then the due, the stuck and the lost ones have a task again; the later one waits
    assert queued == 3
    named = {
        email_id
        for result in DBTaskResult.objects.all()
        for email_id in result.task_result.kwargs["email_ids"]
    }
    assert named == {due.pk, stuck.pk, lost.pk}
    assert later.pk not in named


# --- never twice ---------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_handed_the_same_email_send_it_once(shop):
    # given one e-mail that two tasks name (a double "send again", a requeue racing the worker)
    email = an_email(shop)

    # when two workers deliver it at the same moment
    results = race(2, lambda i: deliver(email_id=email.pk))

    # then one sent it and the other found it taken
    assert sorted(results) == ["not due", S.SENT]
    assert len(mail.outbox) == 1


# --- the seller's order page --------------------------------------------------------------------


def test_the_seller_emails_the_order_link_again_and_sees_it_listed(
    seller, shop, open_campaign, django_capture_on_commit_callbacks
):
    # given an order whose buyer lost the e-mail
    order = make_order(open_campaign, note="Green, SARI")
    url = reverse("dashboard:order", args=[shop.slug, order.code])

    # when the seller sends the link again
    with django_capture_on_commit_callbacks(execute=True):
        seller.post(reverse("dashboard:order_send_link", args=[shop.slug, order.code]))

    # then the buyer gets their private link, and the order page lists the e-mail
    assert mail.outbox[-1].to == [order.buyer_email]
    assert order.get_absolute_url() in mail.outbox[-1].body
    page = page_text(seller.get(url))
    assert "Order page link, sent again · Sent" in page


def test_staff_send_failed_emails_again_from_the_admin(
    admin_client, shop, django_capture_on_commit_callbacks
):
    failed = an_email(shop, status=S.FAILED, attempts=MAX_ATTEMPTS)
    sent = an_email(shop, status=S.SENT, sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:campaigns_email_changelist"),
            {"action": "send_failed_again", "_selected_action": [failed.pk, sent.pk]},
        )

    failed.refresh_from_db()
    assert failed.status == S.SENT
    assert len(mail.outbox) == 1


def test_a_campaign_update_to_many_buyers_is_two_writes_whatever_their_number(
    open_campaign, django_assert_num_queries
):
    # given 8 buyers with an order each
    for _ in range(8):
        make_order(open_campaign, quantity=1, note="Navy, BUDI")

    # when an e-mail goes to all of them: one read, one INSERT of all the rows
    with django_assert_num_queries(2):
        count = emails.window_extended(open_campaign, open_campaign.closes_at)

    assert count == 8
    assert Email.objects.filter(template="window_extended").count() == 8
