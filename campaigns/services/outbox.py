"""The outbox: e-mails recorded in the transaction that decided them, sent by the worker, retried
with backoff for more than a day, and never sent twice.

A request only writes the Email row; once its transaction commits, a task for the worker
(`db_worker`) is queued. The worker claims the row with one conditional UPDATE, so two workers
handed the same e-mail send it once. A failed send is tried again after RETRY_DELAYS (`tick`
queues what is due, and anything a crash left behind), then shown as failed, with its last error,
to the shop and to staff, who can send it again.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from campaigns.models import Email, Shop
from kernel import mail

logger = logging.getLogger(__name__)

S = Email.Status
# Minutes to wait before each retry: 11 attempts over about 32 hours.
RETRY_DELAYS = (1, 5, 15, 30, 60, 120, 240, 480, 480, 480)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A claim this old belongs to a worker that died mid-send (a send takes EMAIL_TIMEOUT at most).
STALE_CLAIM = timedelta(minutes=10)
# A queued e-mail still waiting after this long lost its task (a crash right after commit).
LOST_TASK = timedelta(minutes=15)
REQUEUE_BATCH = 500
# E-mails one task sends, one after the other: a campaign update to 1,000 buyers is 20 tasks.
PER_TASK = 50
# What the mailer raises when the server is down, refuses, or never answers: worth retrying.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def queue_email(
    *,
    to: str,
    language: str,
    template: str,
    context: dict,
    shop: Shop | None = None,
    about: str = "",
    key: str | None = None,
) -> Email | None:
    """Record an e-mail and have the worker send it once the current transaction commits (never
    for a rolled-back one).

    `context` holds plain strings. With `key`, an e-mail that was already recorded under the same
    key is not recorded again and None is returned: how alerts and digests go out once each.
    """
    email = Email(
        to=to,
        language=language,
        template=template,
        context=context,
        shop=shop,
        about=about,
        key=key,
    )
    if key is None:
        return queue_emails([email])[0]
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        return None
    deliver_on_commit([email.pk])
    return email


def queue_emails(emails: list[Email]) -> list[Email]:
    """queue_email for many unsaved e-mails at once (without keys): one INSERT for all, and a
    task per PER_TASK of them."""
    saved = Email.objects.bulk_create(emails)
    deliver_on_commit([email.pk for email in saved])
    return saved


def deliver_on_commit(ids: list[int]) -> None:
    """Have the worker send these e-mails, written by the current transaction, once it commits
    (queue_emails; or a caller that wrote them with its other rows in one round trip)."""

    def enqueue():
        for start in range(0, len(ids), PER_TASK):
            deliver_emails.enqueue(email_ids=ids[start : start + PER_TASK])

    transaction.on_commit(enqueue)


@task
def deliver_emails(*, email_ids: list[int]) -> list[str]:
    """The worker's side of queue_email; returns what became of each e-mail."""
    return [deliver(email_id=email_id) for email_id in email_ids]


def deliver(*, email_id: int, now: datetime | None = None) -> str:
    """Send one e-mail if it is due and nobody else is sending it; record how it went.

    Rules: claimed by one conditional UPDATE (waiting and due → sending), so it is sent at most
    once however many tasks name it; a mailer error schedules the next attempt (RETRY_DELAYS),
    and after MAX_ATTEMPTS it is failed; any other error (a bug, a missing template) fails it
    at once and is logged.
    """
    now = now or timezone.now()
    claimed = Email.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=email_id,
        status__in=(S.QUEUED, S.RETRYING),
    ).update(status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not due"
    email = Email.objects.get(pk=email_id)
    try:
        email.subject = mail.send(
            to=email.to, language=email.language, template=email.template, context=email.context
        )[: Email._meta.get_field("subject").max_length]
    except DELIVERY_ERRORS as error:
        _failed_attempt(email, error, now)
    except Exception as error:
        logger.exception("E-mail %s could not be written", email_id)
        _failed_attempt(email, error, now, final=True)
    else:
        email.status, email.sent_at, email.next_attempt_at = S.SENT, now, None
        email.save(update_fields=["status", "sent_at", "next_attempt_at", "subject"])
    return email.status


def _failed_attempt(email: Email, error: Exception, now: datetime, *, final=False) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:500]
    if final or email.attempts >= MAX_ATTEMPTS:
        email.status, email.next_attempt_at = S.FAILED, None
        logger.warning("E-mail %s failed for good: %s", email.pk, email.last_error)
    else:
        email.status = S.RETRYING
        email.next_attempt_at = now + timedelta(minutes=RETRY_DELAYS[email.attempts - 1])
    email.save(update_fields=["status", "last_error", "next_attempt_at"])


def requeue_due(*, now: datetime) -> int:
    """Queue a task for every e-mail whose next attempt is due, whose task was lost, or whose
    worker died mid-send (`tick` calls this every minute). Returns how many were queued."""
    Email.objects.filter(status=S.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=S.RETRYING, next_attempt_at=now
    )
    due = Email.objects.filter(
        Q(status=S.RETRYING, next_attempt_at__lte=now)
        | Q(status=S.QUEUED, created_at__lt=now - LOST_TASK)
    ).values_list("pk", flat=True)[:REQUEUE_BATCH]
    ids = list(due)
    for start in range(0, len(ids), PER_TASK):
        deliver_emails.enqueue(email_ids=ids[start : start + PER_TASK])
    return len(ids)


def send_again(*, email: Email) -> Email:
    """A failed e-mail goes back in the queue with a fresh set of attempts."""
    with transaction.atomic():
        updated = Email.objects.filter(pk=email.pk, status=S.FAILED).update(
            status=S.QUEUED, attempts=0, next_attempt_at=None
        )
        if updated:
            deliver_on_commit([email.pk])
    email.refresh_from_db()
    return email
