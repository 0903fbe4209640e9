"""Per-connection rate limits on what strangers can repeat: placing orders, sending proofs,
asking for password resets.

A fixed window per scope and client. The count lives where every worker and host sees it: a row
of kernel.models.RateCount added to by one atomic statement, or Redis's INCR when CACHE_URL names
Redis. (Django's database cache would not do: it increments by reading and writing back, so two
workers counting at once both write the same number and the limit leaks.)
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from kernel.models import RateCount


def parse_rate(rate: str) -> tuple[int, int]:
    """`"20/600"` → (20, 600): at most 20 requests per 600 seconds."""
    limit, _, period = rate.partition("/")
    return int(limit), int(period)


def client_ip(request) -> str:
    """The address the request came from.

    REMOTE_ADDR, unless settings.TRUSTED_PROXY_HOPS proxies of our own stand in front: then the
    address the outermost of them saw, read from the right of X-Forwarded-For (anything further
    left was written by the client and proves nothing). An IPv6 client counts as its /64, the
    block one subscriber gets.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def allow(key: str, limit: int, period: int) -> bool:
    """Count one request against `key`; False once more than `limit` came in the current
    `period` seconds (the window starts at the first request)."""
    return _hit(key, period) <= limit


def allow_rate(request, scope: str, rate: str, *, who: str | None = None) -> bool:
    """allow() for this request's client (or `who`, an account or address it names) in `scope`,
    with a `"limit/seconds"` rate string as ORDER_RATE and PROOF_RATE are set."""
    limit, period = parse_rate(rate)
    return allow(f"{scope}:{who or client_ip(request)}"[:200], limit, period)


def _hit(key: str, period: int) -> int:
    if isinstance(cache, RedisCache):
        cache.add(f"ratelimit:{key}", 0, timeout=period)
        try:
            return cache.incr(f"ratelimit:{key}")
        except ValueError:
            # The window ended between add and incr: this request opens the next one.
            cache.set(f"ratelimit:{key}", 1, timeout=period)
            return 1
    now = int(time.time())
    table, key_, ends, hits = map(
        connection.ops.quote_name, (RateCount._meta.db_table, "key", "window_ends", "hits")
    )
    with connection.cursor() as cursor:
        # Every SET expression reads the row as it was, so both see the same old window.
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {ends}, {hits}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({key_}) DO UPDATE SET "
            f"{hits} = CASE WHEN {table}.{ends} <= %s THEN 1 ELSE {table}.{hits} + 1 END, "
            f"{ends} = CASE WHEN {table}.{ends} <= %s THEN excluded.{ends} ELSE {table}.{ends} END "
            f"RETURNING {hits}",
            [key, now + period, now, now],
        )
        return cursor.fetchone()[0]


def forget_ended_windows() -> int:
    """Delete the counts of windows that have ended (`tick` calls it); returns how many."""
    deleted, _ = RateCount.objects.filter(window_ends__lte=int(time.time())).delete()
    return deleted


def login_client_ip(request) -> str | None:
    """client_ip for django-axes, which keeps it in an IP address column: None when the request
    carries no address (a test client's force_login, a management command)."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
