"""A mail server that hangs or is down never holds up a buyer, and loses no e-mail: a real SMTP
sink (aiosmtpd) and a black-hole port that accepts connections and never answers."""

import socket
import threading
import time
from contextlib import closing
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Email
from campaigns.services.outbox import requeue_due

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def black_hole():
    """A port that accepts every connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, running = [], True

    def accept():
        while running:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    running = False
    listener.close()
    for conn in held:
        with closing(conn):
            pass


def mailer_at(settings, port: int, timeout: int = 2):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


def work_the_queue():
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False)


def order_form(campaign) -> dict:
    """One Green tote for Sari, as the campaign page's form sends it."""
    variants = list(campaign.variants.all())
    data = {
        "buyer_name": "Sari Rahayu",
        "buyer_phone": "0812-3456-7890",
        "buyer_email": "sari@example.com",
        "shipping_address": "Jl. Kenanga 12\nBandung 40115",
        "idempotency_key": "a" * 32,
        "lines-TOTAL_FORMS": str(len(variants)),
        "lines-INITIAL_FORMS": str(len(variants)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for i, variant in enumerate(variants):
        data[f"lines-{i}-variant"] = variant.pk
        data[f"lines-{i}-quantity"] = "1" if i == 0 else "0"
        data[f"lines-{i}-note_0"] = "Green, SARI" if i == 0 else ""
    return data


def test_an_order_placed_while_the_mailer_hangs_is_answered_at_once_and_its_email_arrives_later(
    client, open_campaign, settings, black_hole, smtp_sink
):
    # given a mail server that accepts connections and never answers
    mailer_at(settings, black_hole)

    # when a buyer orders
    started = time.perf_counter()
    response = client.post(open_campaign.get_absolute_url(), order_form(open_campaign))
    elapsed = time.perf_counter() - started

    # then they have their order page at once: nothing in the request touched the mail server
    assert response.status_code == 302, response.content[:500]
    assert elapsed < 1.0
    email = Email.objects.get(template="order_placed")
    assert email.status == Email.Status.QUEUED

    # when the worker tries while the server still hangs, it gives up after the timeout
    work_the_queue()
    email.refresh_from_db()
    assert email.status == Email.Status.RETRYING
    assert "timed out" in email.last_error.lower()

    # when the mail server answers again and the retry is due
    mailer_at(settings, smtp_sink.port)
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    requeue_due(now=timezone.now() + timedelta(seconds=1))
    work_the_queue()

    # then the buyer's e-mail, with their private link, arrived once
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert len(smtp_sink.messages) == 1
    envelope = smtp_sink.messages[0]
    assert envelope.rcpt_tos == ["sari@example.com"]
    text = message_from_bytes(envelope.content, policy=policy.default).get_body(("plain",))
    order_page = response["Location"].split("#")[0]
    assert order_page in text.get_content()


def test_a_seller_page_is_not_held_up_by_a_hanging_mailer_either(
    client, shop, settings, black_hole
):
    # given a hanging mail server, and a seller asking for a password reset
    mailer_at(settings, black_hole)
    started = time.perf_counter()
    response = client.post(reverse("password_reset"), {"email": shop.owner.email})

    # then the page answers at once, and the e-mail waits for the worker
    assert response.status_code == 302
    assert time.perf_counter() - started < 1.0
    assert Email.objects.get(template="password_reset").status == Email.Status.QUEUED
