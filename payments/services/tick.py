"""Time-driven work: expiry, reminders, seller alerts, e-mails due again; run by `manage.py tick`
from cron, or every minute by the worker itself once `tick --schedule` has started it.

Everything here is idempotent and safe with two runs at once (each piece claims its rows), so
cron and the worker may both run it. It lives in payments, the highest app it needs.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from campaigns.services.outbox import requeue_due
from kernel.models import Heartbeat
from kernel.ratelimit import forget_ended_windows
from orders.services.placing import expire_overdue
from orders.services.reminders import send_balance_reminders, send_deposit_reminders
from orders.services.waitlist import lapse_offers, offer_all_waiting
from payments.services.alerts import send_seller_alerts
from payments.services.gateways.transactions import recheck_gateway_payments

EVERY = timedelta(minutes=1)
# A run queued this long ago and still not started: its worker chain is gone, start another.
CHAIN_LOST = timedelta(minutes=5)
HEARTBEAT = "tick"


@dataclass(frozen=True)
class TickReport:
    expired: int
    holds_lapsed: int
    offers: int
    deposit_reminders: int
    balance_reminders: int
    alerts: int
    emails_requeued: int
    gateway_checks: int = 0


def run_tick(*, now: datetime) -> TickReport:
    """Do all that is due at `now`, and note that it ran (/healthz shows when)."""
    expired = expire_overdue(now=now)
    # After expiry (whose units went to the waiting lists as they came back): holds past their
    # time pass on, and any units free while buyers wait (a capacity raised in the admin) too.
    holds_lapsed = lapse_offers(now=now)
    report = TickReport(
        expired=expired,
        holds_lapsed=holds_lapsed,
        offers=offer_all_waiting(now=now),
        deposit_reminders=send_deposit_reminders(now=now),
        balance_reminders=send_balance_reminders(now=now),
        alerts=send_seller_alerts(now=now),
        emails_requeued=requeue_due(now=now),
        gateway_checks=recheck_gateway_payments(now=now),
    )
    forget_ended_windows()
    Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"last_run_at": now})
    return report


def start_ticking(*, now: datetime) -> bool:
    """Have the worker run the tick every minute from now on. Does nothing (False) while a chain
    of runs is alive; a chain whose next run is long overdue is replaced."""
    with transaction.atomic():
        beat, _ = Heartbeat.objects.select_for_update().get_or_create(name=HEARTBEAT)
        if beat.next_run_at is not None and beat.next_run_at > now - CHAIN_LOST:
            return False
        beat.next_run_at = now
        beat.save(update_fields=["next_run_at"])
        transaction.on_commit(lambda: tick_in_worker.enqueue(at=now.isoformat()))
    return True


@task
def tick_in_worker(*, at: str) -> None:
    """One run of the chain: the next is queued first (so a failing run never ends the chain),
    then the work. A run that finds another one recorded as next belongs to a replaced chain
    and stops."""
    scheduled = datetime.fromisoformat(at)
    following = max(scheduled + EVERY, timezone.now())
    if not Heartbeat.objects.filter(name=HEARTBEAT, next_run_at=scheduled).update(
        next_run_at=following
    ):
        return
    tick_in_worker.using(run_after=following).enqueue(at=following.isoformat())
    run_tick(now=timezone.now())
