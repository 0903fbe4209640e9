"""The kernel's own bookkeeping: request counts for rate limits, and when periodic work last ran."""

from django.db import models


class RateCount(models.Model):
    """Requests one client made to one scope in the current window (kernel/ratelimit.py).

    Counted by a single INSERT ... ON CONFLICT UPDATE that returns the new count, so processes and
    hosts counting at the same moment each get their own number and the limit holds exactly.
    """

    key = models.CharField(max_length=200, primary_key=True)
    # Seconds since the epoch: compared and set inside that one statement on every database.
    window_ends = models.BigIntegerField()
    hits = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.key}: {self.hits}"


class Heartbeat(models.Model):
    """When a piece of periodic work last ran and when it runs next (`tick`; /healthz reads it)."""

    name = models.CharField(max_length=50, primary_key=True)
    last_run_at = models.DateTimeField(null=True)
    # The one run the worker has queued; a chain of runs that finds another here stops.
    next_run_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.name}: {self.last_run_at}"
