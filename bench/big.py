"""Big-campaign benchmark: do the pages stay flat from 1,000 to 100,000 orders, and does the
orders CSV stream in bounded memory? Django's test Client in-process, on PostgreSQL.

Run from the repository root after `make install` (bench/README.md):

    .venv/bin/python bench/big.py [--orders 100000] [--small 1000] [--repeat 7] [--warmup 2]

It creates a fresh database openpo_big_<pid> on 127.0.0.1:5432 (user postgres), migrates it,
makes two shops with one capacity-less campaign each, bulk-inserts N one-line orders (each with
its transfer amount) into the big one and 1,000 into the small one (chunks of 5,000;
campaign.reserved and variant.reserved equal the active units), gives each the same waiting list
and the same bank statements (a draft to preview, an imported one with lines to match), runs
VACUUM ANALYZE, then times ten pages in each shop (median of --repeat GETs after --warmup),
counts their queries, and streams the big campaign's orders CSV under tracemalloc. It prints the
figures and drops the database. Exit status 1 if a page does not answer 200; missed targets
(ratio <= 1.5, CSV peak < 50 MB) are printed, not exit failures.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from rush import PG_URL, production_env

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 5_000
# Orders still waiting for their down payment's unique amount; the older ones released theirs
# long ago, as orders that paid or expired do (the kode unik range is 9,999 per amount).
LIVE_AMOUNTS = 5_000
# What each shop gets besides its orders, the same at both sizes.
WAITING = 60
STATEMENT_LINES = 200
RATIO_TARGET = 1.5
CSV_TARGET_MB = 50


def log(message=""):
    print(message, flush=True)


def configure(db: str):
    os.environ.update(production_env(db, "testserver"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "openpo.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django
    from django.core.management import call_command

    django.setup()
    # DEBUG off serves hashed static files from the manifest; a fresh clone has none yet.
    call_command("collectstatic", interactive=False, verbosity=0)


def fill(campaign, count: int, prefix: int) -> None:
    """`count` one-unit pending orders on the campaign's variant, in chunks, counters honest.

    Codes are deterministic (the random 7-character default collides at 100,000 orders with a
    probability near 1 in 6): `prefix` keeps the two campaigns apart."""
    from django.db import transaction
    from django.db.models import F

    from campaigns.models import Campaign, Variant
    from orders import tally
    from orders.models import (
        CODE_ALPHABET,
        CODE_LENGTH,
        MAX_TRANSFER_CODE,
        Order,
        OrderLine,
        TransferAmount,
    )

    def code(n: int) -> str:
        n += prefix * 10_000_000
        chars = []
        for _ in range(CODE_LENGTH):
            n, r = divmod(n, len(CODE_ALPHABET))
            chars.append(CODE_ALPHABET[r])
        return "".join(reversed(chars))

    variant = campaign.variants.get()
    half = variant.price / 2
    # Released amounts from long before: a statement of today can only pay the live ones.
    long_ago = campaign.opens_at - timedelta(days=90)
    for start in range(0, count, CHUNK):
        stop = min(start + CHUNK, count)
        with transaction.atomic():
            orders = Order.objects.bulk_create(
                Order(
                    campaign=campaign,
                    code=code(n),
                    idempotency_key=f"big-{campaign.pk}-{n}",
                    status=Order.Status.PENDING,
                    buyer_name=f"Buyer {n}",
                    buyer_phone=f"+62812{n:08d}",
                    buyer_email=f"buyer{n}@example.com",
                    shipping_address=f"Jl. Contoh {n}, Jakarta",
                    currency="IDR",
                    subtotal=variant.price,
                    deposit_amount=half,
                    balance_amount=half,
                    deposit_due_at=campaign.opens_at + timedelta(hours=24),
                    created_at=campaign.opens_at + timedelta(seconds=n),
                )
                for n in range(start, stop)
            )
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    variant=variant,
                    variant_name=variant.name,
                    unit_price=variant.price,
                    quantity=1,
                    note=("Green, “ANDI”" if n % 3 == 0 else ""),
                )
                for n, order in enumerate(orders, start)
            )
            TransferAmount.objects.bulk_create(
                TransferAmount(
                    shop_id=campaign.shop_id,
                    order=order,
                    kind=TransferAmount.Kind.DEPOSIT,
                    code=1 + n % MAX_TRANSFER_CODE,
                    amount=half + 1 + n % MAX_TRANSFER_CODE,
                    claimed_at=order.created_at if n >= count - LIVE_AMOUNTS else long_ago,
                    released_at=None if n >= count - LIVE_AMOUNTS else long_ago + timedelta(days=1),
                )
                for n, order in enumerate(orders, start)
            )
            units = stop - start
            Campaign.objects.filter(pk=campaign.pk).update(reserved=F("reserved") + units)
            Variant.objects.filter(pk=variant.pk).update(reserved=F("reserved") + units)
    tally.recount([campaign.pk])


def setup(big: int, small: int):
    """Two shops of one owner, each with one campaign: `small` orders in one, `big` in the other,
    and the same waiting list and bank statements in both."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from campaigns.models import Campaign, Shop, Variant
    from orders.models import Order, OrderLine

    owner = get_user_model().objects.create_user("big-seller", "big@example.com", "x" * 20)
    now = timezone.now()
    shops, campaigns, extras = {}, {}, {}
    for label, count, prefix in (("small", small, 1), ("big", big, 2)):
        shop = Shop.objects.create(owner=owner, name=f"{label.title()} shop", slug=f"{label}-shop")
        shop.members.add(owner, through_defaults={"role": "owner"})
        campaign = Campaign.objects.create(
            shop=shop,
            title=f"{label.title()} campaign",
            slug=f"{label}-campaign",
            status=Campaign.Status.PUBLISHED,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=7),
            min_quantity=10,
            production_days=14,
            capacity=None,
            note_required=False,
        )
        Variant.objects.create(campaign=campaign, name="Standard", price=Decimal("150000"))
        t = time.monotonic()
        fill(campaign, count, prefix)
        log(f"  {label}: {count} orders in {time.monotonic() - t:.1f} s")
        campaign.refresh_from_db()
        variant = campaign.variants.get()
        active = sum(
            line.quantity
            for line in OrderLine.objects.filter(
                order__campaign=campaign, order__status__in=Order.ACTIVE
            ).only("quantity")
        )
        assert campaign.reserved == variant.reserved == active == count, (
            campaign.reserved,
            variant.reserved,
            active,
        )
        shops[label], campaigns[label] = shop, campaign
        extras[label] = add_waiting_list(campaign) | add_statements(shop)
    with connection.cursor() as cursor:
        # What autovacuum does after bulk inserts: statistics, and the visibility map that
        # index-only scans need (plain ANALYZE leaves COUNT(*) on a heap scan).
        cursor.execute("VACUUM ANALYZE")
    return owner, shops, campaigns, extras


def add_waiting_list(campaign) -> dict:
    """WAITING places on the campaign's list: a third waiting, a third holding a unit, a third
    turned into (existing) orders."""
    from django.db.models import F
    from django.utils import timezone

    from campaigns.models import Campaign, Variant
    from orders.models import WaitlistEntry

    variant = campaign.variants.get()
    orders = list(campaign.orders.order_by("id")[: WAITING // 3])
    now = timezone.now()
    entries = []
    for n in range(WAITING):
        entry = WaitlistEntry(
            campaign=campaign,
            variant=variant,
            name=f"Waiting {n}",
            phone=f"+62813{n:08d}",
            email=f"waiting{n}@example.com",
            quantity=1,
        )
        if n % 3 == 1:
            entry.status = WaitlistEntry.Status.OFFERED
            entry.held = 1
            entry.offered_at = now
            entry.offer_expires_at = now + timedelta(hours=12)
        elif n % 3 == 2:
            entry.status = WaitlistEntry.Status.ORDERED
            entry.order = orders.pop()
            entry.ended_at = now
        entries.append(entry)
    WaitlistEntry.objects.bulk_create(entries)
    held = sum(entry.held for entry in entries)
    Campaign.objects.filter(pk=campaign.pk).update(held=F("held") + held)
    Variant.objects.filter(pk=variant.pk).update(held=F("held") + held)
    base = f"/dashboard/{campaign.shop.slug}/campaigns/{campaign.pk}/"
    return {"waiting list": (f"{base}waiting-list/", True)}


def add_statements(shop) -> dict:
    """A draft statement to preview (three quarters of its lines pay waiting orders' unique
    amounts, the rest match nothing) and an imported one whose lines are left to match."""
    import hashlib

    from django.utils import timezone

    from orders.models import TransferAmount
    from payments.models import StatementImport, StatementLine
    from payments.services.statements import preview_statement

    now = timezone.now()
    today = timezone.localdate(now)
    live = list(
        TransferAmount.objects.filter(shop=shop, released_at__isnull=True)
        .order_by("-id")
        .values_list("amount", flat=True)[: STATEMENT_LINES * 3 // 4]
    )
    amounts = live + [Decimal(123_456 + n) for n in range(STATEMENT_LINES - len(live))]
    rows = ["Tanggal,Keterangan,Kredit"] + [
        f"{today:%d/%m/%Y},TRSF E-BANKING CR {n:04d} PO,{amount:.2f}"
        for n, amount in enumerate(amounts)
    ]
    draft = StatementImport.objects.create(
        shop=shop,
        layout=StatementImport.Layout.CSV,
        file_name="mutasi.csv",
        text="\n".join(rows) + "\n",
        columns={"date": 0, "description": 1, "credit": 2, "header": True},
    )
    matched = preview_statement(statement=draft).counts["matched"]
    assert matched == len(live), (matched, len(live))
    imported = StatementImport.objects.create(
        shop=shop,
        layout=StatementImport.Layout.CSV,
        file_name="mutasi-lama.csv",
        text="",
        status=StatementImport.Status.CONFIRMED,
        confirmed_at=now,
    )
    lines = StatementLine.objects.bulk_create(
        StatementLine(
            shop=shop,
            statement=imported,
            booked_on=today,
            amount=Decimal(90_000 + n),
            description=f"SETORAN TUNAI {n:04d}",
            fingerprint=hashlib.sha256(f"big-{shop.pk}-{n}".encode()).hexdigest(),
            status=StatementLine.Status.OPEN,
        )
        for n in range(STATEMENT_LINES)
    )
    base = f"/dashboard/{shop.slug}/statements/"
    return {
        "statements": (base, True),
        "statement preview": (f"{base}{draft.pk}/", True),
        "lines to match": (f"{base}lines/", True),
        "line to match": (f"{base}lines/{lines[0].pk}/", True),
    }


def pages(shop, campaign, extras):
    from orders.models import Order

    middle = Order.objects.filter(campaign=campaign).order_by("created_at", "id")
    order = middle[middle.count() // 2]
    base = f"/dashboard/{shop.slug}/campaigns/{campaign.pk}/"
    return {
        "campaign page": (f"/{shop.slug}/{campaign.slug}/", False),
        "buyer order page": (f"/o/{order.token}/", False),
        "dashboard overview": (base, True),
        "campaign orders list": (f"{base}orders/", True),
        "recap": (f"{base}recap/", True),
        **extras,
    }


def time_page(client, url, repeat, warmup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # captured_queries slices connection.queries_log, a bounded deque: copy it now.
    return statistics.median(times) * 1000, len(queries), len(response.content), list(queries)


def explain_slowest(queries, top=3):
    """The page's slowest queries, with EXPLAIN ANALYZE of each (PostgreSQL)."""
    from django.db import connection

    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
    for query in slowest[:top]:
        log(f"    {float(query['time']) * 1000:7.0f} ms  {query['sql'][:400]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (row,) in cursor.fetchall():
                log(f"      {row}")


def stream_csv(client, url, *, trace: bool):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
    t = time.perf_counter()
    size = chunks = 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        for chunk in response.streaming_content:
            size += len(chunk)
            chunks += 1
        response.close()
    elapsed = time.perf_counter() - t
    peak = None
    if trace:
        peak = (tracemalloc.get_traced_memory()[1] - before) / 2**20
        tracemalloc.stop()
    return elapsed, peak, size, chunks - 1, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the big campaign")
    parser.add_argument("--small", type=int, default=1_000, help="orders in the small campaign")
    parser.add_argument("--repeat", type=int, default=7, help="timed GETs per page (median)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed GETs per page first")
    args = parser.parse_args()

    db = f"openpo_big_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    log(f"database {db} created")
    failed = False
    try:
        configure(db)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", "--no-input", verbosity=0)
        t = time.monotonic()
        owner, shops, campaigns, extras = setup(args.orders, args.small)
        log(f"data loaded and vacuumed in {time.monotonic() - t:.1f} s")

        public, seller = Client(), Client()
        seller.force_login(owner)
        results = {}
        for label in ("small", "big"):
            for name, (url, login) in pages(shops[label], campaigns[label], extras[label]).items():
                client = seller if login else public
                results[label, name] = time_page(client, url, args.repeat, args.warmup)

        log("")
        log(
            f"OpenPO big campaign: {args.small} vs {args.orders} orders, median of "
            f"{args.repeat} GETs after {args.warmup} warm-ups (Django test Client, in-process)"
        )
        log(
            f"  {'page':<22} {'small ms':>9} {'big ms':>9} {'ratio':>6}  "
            f"{'queries':>9}  {'bytes small/big':>17}"
        )
        worst = 0.0
        over = []
        for name in pages(shops["small"], campaigns["small"], extras["small"]):
            s_ms, s_q, s_b, _ = results["small", name]
            b_ms, b_q, b_b, captured = results["big", name]
            ratio = b_ms / s_ms
            worst = max(worst, ratio)
            flag = "" if ratio <= RATIO_TARGET else "  <-- over 1.5"
            if ratio > RATIO_TARGET:
                over.append((name, captured))
            log(
                f"  {name:<22} {s_ms:9.1f} {b_ms:9.1f} {ratio:6.2f}  "
                f"{s_q:>4}/{b_q:<4}  {s_b:>8}/{b_b:<8}{flag}"
            )

        for name, captured in over:
            log("")
            log(f"{name}, {args.orders} orders: slowest queries")
            explain_slowest(captured)

        url = f"/dashboard/{shops['big'].slug}/campaigns/{campaigns['big'].pk}/orders.csv"
        elapsed, _, size, rows, queries = stream_csv(seller, url, trace=False)
        log("")
        log(
            f"orders CSV, {args.orders} orders: {size / 2**20:.1f} MB, {rows} rows, "
            f"{elapsed:.2f} s untraced, {queries} queries"
        )
        connection.close()  # the traced run starts from the same state
        elapsed_t, peak, _, _, _ = stream_csv(seller, url, trace=True)
        log(
            f"orders CSV under tracemalloc: peak growth {peak:.1f} MB "
            f"(target < {CSV_TARGET_MB} MB), {elapsed_t:.2f} s traced"
        )
        log("")
        log(
            f"worst page ratio {worst:.2f} (target <= {RATIO_TARGET}): "
            f"{'met' if worst <= RATIO_TARGET else 'NOT met'}; CSV peak {peak:.1f} MB: "
            f"{'met' if peak < CSV_TARGET_MB else 'NOT met'}"
        )
    except Exception as exc:
        log(f"FAILED: {type(exc).__name__}: {exc}")
        failed = True
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        log(f"database {db} dropped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
