"""Pages of the site itself rather than of a shop: /healthz and /favicon.ico.

/healthz is for a load balancer (200 while the database answers, 503 when it does not) and for
monitoring (the numbers: how many tasks wait, how long the oldest has waited, when `tick` last
ran).
"""

from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from kernel.models import Heartbeat


@never_cache
@require_safe
def healthz(request):
    now = timezone.now()
    try:
        queue = DBTaskResult.objects.ready().aggregate(
            waiting=Count("pk"), oldest=Min("enqueued_at")
        )
        tick = Heartbeat.objects.filter(name="tick").values_list("last_run_at", flat=True).first()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "queue": {
                "waiting": queue["waiting"],
                "oldest_waiting_seconds": _seconds_since(queue["oldest"], now),
            },
            "tick": {
                "last_run_at": tick.isoformat() if tick else None,
                "seconds_ago": _seconds_since(tick, now),
            },
        }
    )


def _seconds_since(moment, now) -> int | None:
    return None if moment is None else max(int((now - moment).total_seconds()), 0)


@require_safe
def favicon(request):
    """Some browsers and apps ask for /favicon.ico whatever the page's `<link rel="icon">` says."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
