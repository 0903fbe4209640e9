"""`tick --schedule`: the worker runs the tick every minute by itself (so one `make run` shows
expiry and reminders happening), as one chain however often it is started."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kernel.models import Heartbeat
from orders.models import Order
from payments.services.tick import tick_in_worker

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]


def schedule() -> str:
    out = StringIO()
    call_command("tick", "--schedule", stdout=out)
    return out.getvalue().strip()


def ticks_waiting() -> list[DBTaskResult]:
    return [
        result
        for result in DBTaskResult.objects.filter(status="READY")
        if result.task_path.endswith("tick_in_worker")
    ]


def work(now=None):
    """The worker's loop, once through whatever is due (now or, with `now`, by then)."""
    if now is not None:
        DBTaskResult.objects.filter(run_after__lte=now).update(run_after=timezone.now())
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False)


def test_scheduling_starts_one_chain_however_often_it_is_asked(db):
    assert schedule() == "The worker now ticks every minute."
    assert schedule() == "The worker already ticks every minute."
    assert len(ticks_waiting()) == 1


def test_the_worker_ticks_and_queues_the_next_tick_a_minute_later(overdue_order):
    # given the chain started
    schedule()

    # when the worker runs the tick that is due
    work()

    # then the overdue order expired, the tick is noted for /healthz, and the next one waits
    overdue_order.refresh_from_db()
    assert overdue_order.status == Order.Status.EXPIRED
    beat = Heartbeat.objects.get(name="tick")
    assert beat.last_run_at is not None
    [following] = ticks_waiting()
    assert following.run_after >= beat.last_run_at + timedelta(seconds=59)

    # and a minute later it runs again, and queues the one after
    work(now=following.run_after)
    assert len(ticks_waiting()) == 1
    assert Heartbeat.objects.get(name="tick").last_run_at > beat.last_run_at


def test_a_chain_whose_next_run_was_lost_is_replaced_and_the_stray_one_stops(db):
    # given a chain whose next run is long overdue (its worker's queue was lost)
    schedule()
    DBTaskResult.objects.all().delete()
    Heartbeat.objects.filter(name="tick").update(next_run_at=timezone.now() - timedelta(minutes=30))

    # when it is scheduled again, a new chain starts
    assert schedule() == "The worker now ticks every minute."

    # and if the old run turns up after all, it finds another recorded and does nothing
    stale = (timezone.now() - timedelta(minutes=30)).isoformat()
    tick_in_worker.call(at=stale)
    assert len(ticks_waiting()) == 1
