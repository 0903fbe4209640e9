"""Where a buy's time goes, in-process: each of its three requests (campaign page GET, order POST,
order page GET) through Django's test Client on PostgreSQL, with production settings.

Run from the repository root after `make install` (bench/README.md):

    .venv/bin/python bench/profile_buy.py [--buys 200] [--top 25] [--sort cumulative]

It creates a fresh database openpo_profile_<pid>, one shop and one open campaign like rush.py's,
warms up, then for each request prints its queries (count and SQL) and its median time over
--buys buys, and a cProfile of all the buys' requests together (top --top functions). It drops
the database at the end.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from rush import PG_URL, production_env

ROOT = Path(__file__).resolve().parent.parent


def configure(db: str):
    os.environ.update(production_env(db, "testserver"), DJANGO_SETTINGS_MODULE="openpo.settings")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def make_campaign(buys: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from campaigns.models import Campaign, Shop, Variant

    owner = get_user_model().objects.create_user("bench-seller", "bench@example.com", "x" * 20)
    shop = Shop.objects.create(owner=owner, name="Bench shop", slug="bench-shop")
    now = timezone.now()
    campaign = Campaign.objects.create(
        shop=shop,
        title="Launch rush",
        slug="launch-rush",
        status=Campaign.Status.PUBLISHED,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        min_quantity=10,
        production_days=14,
        capacity=buys * 2,
        note_required=False,
    )
    Variant.objects.create(campaign=campaign, name="Standard", price=Decimal("150000"))
    return campaign


def buy(client, path: str, k: int, timings: dict, queries: dict | None):
    """One buy as rush.py's buyers make it; fills `timings` and, once, `queries`."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def timed(kind, call):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call()
            timings[kind].append(time.perf_counter() - start)
        if queries is not None:
            queries[kind] = [q["sql"] for q in captured.captured_queries]
        return response

    page = timed("page GET", lambda: client.get(path))
    html = page.content.decode()
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    fields.update(
        {
            "lines-0-quantity": "1",
            "buyer_name": f"Buyer {k}",
            "buyer_phone": f"0812{k:08d}",
            "buyer_email": f"buyer{k}@example.com",
            "shipping_address": f"Jl. Contoh {k}, Jakarta",
        }
    )
    posted = timed("order POST", lambda: client.post(path, fields, REMOTE_ADDR=f"10.0.{k}.1"))
    assert posted.status_code == 302, (posted.status_code, posted.content[:2000])
    done = timed("order page GET", lambda: client.get(posted["Location"].split("#")[0]))
    assert done.status_code == 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buys", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--only",
        default="",
        help="list only functions whose file matches (e.g. 'wt17/(orders|kernel)')",
    )
    args = parser.parse_args()
    db = f"openpo_profile_{os.getpid()}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    try:
        configure(db)
        from django.test import Client

        campaign = make_campaign(2 * args.buys + 10)
        path = campaign.get_absolute_url()
        kinds = ("page GET", "order POST", "order page GET")
        # One client, as one gunicorn worker: its handler loads the middleware (WhiteNoise reads
        # every static file's headers) once. Each buyer starts without cookies.
        client = Client()
        for k in range(5):  # warm-up: imports, templates, connections
            client.cookies.clear()
            buy(client, path, k, {kind: [] for kind in kinds}, None)
        timings = {kind: [] for kind in kinds}
        queries = {}
        client.cookies.clear()
        buy(client, path, 9, timings, queries)
        for kind in kinds:
            print(f"\n{kind}: {len(queries[kind])} queries")
            for sql in queries[kind]:
                print(f"  {sql[:160]}")
        # Unprofiled first: cProfile roughly doubles the Python part of each request.
        timings = {kind: [] for kind in kinds}
        for k in range(args.buys):
            client.cookies.clear()
            buy(client, path, 1000 + k, timings, None)
        print()
        for kind in kinds:
            print(f"{kind}: median {statistics.median(timings[kind]) * 1000:.2f} ms")
        timings = {kind: [] for kind in kinds}
        profile = cProfile.Profile()
        profile.enable()
        for k in range(args.buys):
            client.cookies.clear()
            buy(client, path, 3000 + k, timings, None)
        profile.disable()
        print()
        for kind in kinds:
            print(f"{kind}: median {statistics.median(timings[kind]) * 1000:.1f} ms (profiled)")
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.only, args.top)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
