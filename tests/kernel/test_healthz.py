"""/healthz tells a load balancer whether this host can serve, and monitoring how the background
work keeps up: tasks waiting, the oldest's wait, the last tick."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.services.outbox import deliver_emails
from kernel.models import Heartbeat


@pytest.mark.queue
def test_healthz_reports_the_queue_and_the_last_tick(client, db):
    # given two e-mails waiting for the worker, the oldest for 90 seconds, and a tick 30 s ago
    deliver_emails.enqueue(email_ids=[1])
    deliver_emails.enqueue(email_ids=[2])
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("enqueued_at").first().pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=90)
    )
    Heartbeat.objects.create(name="tick", last_run_at=timezone.now() - timedelta(seconds=30))

    # when
    response = client.get("/healthz")

    # then
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert body["queue"]["waiting"] == 2
    assert 89 <= body["queue"]["oldest_waiting_seconds"] <= 95
    assert 29 <= body["tick"]["seconds_ago"] <= 35


def test_healthz_before_any_tick_says_so(client, db):
    body = client.get("/healthz").json()
    assert body["tick"] == {"last_run_at": None, "seconds_ago": None}
    assert body["queue"] == {"waiting": 0, "oldest_waiting_seconds": None}


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(DBTaskResult.objects, "ready", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
