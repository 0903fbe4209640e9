"""Doors strangers can knock on: log-ins lock after the stated number of failures (per account
and per address, the admin's too), password resets are throttled, rate limits hold across
processes, and no cache keeps a copy of a seller's page."""

import os
import subprocess
import sys
import textwrap

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from campaigns.models import Email
from tests.factories import make_order, make_user
from tests.payments.conftest import send

PASSWORD = "pw-for-tests-only"
LIMIT = settings.AXES_FAILURE_LIMIT


def log_in(client, username, password, *, url=None, address="192.0.2.10"):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- log-in throttling ----------------------------------------------------------------------------


@pytest.mark.parametrize("door", ["login", "admin:login"])
def test_an_account_locks_after_the_stated_failures_and_refuses_even_the_right_password(
    client, db, door
):
    # given a seller (staff, so the admin's door is theirs too)
    user = make_user(username="rina", is_staff=True)
    url = reverse(door)

    # when someone tries wrong passwords: the LIMIT-th failure locks the account
    for _ in range(LIMIT - 1):
        assert log_in(client, "rina", "wrong", url=url).status_code == 200
    assert log_in(client, "rina", "wrong", url=url).status_code == 429

    # then the right password is refused while the lock lasts, with a clear page
    response = log_in(client, "rina", PASSWORD, url=url)
    assert response.status_code == 429
    assert "Log-in locked for a while" in response.content.decode()
    assert "30 minutes" in response.content.decode()
    assert not logged_in(client)

    # when staff lift the lock, the right password works again
    call_command("axes_reset_username", user.username)
    assert log_in(client, "rina", PASSWORD).status_code == 302
    assert logged_in(client)


def test_one_address_trying_many_accounts_is_locked_out_of_all_of_them(client, db):
    # given accounts guessed at from one address
    make_user(username="sinta")
    for n in range(LIMIT):
        log_in(client, f"guess{n}", "wrong", address="198.51.100.7")

    # then that address cannot log in even to a real account with its password
    assert log_in(client, "sinta", PASSWORD, address="198.51.100.7").status_code == 429
    # while the same account from another address still can
    assert log_in(client, "sinta", PASSWORD, address="203.0.113.9").status_code == 302


def test_staff_see_the_locks_in_the_admin(admin_client, client, db):
    make_user(username="rina")
    for _ in range(LIMIT):
        log_in(client, "rina", "wrong")
    assert AccessAttempt.objects.filter(username="rina").exists()
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "rina" in page


# --- password resets ------------------------------------------------------------------------------


def test_password_resets_are_throttled_per_account(client, shop):
    limit = int(settings.PASSWORD_RESET_RATE.split("/")[0])
    url = reverse("password_reset")

    # when a flood of resets is asked for one account, from many addresses
    answers = [
        client.post(url, {"email": shop.owner.email}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(limit + 3)
    ]

    # then only the first few queue an e-mail; the rest are told to wait
    assert answers == [302] * limit + [429] * 3
    assert Email.objects.filter(template="password_reset").count() == limit
    refused = client.post(url, {"email": shop.owner.email}, REMOTE_ADDR="192.0.2.200")
    assert "Too many password reset requests" in refused.content.decode()


def test_password_resets_are_throttled_per_address(client, db):
    limit = int(settings.PASSWORD_RESET_RATE.split("/")[0])
    url = reverse("password_reset")
    answers = [
        client.post(url, {"email": f"someone{n}@example.com"}).status_code for n in range(limit + 1)
    ]
    assert answers[-1] == 429


# --- no cache keeps a copy ------------------------------------------------------------------------


def test_every_seller_page_export_and_proof_says_private_no_store(seller, shop, open_campaign):
    order = make_order(open_campaign, note="Green, SARI")
    payment = send(order, "75000")
    urls = [
        reverse("dashboard:pick_shop"),
        reverse("dashboard:home", args=[shop.slug]),
        reverse("dashboard:order", args=[shop.slug, order.code]),
        reverse("dashboard:campaign_export", args=[shop.slug, open_campaign.pk]),
        reverse("dashboard:payment_proof", args=[shop.slug, payment.pk]),
    ]
    for url in urls:
        response = seller.get(url)
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= cache_control, url


# --- rate limits hold across processes ------------------------------------------------------------

COUNTER = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from kernel.ratelimit import allow
    print(sum(allow("order:203.0.113.7", 20, 600) for _ in range(10)))
    """
)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["database", "redis"])
def test_four_processes_counting_at_once_hold_the_rate_exactly(store):
    # given 4 processes (as `make serve` runs 4 gunicorn workers) sharing the default store
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "openpo.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    if store == "redis":
        env["CACHE_URL"] = "redis://127.0.0.1:6379/15"
        import redis

        redis.Redis.from_url(env["CACHE_URL"]).flushdb()

    # when each tries 10 requests from one address against a limit of 20, all at once
    runs = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", COUNTER],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    allowed = [int(run.communicate(timeout=60)[0].split()[-1]) for run in runs]

    # then exactly 20 of the 40 got through
    assert sum(allowed) == 20
