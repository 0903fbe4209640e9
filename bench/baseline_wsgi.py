"""Baseline for bench/rush.py: the same Django settings and middleware, one view, one INSERT.

Served by its own gunicorn (`gunicorn baseline_wsgi:application`, bench/ on the Python path);
never used by the app.
The view answers POST /ping/ (CSRF-exempt) by inserting one row into bench_ping, the least a
request that writes to PostgreSQL can cost on this stack.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpo.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

# Same settings module, only the URLconf is this file's.
settings.ROOT_URLCONF = __name__


@csrf_exempt
def ping(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_ping DEFAULT VALUES RETURNING id")
        (row_id,) = cursor.fetchone()
    return HttpResponse(str(row_id), content_type="text/plain")


urlpatterns = [path("ping/", ping)]

application = get_wsgi_application()
