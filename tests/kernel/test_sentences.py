"""What the app writes down (a timeline, a refund's reason) is read in the reader's language at
read time, whatever language was active when it was written."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from kernel.sentences import day, moment, money, say, say_plural, verbatim
from payments.models import Payment
from payments.services.crediting import kind_word
from payments.services.payments import reject_payment
from tests.factories import make_order, payment_in_review
from tests.support import page_text


def read(sentence, language):
    with translation.override(language):
        return str(sentence)


def test_a_sentence_is_read_in_the_language_active_when_it_is_read():
    sentence = say(
        "Payment of %(amount)s received for the %(kind)s.",
        amount=money(Decimal("85000"), "IDR"),
        kind=kind_word(Payment.Kind.DEPOSIT),
    )

    assert read(sentence, "en") == "Payment of Rp 85.000 received for the down payment."
    assert read(sentence, "id") == "Pembayaran Rp 85.000 untuk DP diterima."


def test_plurals_days_moments_and_typed_words_follow_the_reader():
    sent = say_plural(
        "Update emailed to %(count)d buyer: %(text)s",
        "Update emailed to %(count)d buyers: %(text)s",
        3,
        text=verbatim("Bahan sudah datang"),
    )
    assert read(sent, "en") == "Update emailed to 3 buyers: Bahan sudah datang"
    assert read(sent, "id") == "Update dikirim lewat email ke 3 pembeli: Bahan sudah datang"

    when = datetime(2026, 12, 3, 13, 0, tzinfo=ZoneInfo("UTC"))
    at_the_shop = verbatim("Sent") + say("%(when)s", when=moment(when, "Asia/Jakarta"))
    assert read(at_the_shop, "en").endswith("20:00 WIB")
    assert read(say("%(day)s", day=day(date(2026, 12, 3))), "en") == "3 Dec 2026"
    assert read(say("%(day)s", day=day(date(2026, 12, 3))), "id") == "3 Des 2026"


@pytest.mark.django_db
def test_a_timeline_written_in_english_reads_indonesian_on_an_indonesian_page(
    client, open_campaign
):
    # given a rejection written while the seller worked in English
    order = make_order(open_campaign, note="Green")
    with translation.override("en"):
        reject_payment(
            payment=payment_in_review(order), reason="Blurry.", actor=open_campaign.shop.owner
        )

    # when the buyer reads their page in Indonesian, then in English
    indonesian = page_text(client.get(order.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))
    english = page_text(client.get(order.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    # then the same entry reads in each, the seller's own words kept as typed
    with translation.override("id"):
        expected = str(order.events.latest("pk").note)
    assert expected != str(order.events.latest("pk").note)
    assert expected in indonesian and "Blurry." in expected
    assert "Your payment of Rp 75.000 was rejected: Blurry." in english


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_old_notes_as_written_and_writes_them_back(open_campaign):
    order = make_order(open_campaign, note="Green")
    order.events.create(kind="note", note="Paid at the bazaar")
    executor = MigrationExecutor(connection)

    # back to text: every sentence written out
    executor.migrate([("orders", "0009_transfer_amounts")])
    executor.loader.build_graph()
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM orders_orderevent ORDER BY id")
        notes = [row[0] for row in cursor.fetchall()]
    assert "Paid at the bazaar" in notes

    # and forward again: the text kept verbatim
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert order.events.filter(kind="note").get().note == "Paid at the bazaar"
