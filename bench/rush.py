"""Launch-rush benchmark: many buyers, one campaign, real HTTP against gunicorn on PostgreSQL.

Run from the repository root after `make install` (bench/README.md):

    .venv/bin/python bench/rush.py [--capacity 200] [--buyers 64] [--attempts 600]
                                   [--time-cap 60] [--workers 4]

It creates a fresh database openpo_bench_<pid> on 127.0.0.1:5432 (user postgres), migrates it,
makes one shop and one open campaign (capacity C, one variant, no note), serves the app and a
one-INSERT baseline app (bench/baseline_wsgi.py) with two gunicorns on production settings,
measures the baseline, then drives the buyers through GET page -> POST order -> GET order page.
It prints the figures, runs check_integrity, stops both servers and drops the database. Exit
status 1 if units sold != C or any request answered 5xx (or integrity failed).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent  # --app-dir may point elsewhere (e.g. a `git archive` of a commit)
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only, by design
PG_URL = "postgresql://postgres@127.0.0.1:5432"
SHOP_SLUG = "bench-shop"
CAMPAIGN_SLUG = "launch-rush"

SETUP = """
import json
from datetime import timedelta
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from campaigns.models import Campaign, Shop, Variant
owner = get_user_model().objects.create_user("bench-seller", "bench@example.com", "x" * 20)
shop = Shop.objects.create(owner=owner, name="Bench shop", slug=%(shop)r)
shop.members.add(owner, through_defaults={"role": "owner"})
now = timezone.now()
campaign = Campaign.objects.create(
    shop=shop, title="Launch rush", slug=%(campaign)r, status=Campaign.Status.PUBLISHED,
    opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7),
    min_quantity=10, production_days=14, capacity=%(capacity)d, note_required=False,
)
variant = Variant.objects.create(campaign=campaign, name="Standard", price=Decimal("150000"))
probe = Campaign.objects.create(
    shop=shop, title="Serial probe", slug=%(campaign)r + "-probe",
    status=Campaign.Status.PUBLISHED, opens_at=now - timedelta(days=1),
    closes_at=now + timedelta(days=7), min_quantity=1, production_days=14, capacity=1000,
)
Variant.objects.create(campaign=probe, name="Standard", price=Decimal("150000"))
with connection.cursor() as cursor:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_ping"
        " (id bigserial primary key, at timestamptz default now())"
    )
print(json.dumps({"campaign": campaign.pk, "variant": variant.pk}))
"""

RESULT = """
import json
from campaigns.models import Campaign
from orders.models import Order
c = Campaign.objects.get(pk=%(campaign)d)
v = c.variants.get()
print(json.dumps({
    "reserved": c.reserved, "variant_reserved": v.reserved, "capacity": c.capacity,
    "orders": Order.objects.filter(campaign=c).count(),
    "active_orders": Order.objects.filter(campaign=c, status__in=Order.ACTIVE).count(),
}))
"""

INPUT = re.compile(r"<input\b[^>]*>", re.I)
TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</textarea>", re.I | re.S)
ATTR = re.compile(r"\b(name|value|type)=\"([^\"]*)\"", re.I)


def log(message):
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def manage(env, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def start_gunicorn(env, app, port, workers, logdir) -> subprocess.Popen:
    errlog = open(Path(logdir) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [
            str(BIN / "gunicorn"),
            app,
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--chdir",
            str(ROOT),
            "--pythonpath",
            f"{ROOT},{BENCH_DIR}",
        ],
        cwd=ROOT,
        env=env,
        stdout=errlog,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn {app} exited; see {errlog.name}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn {app} did not listen on {port}")


def stop(proc):
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Client:
    """One buyer: its own cookies, one request at a time (gunicorn sync workers close the
    connection after each response, as behind a proxy without keep-alive)."""

    def __init__(self, port, n=0):
        self.port = port
        self.cookies = {}
        # Buyers come from many addresses, as behind one trusted proxy (TRUSTED_PROXY_HOPS=1):
        # per-address rate limits count each buyer, not the bench's one loopback address.
        self.address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    def request(self, method, path, body=None):
        headers = {
            "Host": f"{HOST}:{self.port}",
            "User-Agent": "openpo-bench",
            "X-Forwarded-For": self.address,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
        start = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), data.decode(), elapsed


def form_fields(html: str) -> dict:
    fields = {}
    for tag in INPUT.findall(html):
        attrs = {k.lower(): v for k, v in ATTR.findall(tag)}
        if "name" in attrs and attrs.get("type", "text").lower() not in ("submit", "checkbox"):
            fields[attrs["name"]] = attrs.get("value", "")
    for name, text in TEXTAREA.findall(html):
        fields[name] = text.strip()
    return fields


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.lat = {"get": [], "post": [], "follow": [], "ping": []}
        self.status = {}
        self.errors = []
        self.attempts = 0
        self.orders = 0
        self.refused = 0
        self.last_order_at = None
        self.sold_out_seen = False

    def record(self, kind, status, latency):
        with self.lock:
            self.lat[kind].append(latency)
            key = f"{kind} {status}"
            self.status[key] = self.status.get(key, 0) + 1

    def error(self, message, *, exception=False):
        with self.lock:
            if len(self.errors) < 10:
                self.errors.append(message)
            if exception:
                self.status["exception"] = self.status.get("exception", 0) + 1

    def take_attempt(self, limit) -> bool:
        with self.lock:
            if self.attempts >= limit:
                return False
            self.attempts += 1
            return True


def buyer(n, port, path, stats, args, deadline, t0):
    client = Client(port, n + 1)
    while time.monotonic() < deadline and not stats.sold_out_seen:
        try:
            status, _, html, latency = client.request("GET", path)
            stats.record("get", status, latency)
            if status != 200:
                continue
            fields = form_fields(html)
            if "idempotency_key" not in fields:  # no form: the page says sold out
                with stats.lock:
                    stats.sold_out_seen = True
                return
            if not stats.take_attempt(args.attempts):
                return
            k = n * 100_000 + stats.attempts
            fields.update(
                {
                    "lines-0-quantity": "1",
                    "buyer_name": f"Buyer {k}",
                    "buyer_phone": f"0812{k:08d}",
                    "buyer_email": f"buyer{k}@example.com",
                    "shipping_address": f"Jl. Contoh {k}, Jakarta",
                }
            )
            status, location, body, latency = client.request("POST", path, fields)
            stats.record("post", status, latency)
            if status == 302 and location:
                target = urllib.parse.urlsplit(location)
                status, _, _, latency = client.request("GET", target.path or "/")
                stats.record("follow", status, latency)
                if status == 200:
                    with stats.lock:
                        stats.orders += 1
                        stats.last_order_at = time.monotonic() - t0
            elif status == 409:
                with stats.lock:
                    stats.refused += 1
                    stats.sold_out_seen = True
                return
            elif status == 400:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)
                text = " ".join(re.sub(r"<[^>]+>", " ", " | ".join(errors)).split())
                stats.error(f"POST 400: {text[:300] or 'no error list in the page'}")
        except Exception as exc:
            stats.error(f"{type(exc).__name__}: {exc}", exception=True)


def pinger(_n, port, stats, limit, deadline):
    client = Client(port)
    while time.monotonic() < deadline and stats.take_attempt(limit):
        try:
            status, _, _, latency = client.request("POST", "/ping/", {})
            stats.record("ping", status, latency)
        except Exception as exc:
            stats.error(f"{type(exc).__name__}: {exc}", exception=True)


def run_threads(target, count, *a):
    threads = [threading.Thread(target=target, args=(i, *a)) for i in range(count)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - start


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def latency_line(name, values):
    return (
        f"  {name:<22} n={len(values):<5} p50={pct(values, 50):7.1f} ms  "
        f"p95={pct(values, 95):7.1f} ms  p99={pct(values, 99):7.1f} ms"
    )


def main() -> int:
    global ROOT  # one tree per run, read by manage() and start_gunicorn()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--capacity", type=int, default=200, help="campaign capacity C")
    parser.add_argument("--buyers", type=int, default=64, help="concurrent buyers M")
    parser.add_argument("--attempts", type=int, default=600, help="order POSTs at most, N")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per phase at most")
    parser.add_argument(
        "--baseline-requests", type=int, default=3000, help="baseline requests at most"
    )
    parser.add_argument(
        "--probe", type=int, default=20, help="serial orders on a separate campaign first"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT, help="the OpenPO tree to serve (default: this one)"
    )
    args = parser.parse_args()
    ROOT = args.app_dir.resolve()

    db = f"openpo_bench_{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"{PG_URL}/{db}",
        EMAIL_URL="dummymail://",  # no MTA here; emails are built, then dropped
        LOG_LEVEL="WARNING",
        TRUSTED_PROXY_HOPS="1",
    )
    logdir = tempfile.mkdtemp(prefix="openpo-bench-")
    app = ping = None
    failed = []
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    log(f"database {db} created; logs in {logdir}")
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")  # STATIC_ROOT is staticfiles/
        ids = json.loads(
            manage(
                env,
                "shell",
                "-c",
                SETUP % {"shop": SHOP_SLUG, "campaign": CAMPAIGN_SLUG, "capacity": args.capacity},
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        app_port, ping_port = free_port(), free_port()
        app = start_gunicorn(env, "openpo.wsgi:application", app_port, args.workers, logdir)
        ping = start_gunicorn(env, "baseline_wsgi:application", ping_port, args.workers, logdir)
        path = f"/{SHOP_SLUG}/{CAMPAIGN_SLUG}/"
        log(f"app on {HOST}:{app_port}{path}, baseline on {HOST}:{ping_port}/ping/")

        # Warm up every worker (imports, templates, connections) without placing orders.
        warm = Stats()
        for _ in range(4 * args.workers):
            for port, method, p in ((app_port, "GET", path), (ping_port, "POST", "/ping/")):
                status, _, _, _ = Client(port).request(method, p, {} if method == "POST" else None)
                if status != 200:
                    raise RuntimeError(f"warm-up {method} {p} answered {status}")
        del warm

        # Baseline: the same number of concurrent clients, N one-INSERT requests.
        base = Stats()
        deadline = time.monotonic() + args.time_cap
        base_elapsed = run_threads(
            pinger, args.buyers, ping_port, base, args.baseline_requests, deadline
        )
        base_rps = len(base.lat["ping"]) / base_elapsed

        # One buyer at a time on another campaign: what each request costs without queueing.
        probe = Stats()
        probe_args = argparse.Namespace(attempts=args.probe)
        t = time.monotonic()
        buyer(99, app_port, path.rstrip("/") + "-probe/", probe, probe_args, t + 60, t)
        serial_ping = Stats()
        pinger(0, ping_port, serial_ping, args.probe, time.monotonic() + 60)

        # The rush.
        rush = Stats()
        t0 = time.monotonic()
        cpu0 = time.process_time()
        deadline = t0 + args.time_cap
        rush_elapsed = run_threads(buyer, args.buyers, app_port, path, rush, args, deadline, t0)
        client_cpu = time.process_time() - cpu0
        stop(app)
        stop(ping)

        result = json.loads(
            manage(env, "shell", "-c", RESULT % {"campaign": ids["campaign"]})
            .stdout.strip()
            .splitlines()[-1]
        )
        integrity = manage(env, "check_integrity", check=False)

        order_window = rush.last_order_at or rush_elapsed
        orders_per_s = rush.orders / order_window if order_window else 0.0
        all_status = {}
        for stats in (base, probe, serial_ping, rush):
            for key, n in stats.status.items():
                all_status[key] = all_status.get(key, 0) + n
        five_xx = sum(n for k, n in all_status.items() if k.split()[-1].startswith("5"))
        expected = {"get 200", "post 302", "post 409", "follow 200", "ping 200"}
        other = sum(
            n
            for k, n in all_status.items()
            if k not in expected and not k.split()[-1].startswith("5")
        )

        log("")
        log(
            f"OpenPO launch rush: C={args.capacity}, M={args.buyers} buyers, N={args.attempts} "
            f"order attempts at most, {args.workers} gunicorn workers, cap {args.time_cap:.0f} s"
        )
        log(
            f"baseline (POST /ping/, one INSERT): {len(base.lat['ping'])} requests in "
            f"{base_elapsed:.2f} s = {base_rps:.1f} req/s"
        )
        log(latency_line("baseline POST /ping/", base.lat["ping"]))
        log(f"serial probe, one client, no queueing ({probe.orders} orders, other campaign):")
        log(latency_line("baseline POST /ping/", serial_ping.lat["ping"]))
        log(latency_line("campaign page GET", probe.lat["get"]))
        log(latency_line("order POST", probe.lat["post"]))
        log(latency_line("order page GET", probe.lat["follow"]))
        log(
            f"rush: {rush.orders} orders in {order_window:.2f} s (to the last order) = "
            f"{orders_per_s:.1f} orders/s; whole phase {rush_elapsed:.2f} s, "
            f"{rush.attempts} order POSTs, {rush.refused} refused as sold out"
        )
        log(latency_line("order POST", rush.lat["post"]))
        log(latency_line("campaign page GET", rush.lat["get"]))
        log(latency_line("order page GET", rush.lat["follow"]))
        log(
            f"bench client CPU during the rush: {client_cpu:.2f} s over {rush_elapsed:.2f} s wall "
            f"(on the same {os.cpu_count()} cores as the servers and PostgreSQL)"
        )
        log(f"status counts: {dict(sorted(all_status.items()))}")
        log(f"5xx: {five_xx}   other errors: {other}")
        for message in rush.errors + base.errors + probe.errors + serial_ping.errors:
            log(f"  error: {message}")
        log(
            f"units sold: campaign.reserved={result['reserved']} "
            f"variant.reserved={result['variant_reserved']} orders={result['orders']} "
            f"(active {result['active_orders']}) against C={args.capacity}"
        )
        ratio = orders_per_s / base_rps if base_rps else 0.0
        log(
            f"order throughput / baseline: {orders_per_s:.1f} / {base_rps:.1f} = {ratio:.2f} "
            f"(target >= 0.50)"
        )
        log(
            f"check_integrity (exit {integrity.returncode}): "
            f"{(integrity.stdout + integrity.stderr).strip()}"
        )

        if not base.lat["ping"] or base.errors:
            failed.append("baseline did not run cleanly")
        if result["reserved"] != args.capacity or result["orders"] != args.capacity:
            failed.append("units sold != C")
        if five_xx:
            failed.append("5xx answers")
        if integrity.returncode:
            failed.append("check_integrity failed")
        if ratio < 0.5:
            log("NOTE: throughput below half the baseline (reported, not an exit failure)")
    except subprocess.CalledProcessError as exc:
        log(f"command failed: {exc.cmd}\n{exc.stdout}\n{exc.stderr}")
        failed.append("setup")
    finally:
        stop(app)
        stop(ping)
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        log(f"database {db} dropped")
    if failed:
        log(f"FAILED: {', '.join(failed)}")
        return 1
    log("OK: units sold == C, no 5xx, integrity clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
