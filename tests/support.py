"""Small helpers the tests share: reading pages, walking the dashboard's URLs, racing threads."""

import html
import re
import threading

from django.db import connection
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver


def page_text(response) -> str:
    """The page as a person reads it: entities decoded (“SARI” rather than &ldquo;SARI&rdquo;)."""
    return html.unescape(response.content.decode())


def race(count: int, act, *, setup=None) -> list:
    """Run `act(i)` in `count` threads released together; return each result or exception.

    With `setup`, each thread first runs `setup(i)` on its own connection (loading what a request
    would load) before the start line, and `act(i, prepared)` gets its result. Every thread closes
    its connection when done.
    """
    start = threading.Barrier(count, timeout=60)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            prepared = setup(i) if setup else None
            start.wait()
            results[i] = act(i, prepared) if setup else act(i)
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return results


def dashboard_routes() -> list[tuple[str, str]]:
    """(name, route) of every pattern under /dashboard/."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "dashboard":
            return [
                (pattern.name, "dashboard/" + str(pattern.pattern))
                for pattern in entry.url_patterns
                if isinstance(pattern, URLPattern)
            ]
    raise AssertionError("no dashboard namespace")


def params(route: str) -> set[str]:
    return set(re.findall(r"<\w+:(\w+)>", route))


def url_for(route: str, values: dict) -> str:
    def fill(match):
        name = match.group(2)
        assert name in values, f"teach the walk a value for <{name}> (route {route})"
        return str(values[name])

    return "/" + re.sub(r"<(\w+):(\w+)>", fill, route)
