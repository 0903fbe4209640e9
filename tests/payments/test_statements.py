"""Importing a bank statement: each credit line previewed as matched, ambiguous, unmatched or
already imported; confirmed matches credited as verified payments with the line as evidence,
never twice; the rest left for the seller to match by hand or dismiss."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from orders.models import Order, OrderEvent
from payments.exceptions import (
    InvalidAmount,
    LineAlreadyHandled,
    NothingToPay,
    StatementRefused,
    StatementUnreadable,
)
from payments.models import Payment, StatementImport, StatementLine
from payments.services.cancellations import cancel_order
from payments.services.crediting import credit_statement_line
from payments.services.matching import AMBIGUOUS, IMPORTED, MATCHED, UNMATCHED
from payments.services.payments import verify_payment
from payments.services.statements import (
    confirm_statement,
    dismiss_line,
    preview_statement,
    upload_statement,
)
from tests.factories import make_campaign, make_order
from tests.payments.conftest import send
from tests.payments.statement_files import klikbca, upload

S = Order.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def tote(coded_shop):
    """Rp 150.000 totes, Rp 75.000 down payment, in a shop that adds unique codes."""
    return make_campaign(coded_shop, title="Tote", slug="tote", capacity=None, min_quantity=50)


def placed_days_ago(order: Order, days: int = 3) -> Order:
    """The order (and the amount it waits for) dates from `days` ago."""
    when = timezone.now() - timedelta(days=days)
    Order.objects.filter(pk=order.pk).update(created_at=when)
    order.transfer_amounts.update(claimed_at=when)
    order.refresh_from_db()
    return order


def to_send(order: Order) -> Decimal:
    return order.transfer_amounts.get(released_at__isnull=True).amount


def today() -> date:
    return timezone.localdate()


def imported(shop, text: str, *, actor=None):
    """Upload, preview and confirm `text` in one go; returns (preview, confirmation)."""
    statement = upload_statement(shop=shop, layout="bca", upload=upload(text), actor=actor)
    preview = preview_statement(statement=statement)
    return preview, confirm_statement(statement=statement, digest=preview.digest, actor=actor)


def test_the_preview_sorts_each_line_and_credits_nothing(tote, owner):
    # given Ayu, who sent her exact amount, and Budi, who sent the deposit without the code but
    # wrote his order code in the transfer note
    ayu, budi = (placed_days_ago(make_order(tote)) for _ in range(2))
    text = klikbca(
        [
            (today(), to_send(ayu), "TRSF E-BANKING CR 0305/FTSCY/WS95031 AYU LESTARI"),
            (today(), 75000, f"TRSF E-BANKING CR DP {budi.code} BUDI SANTOSO"),
            (today(), 200000, "SETORAN TUNAI"),
        ],
        debit=True,
    )

    # when the seller uploads the statement
    statement = upload_statement(shop=tote.shop, layout="bca", upload=upload(text), actor=owner)
    preview = preview_statement(statement=statement)

    # then Ayu's line is matched by its amount, Budi's by his code, the cash deposit by nothing
    assert [(row.category, row.order) for row in preview.rows] == [
        (MATCHED, ayu),
        (MATCHED, budi),
        (UNMATCHED, None),
    ]
    assert [row.by_code for row in preview.of(MATCHED)] == [False, True]
    assert preview.debits == 1
    # and nothing has been credited or stored yet
    assert not Payment.objects.exists()
    assert not StatementLine.objects.exists()
    assert statement.status == StatementImport.Status.DRAFT


def test_confirming_credits_every_match_through_the_one_door(
    tote, owner, django_capture_on_commit_callbacks
):
    # given two buyers whose transfers are in the statement, and a line for no order
    ayu, budi = (placed_days_ago(make_order(tote)) for _ in range(2))
    text = klikbca(
        [
            (today(), to_send(ayu), "TRSF E-BANKING CR AYU LESTARI"),
            (today(), to_send(budi), "TRSF E-BANKING CR BUDI SANTOSO"),
            (today(), 200000, "SETORAN TUNAI"),
        ]
    )

    # when the seller confirms the preview
    with django_capture_on_commit_callbacks(execute=True):
        _preview, done = imported(tote.shop, text, actor=owner)

    # then both orders are confirmed, each by a verified payment naming its line
    assert (done.credited, done.left_open, done.already) == (2, 1, 0)
    for order in (ayu, budi):
        order.refresh_from_db()
        assert order.status == S.CONFIRMED
        payment = order.payments.get()
        assert payment.source == Payment.Source.STATEMENT
        assert payment.status == Payment.Status.VERIFIED
        assert payment.amount_received == payment.statement_line.amount == to_send_of(payment)
        assert payment.statement_line.status == StatementLine.Status.CREDITED
        assert payment.reviewed_by == owner
        note = order.events.filter(kind=OrderEvent.Kind.PAYMENT).get().note
        assert "Found in the bank statement of" in note
    # and each buyer got the same e-mail a reviewed proof sends
    assert sorted(m.to[0] for m in mail.outbox if "received" in m.subject.lower()) == sorted(
        [ayu.buyer_email, budi.buyer_email]
    )
    # and the cash deposit waits for the seller
    assert StatementLine.objects.get(status=StatementLine.Status.OPEN).amount == 200000


def to_send_of(payment: Payment) -> Decimal:
    return payment.order.deposit_amount + payment.unique_code


def test_the_same_statement_twice_and_an_overlapping_one_credit_each_transfer_once(tote, owner):
    # given three orders, paid on three days
    ayu, budi, citra = (placed_days_ago(make_order(tote), 5) for _ in range(3))
    day1, day2, day3 = (today() - timedelta(days=n) for n in (2, 1, 0))
    first = klikbca([(day1, to_send(ayu), "AYU"), (day2, to_send(budi), "BUDI")])
    later = klikbca([(day2, to_send(budi), "BUDI"), (day3, to_send(citra), "CITRA")])

    # when the first statement is imported twice, then one that overlaps it
    _p, once = imported(tote.shop, first, actor=owner)
    preview, again = imported(tote.shop, first, actor=owner)
    overlap_preview, overlap = imported(tote.shop, later, actor=owner)

    # then the second import finds both lines already there, and credits nothing
    assert [row.category for row in preview.rows] == [IMPORTED, IMPORTED]
    assert (again.credited, again.left_open, again.already) == (0, 0, 2)
    # and the overlap credits only Citra's, the new line
    assert [row.category for row in overlap_preview.rows] == [IMPORTED, MATCHED]
    assert (once.credited, overlap.credited) == (2, 1)
    assert Payment.objects.count() == StatementLine.objects.count() == 3
    for order in (ayu, budi, citra):
        assert order.payments.get().status == Payment.Status.VERIFIED


def test_two_equal_transfers_on_one_day_are_two_lines_not_one(tote, owner):
    # given a buyer who sent her deposit twice by mistake, the same amount the same day
    ayu = placed_days_ago(make_order(tote))
    line = (today(), to_send(ayu), "TRSF E-BANKING CR AYU LESTARI")

    # when the statement is imported
    preview, done = imported(tote.shop, klikbca([line, line]), actor=owner)

    # then the first pays her deposit; the second is kept, for the seller to refund or match
    assert [row.category for row in preview.rows] == [MATCHED, AMBIGUOUS]
    assert (done.credited, done.left_open) == (1, 1)
    ayu.refresh_from_db()
    assert ayu.status == S.CONFIRMED
    assert ayu.payments.get().amount_received == line[1]


def test_a_proof_waiting_for_review_is_verified_by_the_line_not_counted_again(tote, owner):
    # given Ayu sent a proof, still waiting, and her transfer is in the statement
    ayu = placed_days_ago(make_order(tote))
    proof = send(ayu, str(to_send(ayu)))

    # when the statement is imported
    _preview, done = imported(tote.shop, klikbca([(today(), to_send(ayu), "AYU")]), actor=owner)

    # then her proof is the payment verified, with the line as its evidence: one payment
    assert done.credited == 1
    proof.refresh_from_db()
    assert proof.status == Payment.Status.VERIFIED
    assert proof.source == Payment.Source.PROOF
    assert proof.statement_line.amount == proof.amount_received
    assert ayu.payments.count() == 1


def test_a_transfer_older_than_the_order_is_not_taken_for_it(tote, owner):
    # given an order placed today, expecting an amount a line of last week also shows
    order = make_order(tote)
    text = klikbca([(today() - timedelta(days=7), to_send(order), "SOMEONE ELSE")])

    # when the statement is previewed
    statement = upload_statement(shop=tote.shop, layout="bca", upload=upload(text), actor=owner)
    (row,) = preview_statement(statement=statement).rows

    # then the line pays no order
    assert (row.category, row.order) == (UNMATCHED, None)


def test_an_amount_of_an_order_no_longer_waiting_is_not_credited_and_says_whose_it_was(tote, owner):
    # given Ayu's deposit, already verified from her proof, which freed her amount
    ayu = placed_days_ago(make_order(tote))
    amount = to_send(ayu)
    verify_payment(payment=send(ayu, str(amount)), amount_received=amount, actor=owner)

    # when her transfer shows up in the statement
    text = klikbca([(today(), amount, "AYU")])
    statement = upload_statement(shop=tote.shop, layout="bca", upload=upload(text), actor=owner)
    (row,) = preview_statement(statement=statement).rows

    # then it is not credited again; the seller is told it was her order's amount
    assert row.category == UNMATCHED
    assert row.stale == ayu


@pytest.mark.parametrize(("released_days_ago", "whose"), [(3, True), (5, False)])
def test_an_amount_released_within_the_booking_grace_still_says_whose_it_was(
    tote, owner, released_days_ago, whose
):
    # given Ayu's order, whose amount was released some days ago (paid, expired or cancelled)
    ayu = placed_days_ago(make_order(tote), days=10)
    amount = to_send(ayu)
    ayu.transfer_amounts.update(released_at=timezone.now() - timedelta(days=released_days_ago))

    # when that amount shows up in today's statement
    text = klikbca([(today(), amount, "AYU")])
    statement = upload_statement(shop=tote.shop, layout="bca", upload=upload(text), actor=owner)
    (row,) = preview_statement(statement=statement).rows

    # then it is never credited; within the three days' grace the seller is told it was hers
    assert row.category == UNMATCHED
    assert row.stale == (ayu if whose else None)


def test_without_unique_codes_equal_amounts_are_ambiguous_and_the_order_code_decides(shop, owner):
    # given a shop that adds no codes: two orders expect the same Rp 75.000
    campaign = make_campaign(shop, capacity=None)
    ayu, budi = (placed_days_ago(make_order(campaign)) for _ in range(2))
    text = klikbca(
        [
            (today(), 75000, "TRSF E-BANKING CR AYU LESTARI"),
            (today(), 75000, f"TRSF E-BANKING CR {budi.code} BUDI"),
        ]
    )

    # when the statement is previewed
    statement = upload_statement(shop=shop, layout="bca", upload=upload(text), actor=owner)
    first, second = preview_statement(statement=statement).rows

    # then the line naming nobody could be either; the one with Budi's code is Budi's
    assert first.category == AMBIGUOUS
    assert set(first.candidates) == {ayu, budi}
    assert (second.category, second.order) == (MATCHED, budi)


def test_confirming_a_preview_whose_matches_changed_changes_nothing(tote, owner):
    # given a previewed statement paying Ayu's deposit
    ayu = placed_days_ago(make_order(tote))
    text = klikbca([(today(), to_send(ayu), "AYU")])
    statement = upload_statement(shop=tote.shop, layout="bca", upload=upload(text), actor=owner)
    digest = preview_statement(statement=statement).digest

    # when her order is cancelled before the seller confirms
    cancel_order(order=ayu, actor=owner, reason="Buyer asked")
    with pytest.raises(StatementRefused, match="matches changed"):
        confirm_statement(statement=statement, digest=digest, actor=owner)

    # then nothing was stored, and the draft can be looked at again
    assert not StatementLine.objects.exists()
    statement.refresh_from_db()
    assert statement.status == StatementImport.Status.DRAFT


def test_a_statement_is_confirmed_once(tote, owner):
    ayu = placed_days_ago(make_order(tote))
    text = klikbca([(today(), to_send(ayu), "AYU")])
    statement = upload_statement(shop=tote.shop, layout="bca", upload=upload(text), actor=owner)
    digest = preview_statement(statement=statement).digest
    confirm_statement(statement=statement, digest=digest, actor=owner)
    with pytest.raises(StatementRefused, match="already been imported"):
        confirm_statement(statement=statement, digest=digest, actor=owner)
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04rest of a zip", "spreadsheet"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"\x00\x01\x02binary", "not a text"),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        (b"Tanggal,Keterangan\n", "does not look like a BCA statement"),
        (b"\xff\xfe\x81\x8d", "could not be read"),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused_and_nothing_is_kept(shop, owner, data, says):
    with pytest.raises(StatementUnreadable) as refusal:
        upload_statement(shop=shop, layout="bca", upload=upload(data), actor=owner)
    assert says in str(refusal.value.message)
    assert not StatementImport.objects.exists()


def test_a_statement_in_windows_1252_reads_like_utf_8(tote, owner):
    text = klikbca([(today(), 200000, "SETORAN TUNAI – KASIR")])
    statement = upload_statement(
        shop=tote.shop, layout="bca", upload=upload(text.encode("cp1252")), actor=owner
    )
    (row,) = preview_statement(statement=statement).rows
    assert row.entry.description == "SETORAN TUNAI – KASIR"


# --- the lines left over -----------------------------------------------------------------------


@pytest.fixture
def open_line(tote, owner):
    """A line of Rp 75.000 from the statement that matched nothing: left to match by hand."""
    imported(tote.shop, klikbca([(today(), 75000, "TRSF E-BANKING CR SARI")]), actor=owner)
    return StatementLine.objects.get()


def test_the_seller_matches_a_line_by_hand_and_it_is_credited_once(tote, owner, open_line):
    # given Sari's order, which waits for its deposit
    sari = placed_days_ago(make_order(tote))

    # when the seller credits the line to it (twice: a double tap)
    credit_statement_line(line=open_line, order=sari, actor=owner)
    with pytest.raises(LineAlreadyHandled):
        credit_statement_line(line=open_line, order=sari, actor=owner)

    # then the order is confirmed by one payment naming the line
    sari.refresh_from_db()
    assert sari.status == S.CONFIRMED
    assert sari.payments.get().statement_line == open_line
    open_line.refresh_from_db()
    assert (open_line.status, open_line.handled_by) == (StatementLine.Status.CREDITED, owner)


def test_a_line_is_never_credited_beyond_what_the_order_owes_nor_to_an_order_not_waiting(
    tote, owner, open_line
):
    # given an order that owes only Rp 50.000 more of its Rp 150.000 (code included)
    small = make_campaign(tote.shop, capacity=None, variants=[{"name": "Pin", "price": "50000"}])
    pin = placed_days_ago(make_order(small))
    with pytest.raises(InvalidAmount, match="more than order"):
        credit_statement_line(line=open_line, order=pin, actor=owner)
    # and an order that no longer waits for money
    cancelled = make_order(tote)
    cancel_order(order=cancelled, actor=owner, reason="Changed plans")
    with pytest.raises(NothingToPay):
        credit_statement_line(line=open_line, order=cancelled, actor=owner)
    # then the line is still open, and nothing was credited
    open_line.refresh_from_db()
    assert open_line.status == StatementLine.Status.OPEN
    assert not Payment.objects.exists()


def test_a_line_for_no_order_is_dismissed_with_a_reason(open_line, owner):
    with pytest.raises(StatementRefused, match="Say why"):
        dismiss_line(line=open_line, reason="  ", actor=owner)
    dismissed = dismiss_line(line=open_line, reason="Refund from the vendor", actor=owner)
    assert (dismissed.status, dismissed.note) == ("dismissed", "Refund from the vendor")
    with pytest.raises(StatementRefused, match="already been credited or dismissed"):
        dismiss_line(line=open_line, reason="again", actor=owner)
