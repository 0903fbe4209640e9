"""Per-connection rate limits on what strangers can repeat: placing orders, sending proofs.

A fixed window per scope and client address, counted in Django's cache (`CACHE_URL`): locmem
on one process, Redis when several gunicorn hosts must share the count (README, settings).
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache


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


def allow(request, scope: str, limit: int, period: int) -> bool:
    """Count this request against `scope` for its client; False once more than `limit` came
    in the current `period` seconds (the window starts at the first request)."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between add and incr: this request opens the next one.
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit


def allow_rate(request, scope: str, rate: str) -> bool:
    """allow() with a `"limit/seconds"` rate string, as ORDER_RATE and PROOF_RATE are set."""
    limit, period = parse_rate(rate)
    return allow(request, scope, limit, period)
