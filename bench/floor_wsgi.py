"""The floor for bench/rush.py: a bare Django buy, the three requests a buyer makes, nothing else.

Served by its own gunicorn (`gunicorn floor_wsgi:application`, bench/ on the Python path) beside
OpenPO's, on the same settings module (middleware, sessions, CSRF, locale, persistent connections,
psycopg), with this file's URLconf. Never used by the app.

- GET  /floor/<item>/      reads the item's row, renders a page with a CSRF form;
- POST /floor/<item>/      takes a unit with one conditional UPDATE and INSERTs one order row, in
                           one transaction; 302 to the confirmation, 409 when sold out;
- GET  /floor/o/<token>/   reads that order row (with its item), renders a confirmation page.

The tables (bench_floor_item, bench_floor_order) are made by rush.py's setup.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpo.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import Http404, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

# Same settings module, only the URLconf is this file's.
settings.ROOT_URLCONF = __name__

ENGINE = engines["django"]
PAGE = ENGINE.from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ item.title }}</title>
</head><body><h1>{{ item.title }}</h1><p>Rp {{ item.price }}</p>
<p>{{ item.left }} left</p>
{% if item.left > 0 %}<form method="post">{% csrf_token %}
<label for="quantity">Quantity</label><input id="quantity" name="quantity" value="1">
<button type="submit">Place order</button></form>{% else %}<p>Sold out.</p>{% endif %}
</body></html>"""
)
DONE = ENGINE.from_string(
    """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order {{ order.id }}
</title></head><body><h1>Order {{ order.id }}</h1><p>{{ order.title }}, Rp {{ order.price }}</p>
<p>Placed {{ order.created_at }}</p></body></html>"""
)


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            raise Http404
        return dict(zip([c.name for c in cursor.description], row, strict=True))


def item_page(request, item_id):
    if request.method == "POST":
        token = secrets.token_urlsafe(16)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE bench_floor_item SET reserved = reserved + 1"
                " WHERE id = %s AND reserved + 1 <= capacity",
                [item_id],
            )
            if cursor.rowcount != 1:
                return HttpResponse("Sold out.", status=409)
            cursor.execute(
                "INSERT INTO bench_floor_order (item_id, token) VALUES (%s, %s)", [item_id, token]
            )
        return HttpResponseRedirect(f"/floor/o/{token}/")
    item = fetch(
        "SELECT title, price, capacity - reserved AS left FROM bench_floor_item WHERE id = %s",
        [item_id],
    )
    return HttpResponse(PAGE.render({"item": item}, request))


def order_page(request, token):
    order = fetch(
        "SELECT o.id, o.created_at, i.title, i.price FROM bench_floor_order o"
        " JOIN bench_floor_item i ON i.id = o.item_id WHERE o.token = %s",
        [token],
    )
    return HttpResponse(DONE.render({"order": order}, request))


urlpatterns = [
    path("floor/<int:item_id>/", item_page),
    path("floor/o/<str:token>/", order_page),
]

application = get_wsgi_application()
