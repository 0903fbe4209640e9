"""Reminders before the deposit and balance deadlines, sent once each by `manage.py tick`."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet

from kernel.sentences import Sentence, say
from orders import emails
from orders.models import Order, OrderEvent

DEPOSIT_LEAD = timedelta(hours=6)
BALANCE_LEAD = timedelta(days=2)


def send_deposit_reminders(*, now: datetime) -> int:
    """Remind pending orders whose deposit deadline is within DEPOSIT_LEAD; return how many.

    Rules: not when a payment is waiting for review; not when the whole deposit window is
    shorter than the lead (the order email, just sent, already named the deadline); once per
    order, even with two runs at once.
    """
    due_soon = _waiting(Order.Status.PENDING).filter(
        deposit_due_at__gt=now,
        deposit_due_at__lte=now + DEPOSIT_LEAD,
        created_at__lt=F("deposit_due_at") - DEPOSIT_LEAD,
        deposit_reminded_at__isnull=True,
    )
    return _remind(
        due_soon,
        claim="deposit_reminded_at",
        now=now,
        note=say("Reminder sent: the deposit is due within 6 hours."),
        send=emails.deposit_reminder,
    )


def send_balance_reminders(*, now: datetime) -> int:
    """Remind orders awaiting their balance, due within BALANCE_LEAD; return how many.

    Rules: not when a payment is waiting for review; once per order, even with two runs at once.
    """
    due_soon = _waiting(Order.Status.AWAITING_BALANCE).filter(
        balance_due_at__gt=now,
        balance_due_at__lte=now + BALANCE_LEAD,
        balance_reminded_at__isnull=True,
    )
    return _remind(
        due_soon,
        claim="balance_reminded_at",
        now=now,
        note=say("Reminder sent: the balance is due within 2 days."),
        send=emails.balance_reminder,
    )


def _waiting(status: str) -> QuerySet:
    # `payments__status` is the reverse relation from payments.Payment, looked up by name: orders
    # may see payments this way without importing them (payments → orders, never back).
    return Order.objects.filter(status=status).exclude(payments__status="submitted")


def _remind(
    due_soon: QuerySet,
    *,
    claim: str,
    now: datetime,
    note: Sentence,
    send: Callable[[Order], None],
) -> int:
    sent = 0
    for pk in list(due_soon.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            # The claim: one conditional UPDATE sets the *_reminded_at column, and only the run
            # whose UPDATE changed the row sends. A second run at the same moment waits for the
            # row, then finds it already set and moves on: every reminder goes out once.
            if not due_soon.filter(pk=pk).update(**{claim: now}):
                continue
            order = Order.objects.select_related("campaign__shop").get(pk=pk)
            OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.REMINDER, note=note)
            send(order)
        sent += 1
    return sent
