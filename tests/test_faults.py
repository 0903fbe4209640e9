"""Fault injection: a gunicorn worker SIGKILLed in the middle of a launch rush.

A real server on a database of its own (the test database of this pytest process is not
visible to gunicorn), production-like settings, ~16 concurrent buyers going GET page -> POST
order. Halfway through, one worker (never the master) is killed with SIGKILL. A buyer whose
request died with the worker may see a connection error; what must never happen is an order
acknowledged to a buyer (302 to /o/<token>/) that is not in the database, or an order that is
half-written (no lines, no "placed" event, stock counters that disagree with active lines).

Reuses bench/rush.py (imported from its path: bench/ is not a package) for the database setup
script, gunicorn start/stop, manage.py runner and form parsing; the HTTP client is a small one
here so every request has a short hard timeout (the bench's waits 60 s).
"""

import http.client
import importlib.util
import json
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CAPACITY = 60
BUYERS = 16
WORKERS = 3
KILL_AFTER_ACKS = 12  # kill a worker once this many orders were acknowledged...
KILL_AFTER_S = 2.0  # ...or after this long, whichever comes first
RUSH_S = 6.0  # buyers stop after this long at most (or when sold out)
REQUEST_TIMEOUT_S = 10

CHECK = """
import json, os
from django.db.models import Sum
from campaigns.models import Campaign, Variant
from orders.models import Order, OrderEvent, OrderLine
acked = json.loads(os.environ["ACKED_TOKENS"])
found = set(Order.objects.filter(token__in=acked).values_list("token", flat=True))
def held(**kw):
    lines = OrderLine.objects.filter(order__status__in=Order.ACTIVE, **kw)
    return lines.aggregate(n=Sum("quantity"))["n"] or 0
print(json.dumps({
    "orders": Order.objects.count(),
    "missing": sorted(set(acked) - found),
    "no_lines": list(Order.objects.filter(lines__isnull=True).values_list("code", flat=True)),
    "no_placed_event": list(
        Order.objects.exclude(
            pk__in=OrderEvent.objects.filter(kind=OrderEvent.Kind.PLACED).values("order")
        ).values_list("code", flat=True)
    ),
    "campaigns": [[c.pk, c.reserved, held(order__campaign=c)] for c in Campaign.objects.all()],
    "variants": [[v.pk, v.reserved, held(variant=v)] for v in Variant.objects.all()],
}))
"""


def load_rush():
    spec = importlib.util.spec_from_file_location("openpo_bench_rush", ROOT / "bench" / "rush.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker_pids(master_pid: int) -> list[int]:
    pids = []
    for children in Path(f"/proc/{master_pid}/task").glob("*/children"):
        pids += [int(p) for p in children.read_text().split()]
    return pids


class Buyer:
    """One buyer: own cookies, one request at a time, short hard timeout."""

    def __init__(self, port: int, n: int):
        self.port = port
        self.n = n
        self.cookies = {}

    def request(self, method, path, body=None):
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "openpo-faults"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read().decode()
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), data


class Rush:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = []  # tokens of orders acknowledged to a buyer
        self.status = {}
        self.conn_errors = []
        self.sold_out = threading.Event()

    def count(self, key):
        with self.lock:
            self.status[key] = self.status.get(key, 0) + 1


def run_buyer(n, port, path, rush, form_fields, deadline):
    buyer = Buyer(port, n)
    attempt = 0
    while time.monotonic() < deadline and not rush.sold_out.is_set():
        try:
            status, _, html = buyer.request("GET", path)
            rush.count(f"get {status}")
            if status != 200:
                continue
            fields = form_fields(html)
            if "idempotency_key" not in fields:  # no form: sold out
                rush.sold_out.set()
                return
            attempt += 1
            k = n * 1000 + attempt
            fields.update(
                {
                    "lines-0-quantity": "1",
                    "buyer_name": f"Buyer {k}",
                    "buyer_phone": f"0812{k:08d}",
                    "buyer_email": f"buyer{k}@example.com",
                    "shipping_address": f"Jl. Contoh {k}, Jakarta",
                }
            )
            status, location, _ = buyer.request("POST", path, fields)
            rush.count(f"post {status}")
            target = urllib.parse.urlsplit(location or "").path.strip("/").split("/")
            if status == 302 and len(target) == 2 and target[0] == "o":
                with rush.lock:
                    rush.acked.append(target[1])
            elif status == 409:
                rush.sold_out.set()
                return
        except (OSError, http.client.HTTPException) as exc:  # the killed worker's requests
            with rush.lock:
                rush.conn_errors.append(f"{type(exc).__name__}: {exc}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_rush_loses_no_acknowledged_order_and_half_writes_none():
    import psycopg

    rush_mod = load_rush()
    db = f"openpo_faults_{os.getpid()}_{secrets.token_hex(4)}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        rush_mod.production_env(db, "127.0.0.1"),
        ORDER_RATE="1000000/1",  # the per-address limit never triggers
    )
    logdir = tempfile.mkdtemp(prefix="openpo-faults-")
    server = None
    with psycopg.connect(f"{rush_mod.PG_URL}/postgres", autocommit=True, connect_timeout=5) as c:
        c.execute(f'CREATE DATABASE "{db}"')
    try:
        rush_mod.manage(env, "migrate", "--no-input", "-v0")
        # Production settings serve hashed static files from the manifest (staticfiles/).
        rush_mod.manage(env, "collectstatic", "--no-input", "-v0")
        setup = rush_mod.SETUP % {"shop": "faults", "capacity": CAPACITY, "rushes": 1}
        rush_mod.manage(env, "shell", "-c", setup)
        port = rush_mod.free_port()
        server = rush_mod.start_gunicorn(env, "openpo.wsgi:application", port, WORKERS, logdir)
        path = "/faults/launch-rush-0/"
        # Every worker answers the page before the rush (imports, templates, connections).
        for _ in range(2 * WORKERS):
            assert Buyer(port, 0).request("GET", path)[0] == 200

        rush = Rush()
        t0 = time.monotonic()
        deadline = t0 + RUSH_S
        threads = [
            threading.Thread(
                target=run_buyer,
                args=(n, port, path, rush, rush_mod.form_fields, deadline),
                daemon=True,
            )
            for n in range(1, BUYERS + 1)
        ]
        for t in threads:
            t.start()
        while time.monotonic() - t0 < KILL_AFTER_S and len(rush.acked) < KILL_AFTER_ACKS:
            time.sleep(0.01)
        workers = worker_pids(server.pid)
        assert len(workers) == WORKERS, workers
        victim = workers[0]
        acked_before_kill = len(rush.acked)
        os.kill(victim, signal.SIGKILL)
        for t in threads:
            t.join(timeout=RUSH_S + REQUEST_TIMEOUT_S + 2)
        assert not any(t.is_alive() for t in threads), "a buyer hung"
        assert victim not in worker_pids(server.pid)
        rush_mod.stop(server)
        server = None

        check_env = dict(env, ACKED_TOKENS=json.dumps(rush.acked))
        result = json.loads(
            rush_mod.manage(check_env, "shell", "-c", CHECK).stdout.strip().splitlines()[-1]
        )
        integrity = rush_mod.manage(env, "check_integrity", check=False)
        summary = (
            f"acked {len(rush.acked)} ({acked_before_kill} before the kill), "
            f"orders {result['orders']}, status {rush.status}, "
            f"connection errors {rush.conn_errors}"
        )
        print(summary)
        assert acked_before_kill > 0, summary  # the kill landed mid-rush
        assert len(rush.acked) == len(set(rush.acked)), summary
        assert result["missing"] == [], summary
        assert result["no_lines"] == [], summary
        assert result["no_placed_event"] == [], summary
        for kind in ("campaigns", "variants"):
            for pk, reserved, held in result[kind]:
                assert reserved == held, f"{kind[:-1]} {pk}: reserved {reserved}, held {held}"
        assert not [k for k in rush.status if k.split()[-1].startswith("5")], summary
        assert integrity.returncode == 0, integrity.stdout + integrity.stderr
        shutil.rmtree(logdir)  # kept (gunicorn-<port>.log) only when the test fails
    finally:
        if server is not None:
            rush_mod.stop(server)
        with psycopg.connect(
            f"{rush_mod.PG_URL}/postgres", autocommit=True, connect_timeout=5
        ) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
