"""Cancelling an order gives back its units and puts what it paid on the refunds list; the buyer
says where the money goes; the seller sends it once (DESIGN.md, Money and Order life)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import (
    BalanceRefused,
    CancelRefused,
    InvalidReason,
    InvalidRefund,
    RefundAlreadySent,
    RefundRefused,
    RefundTooLarge,
)
from payments.models import Payment, Refund
from payments.services.balances import cancel_unpaid_balance, extend_balance
from payments.services.cancellations import cancel_order
from payments.services.ledger import amount_paid, refundable
from payments.services.payments import verify_payment
from payments.services.refunds import give_refund_details, mark_refund_sent, refund_order
from tests.payments.conftest import send, stored_files
from tests.payments.pictures import jpeg_with_gps, proof_jpeg, upload
from tests.support import race

S = Order.Status


def counters(order: Order) -> tuple[int, int]:
    campaign = Campaign.objects.get(pk=order.campaign_id)
    return campaign.reserved, sum(v.reserved for v in campaign.variants.all())


def snapshot(order: Order):
    """Everything a refused request must leave as it was."""
    order.refresh_from_db()
    return (
        order.status,
        order.balance_due_at,
        counters(order),
        order.events.count(),
        list(
            order.refunds.values_list(
                "status", "amount", "reference", "account_number", "sent_at", "proof"
            )
        ),
    )


def refund_notes(order: Order) -> list[str]:
    return list(order.events.filter(kind=OrderEvent.Kind.REFUND).values_list("note", flat=True))


@pytest.fixture
def confirmed_order(pending_order, owner) -> Order:
    """One Green tote, its Rp 75.000 down payment received: confirmed."""
    verify_payment(
        payment=send(pending_order, "75000"), amount_received=Decimal(75000), actor=owner
    )
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    return pending_order


@pytest.fixture
def refund_to_send(confirmed_order, owner) -> Refund:
    """The confirmed order cancelled: Rp 75.000 to send back, no bank details yet."""
    return cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed").refund


@pytest.fixture
def overdue_order(confirmed_order, owner) -> Order:
    """Deposit of Rp 75.000 in, balance of Rp 75.000 due yesterday and not paid."""
    move_order(order=confirmed_order, to=S.IN_PRODUCTION, actor=owner)
    move_order(order=confirmed_order, to=S.AWAITING_BALANCE, actor=owner)
    Order.objects.filter(pk=confirmed_order.pk).update(
        balance_due_at=timezone.now() - timedelta(days=1)
    )
    confirmed_order.refresh_from_db()
    return confirmed_order


# --- cancel_order -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_a_confirmed_order_refunds_its_deposit_and_gives_the_units_back(
    confirmed_order, owner
):
    # given the order holds one unit and paid Rp 75.000
    assert counters(confirmed_order) == (1, 1)

    # when the seller cancels it
    cancellation = cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed")

    # then it is cancelled through the one door, units back on sale
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == S.CANCELLED
    assert counters(confirmed_order) == (0, 0)
    status = confirmed_order.events.filter(kind=OrderEvent.Kind.STATUS).latest("id")
    assert (status.from_status, status.to_status, status.actor, status.note) == (
        S.CONFIRMED,
        S.CANCELLED,
        owner,
        "Vendor closed",
    )
    # and what it paid waits on the refunds list, said on the timeline
    refund = cancellation.refund
    assert (refund.amount, refund.status, refund.reason) == (
        Decimal(75000),
        Refund.Status.PENDING,
        "Vendor closed",
    )
    assert (refund.bank, refund.account_number, refund.reference) == ("", "", "")
    assert refund_notes(confirmed_order) == ["Refund of Rp 75.000 to send back to the buyer."]
    # and it is still paid until it is sent, with nothing more to refund
    assert amount_paid(confirmed_order) == Decimal(75000)
    assert refundable(confirmed_order) == 0


@pytest.mark.django_db
def test_cancelling_an_order_that_paid_nothing_makes_no_refund(pending_order, owner):
    cancellation = cancel_order(order=pending_order, actor=owner, reason="Duplicate order")
    assert cancellation.refund is None
    assert pending_order.status == S.CANCELLED
    assert not pending_order.refunds.exists()
    assert refund_notes(pending_order) == []


@pytest.mark.django_db
def test_a_part_paid_deposit_is_refunded_at_what_arrived(pending_order, owner):
    # given Rp 40.000 reported, Rp 39.000 arrived
    verify_payment(
        payment=send(pending_order, "40000"), amount_received=Decimal(39000), actor=owner
    )
    # when
    refund = cancel_order(order=pending_order, actor=owner, reason="Buyer asked").refund
    # then
    assert refund.amount == Decimal(39000)


@pytest.mark.django_db
def test_cancelling_without_refund_keeps_the_money_on_the_order(confirmed_order, owner):
    cancellation = cancel_order(
        order=confirmed_order, actor=owner, reason="Kept as agreed", refund=False
    )
    assert cancellation.refund is None
    assert confirmed_order.status == S.CANCELLED
    assert refundable(confirmed_order) == Decimal(75000)


@pytest.mark.django_db
def test_the_buyer_is_emailed_the_cancellation_and_the_refund_to_come(
    confirmed_order, owner, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed")
    # then one email, in text and HTML, with the reason, the amount and the private link
    cancelled = [m for m in mail.outbox if "cancelled" in m.subject]
    assert len(cancelled) == 1
    email = cancelled[0]
    assert email.to == [confirmed_order.buyer_email]
    assert confirmed_order.code in email.subject and "Rp 75.000" in email.subject
    assert "Vendor closed" in email.body
    assert "Rp 75.000, will be refunded" in email.body
    assert f"/o/{confirmed_order.token}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "Vendor closed" in html


@pytest.mark.django_db
def test_the_cancellation_email_speaks_the_buyers_language(
    confirmed_order, owner, django_capture_on_commit_callbacks
):
    # given a buyer who ordered in Indonesian
    Order.objects.filter(pk=confirmed_order.pk).update(language="id")
    confirmed_order.refresh_from_db()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(order=confirmed_order, actor=owner, reason="Vendor tutup")
    # then it is rendered with the buyer's language active (the money is still in rupiah)
    email = next(m for m in mail.outbox if confirmed_order.code in m.subject)
    assert "Rp 75.000" in email.body and "Vendor tutup" in email.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [(S.CANCELLED,), (S.EXPIRED,), (S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED)],
    ids=["cancelled", "expired", "shipped"],
)
def test_an_order_past_cancelling_is_refused_and_nothing_changes(
    pending_order, owner, path, django_capture_on_commit_callbacks
):
    for step in path:
        move_order(order=pending_order, to=step)
    before = snapshot(pending_order)
    # when
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CancelRefused) as refused:
        cancel_order(order=pending_order, actor=owner, reason="Too late")
    # then
    assert "can no longer be cancelled. Nothing changed." in str(refused.value.message)
    assert snapshot(pending_order) == before
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_cancellation_needs_a_reason_the_buyer_can_read(confirmed_order, owner, reason):
    before = snapshot(confirmed_order)
    with pytest.raises(InvalidReason):
        cancel_order(order=confirmed_order, actor=owner, reason=reason)
    assert snapshot(confirmed_order) == before


@pytest.mark.django_db
def test_a_payment_verified_after_cancelling_goes_straight_back(pending_order, owner):
    # given a proof waiting for review when the seller cancels
    payment = send(pending_order, "75000")
    cancel_order(order=pending_order, actor=owner, reason="Buyer asked")
    assert not pending_order.refunds.exists()

    # when the seller finds the money in the bank and verifies it
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then the order stays cancelled and the money waits on the refunds list
    pending_order.refresh_from_db()
    assert pending_order.status == S.CANCELLED
    refund = pending_order.refunds.get()
    assert (refund.amount, refund.status) == (Decimal(75000), Refund.Status.PENDING)
    assert refund.reason == "Payment received after the order was cancelled."
    assert refundable(pending_order) == 0


# --- refund_order: money a stopped order still holds ----------------------------------------------


@pytest.mark.django_db
def test_money_an_expired_order_holds_can_be_refunded_up_to_what_it_paid(pending_order, owner):
    # given Rp 30.000 of the deposit arrived, then the order expired
    verify_payment(
        payment=send(pending_order, "30000"), amount_received=Decimal(30000), actor=owner
    )
    move_order(order=pending_order, to=S.EXPIRED)

    # when the seller refunds part, then asks for more than is left
    first = refund_order(order=pending_order, actor=owner, reason="Expired", amount=Decimal(20000))
    before = snapshot(pending_order)
    with pytest.raises(RefundTooLarge) as too_large:
        refund_order(order=pending_order, actor=owner, reason="Again", amount=Decimal(10001))

    # then the second is refused, saying what is left, and nothing changed
    assert "Rp 10.000 left to refund" in str(too_large.value.message)
    assert snapshot(pending_order) == before
    # and the rest, asked without an amount, is exactly what is left
    rest = refund_order(order=pending_order, actor=owner, reason="The rest")
    assert (first.amount, rest.amount) == (Decimal(20000), Decimal(10000))
    with pytest.raises(RefundRefused, match="holds no money to refund"):
        refund_order(order=pending_order, actor=owner, reason="Once more")


@pytest.mark.django_db
def test_an_active_order_is_cancelled_not_refunded(confirmed_order, owner):
    before = snapshot(confirmed_order)
    with pytest.raises(RefundRefused, match="cancel it to refund it"):
        refund_order(order=confirmed_order, actor=owner, reason="Goodwill")
    assert snapshot(confirmed_order) == before


# --- the buyer's bank details ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_gives_the_account_for_the_refund_and_may_correct_it(refund_to_send):
    # when the buyer gives their account
    give_refund_details(
        refund=refund_to_send, bank=" BCA ", account_number="123 456 7890", holder="Sari  W"
    )
    # then it is kept, tidied, and the timeline says so
    refund_to_send.refresh_from_db()
    assert (refund_to_send.bank, refund_to_send.account_number, refund_to_send.account_holder) == (
        "BCA",
        "123 456 7890",
        "Sari W",
    )
    order = refund_to_send.order
    assert refund_notes(order)[-1] == "The buyer gave the bank details for the refund of Rp 75.000."
    # when they correct it before it is sent
    give_refund_details(
        refund=refund_to_send, bank="GoPay", account_number="+62 812-3456-7890", holder="Sari"
    )
    refund_to_send.refresh_from_db()
    assert refund_to_send.account_number == "+62 812-3456-7890"
    assert "changed the bank details" in refund_notes(order)[-1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bank", "number", "holder", "field"),
    [
        ("", "1234567890", "Sari", "bank"),
        ("BCA", "", "Sari", "account_number"),
        ("BCA", "12-34", "Sari", "account_number"),
        ("BCA", "rekening saya", "Sari", "account_number"),
        ("BCA", "1" * 41, "Sari", "account_number"),
        ("BCA", "1234567890", "  ", "holder"),
    ],
    ids=["no bank", "no number", "too few digits", "words", "too long", "no holder"],
)
def test_bank_details_that_do_not_fit_are_refused_beside_their_field(
    refund_to_send, bank, number, holder, field
):
    before = snapshot(refund_to_send.order)
    with pytest.raises(InvalidRefund) as refused:
        give_refund_details(refund=refund_to_send, bank=bank, account_number=number, holder=holder)
    assert refused.value.field == field
    assert snapshot(refund_to_send.order) == before


@pytest.mark.django_db
def test_a_refund_already_sent_keeps_the_details_it_was_sent_to(refund_to_send, owner):
    give_refund_details(refund=refund_to_send, bank="BCA", account_number="12345", holder="Sari")
    mark_refund_sent(refund=refund_to_send, reference="TRX-1", actor=owner)
    before = snapshot(refund_to_send.order)
    with pytest.raises(RefundAlreadySent):
        give_refund_details(
            refund=refund_to_send, bank="BNI", account_number="99999", holder="Someone"
        )
    assert snapshot(refund_to_send.order) == before


# --- the seller sends it --------------------------------------------------------------------------


@pytest.mark.django_db
def test_marking_a_refund_sent_takes_it_off_paid_and_emails_the_buyer(
    refund_to_send, owner, private_files, django_capture_on_commit_callbacks
):
    give_refund_details(refund=refund_to_send, bank="BCA", account_number="1234567890", holder="S")
    # when the seller sends it, with the reference and a screenshot
    with django_capture_on_commit_callbacks(execute=True):
        refund = mark_refund_sent(
            refund=refund_to_send,
            reference="  TRX  2026-001 ",
            proof_upload=upload(jpeg_with_gps()),
            actor=owner,
        )
    # then it is sent, by whom and when, with its reference, the proof stored privately
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SENT
    assert (refund.reference, refund.sent_by) == ("TRX 2026-001", owner)
    assert refund.sent_at is not None
    assert refund.proof.name.startswith("refunds/") and refund.proof.name.endswith(".webp")
    assert len(stored_files(private_files / "refunds")) == 1
    # and the order has paid nothing any more
    order = refund.order
    assert amount_paid(order) == 0 and refundable(order) == 0
    assert refund_notes(order)[-1] == "Refund of Rp 75.000 sent, reference TRX 2026-001."
    # and the buyer is told, with the reference
    email = next(m for m in mail.outbox if "refund" in m.subject)
    assert email.to == [order.buyer_email]
    assert "Rp 75.000" in email.subject
    assert "TRX 2026-001" in email.body and "BCA 1234567890" in email.body
    assert "TRX 2026-001" in email.alternatives[0][0]


@pytest.mark.django_db
def test_a_refund_is_marked_sent_once(refund_to_send, owner, django_capture_on_commit_callbacks):
    mark_refund_sent(refund=refund_to_send, reference="TRX-1", actor=owner)
    before = snapshot(refund_to_send.order)
    # when a second click arrives, from a stale page
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RefundAlreadySent):
        mark_refund_sent(refund=refund_to_send, reference="TRX-2", actor=owner)
    # then nothing changed and nobody was emailed again
    assert snapshot(refund_to_send.order) == before
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reference", "proof", "field"),
    [("", None, "reference"), ("   ", None, "reference"), ("x" * 101, None, "reference")],
    ids=["empty", "blank", "too long"],
)
def test_a_refund_is_not_sent_without_a_reference(refund_to_send, owner, reference, proof, field):
    before = snapshot(refund_to_send.order)
    with pytest.raises(InvalidRefund) as refused:
        mark_refund_sent(refund=refund_to_send, reference=reference, actor=owner)
    assert refused.value.field == field
    assert snapshot(refund_to_send.order) == before


@pytest.mark.django_db
def test_a_proof_that_is_not_a_picture_is_refused_and_nothing_is_stored(
    refund_to_send, owner, private_files
):
    before = snapshot(refund_to_send.order)
    with pytest.raises(InvalidRefund) as refused:
        mark_refund_sent(
            refund=refund_to_send,
            reference="TRX",
            proof_upload=upload(b"%PDF-1.4 not a picture", "bukti.jpg"),
            actor=owner,
        )
    assert refused.value.field == "proof"
    assert snapshot(refund_to_send.order) == before
    assert stored_files(private_files / "refunds") == []


@pytest.mark.django_db
def test_a_refund_sent_twice_leaves_no_second_proof_behind(refund_to_send, owner, private_files):
    mark_refund_sent(refund=refund_to_send, reference="TRX", proof_upload=proof_jpeg(), actor=owner)
    with pytest.raises(RefundAlreadySent):
        mark_refund_sent(
            refund=refund_to_send, reference="TRX", proof_upload=proof_jpeg(), actor=owner
        )
    assert len(stored_files(private_files / "refunds")) == 1


@pytest.mark.django_db
def test_a_second_refund_of_the_order_reuses_the_account_the_buyer_gave(pending_order, owner):
    # given Rp 30.000 received, the order cancelled, and the buyer's account given
    verify_payment(
        payment=send(pending_order, "30000"), amount_received=Decimal(30000), actor=owner
    )
    first = cancel_order(order=pending_order, actor=owner, reason="Buyer asked").refund
    give_refund_details(refund=first, bank="BCA", account_number="1234567890", holder="Sari")
    # and a transfer that was still on its way (written directly: a cancelled order takes no
    # new proof)
    late = Payment.objects.create(
        order=pending_order,
        kind=Payment.Kind.DEPOSIT,
        amount=Decimal(45000),
        sender_name="Sari",
        sender_bank="BCA",
        proof="proofs/none.webp",
    )
    # when the seller verifies it
    verify_payment(payment=late, amount_received=Decimal(45000), actor=owner)
    # then its refund goes to the same account, without asking again
    second = pending_order.refunds.latest("id")
    assert second.pk != first.pk
    assert second.amount == Decimal(45000)
    assert (second.bank, second.account_number, second.account_holder) == (
        "BCA",
        "1234567890",
        "Sari",
    )


# --- overdue balances -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unpaid_balance_cancelled_keeps_the_deposit_when_the_terms_say_so(
    overdue_order, owner, django_capture_on_commit_callbacks
):
    # given the PO terms keep the deposit (the default)
    assert overdue_order.campaign.late_balance == Campaign.LateBalance.KEEP_DEPOSIT
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancellation = cancel_unpaid_balance(order=overdue_order, actor=owner)
    # then the order is cancelled, units back, no refund, and the timeline says why
    overdue_order.refresh_from_db()
    assert overdue_order.status == S.CANCELLED
    assert cancellation.refund is None
    assert counters(overdue_order) == (0, 0)
    note = overdue_order.events.filter(kind=OrderEvent.Kind.STATUS).latest("id").note
    assert note.startswith("The balance was not paid by ")
    assert note.endswith("The deposit of Rp 75.000 is kept, as the PO terms say.")
    # and the buyer is told the same
    email = next(m for m in mail.outbox if "cancelled" in m.subject)
    assert "The deposit of Rp 75.000 is kept" in email.body
    assert "will be refunded" not in email.body


@pytest.mark.django_db
def test_an_unpaid_balance_cancelled_refunds_the_deposit_when_the_terms_say_so(
    overdue_order, owner
):
    Campaign.objects.filter(pk=overdue_order.campaign_id).update(
        late_balance=Campaign.LateBalance.REFUND_DEPOSIT
    )
    cancellation = cancel_unpaid_balance(order=overdue_order, actor=owner)
    assert cancellation.refund.amount == Decimal(75000)
    assert "The deposit is refunded, as the PO terms say." in cancellation.refund.reason


@pytest.mark.django_db
def test_part_of_the_balance_paid_goes_back_even_when_the_deposit_is_kept(overdue_order, owner):
    # given Rp 30.000 of the balance arrived before the due date passed
    payment = send(overdue_order, "30000")
    verify_payment(payment=payment, amount_received=Decimal(30000), actor=owner)
    # when
    cancellation = cancel_unpaid_balance(order=overdue_order, actor=owner)
    # then the deposit is kept and the Rp 30.000 beyond it is refunded
    assert cancellation.refund.amount == Decimal(30000)
    assert refundable(overdue_order) == Decimal(75000)


@pytest.mark.django_db
def test_a_balance_not_yet_due_is_not_cancelled(overdue_order, owner):
    Order.objects.filter(pk=overdue_order.pk).update(
        balance_due_at=timezone.now() + timedelta(hours=1)
    )
    before = snapshot(overdue_order)
    with pytest.raises(BalanceRefused, match="not overdue yet"):
        cancel_unpaid_balance(order=overdue_order, actor=owner)
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_an_order_not_waiting_for_its_balance_is_not_cancelled_as_overdue(confirmed_order, owner):
    before = snapshot(confirmed_order)
    with pytest.raises(BalanceRefused, match="not waiting for its balance"):
        cancel_unpaid_balance(order=confirmed_order, actor=owner)
    assert snapshot(confirmed_order) == before


@pytest.mark.django_db
def test_a_balance_payment_waiting_for_review_stops_the_cancellation(overdue_order, owner):
    # given the buyer sent the balance at the last minute
    send(overdue_order, "75000")
    before = snapshot(overdue_order)
    # when
    with pytest.raises(BalanceRefused, match="waiting for your review"):
        cancel_unpaid_balance(order=overdue_order, actor=owner)
    # then
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_more_time_for_the_balance_moves_the_due_date_and_rearms_the_reminder(overdue_order, owner):
    Order.objects.filter(pk=overdue_order.pk).update(balance_reminded_at=timezone.now())
    due = timezone.now() + timedelta(days=3)
    # when
    extend_balance(order=overdue_order, due_at=due, actor=owner)
    # then
    overdue_order.refresh_from_db()
    assert overdue_order.balance_due_at == due
    assert overdue_order.balance_reminded_at is None
    assert overdue_order.status == S.AWAITING_BALANCE
    event = overdue_order.events.latest("id")
    assert (event.kind, event.actor) == (OrderEvent.Kind.NOTE, owner)
    assert event.note.startswith("Balance due date moved to ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delta", "message"),
    [
        (timedelta(minutes=-5), "in the future"),
        (timedelta(days=181), "within 180 days"),
    ],
    ids=["past", "too far"],
)
def test_a_due_date_that_does_not_fit_is_refused(overdue_order, owner, delta, message):
    before = snapshot(overdue_order)
    with pytest.raises(BalanceRefused, match=message):
        extend_balance(order=overdue_order, due_at=timezone.now() + delta, actor=owner)
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_an_extension_must_come_after_the_current_due_date(overdue_order, owner):
    later = timezone.now() + timedelta(days=5)
    extend_balance(order=overdue_order, due_at=later, actor=owner)
    before = snapshot(overdue_order)
    with pytest.raises(BalanceRefused, match="after the current due date"):
        extend_balance(order=overdue_order, due_at=later - timedelta(days=1), actor=owner)
    assert snapshot(overdue_order) == before


@pytest.mark.django_db
def test_only_an_order_waiting_for_its_balance_gets_more_time(confirmed_order, owner):
    before = snapshot(confirmed_order)
    with pytest.raises(BalanceRefused):
        extend_balance(
            order=confirmed_order, due_at=timezone.now() + timedelta(days=3), actor=owner
        )
    assert snapshot(confirmed_order) == before


# --- what the database refuses --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Decimal(0)},
        {"amount": Decimal(-1)},
        {"status": "sent", "sent_at": timezone.now()},
        {"status": "sent", "reference": "TRX"},
        {"bank": "BCA"},
        {"bank": "BCA", "account_number": "12345"},
    ],
    ids=[
        "zero",
        "negative",
        "sent without reference",
        "sent without date",
        "half details",
        "no holder",
    ],
)
def test_the_database_refuses_refunds_the_rules_forbid(pending_order, fields):
    fields = {"amount": Decimal(1000), "reason": "x"} | fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(order=pending_order, **fields)


@pytest.mark.django_db
def test_an_order_with_refunds_cannot_be_deleted(refund_to_send):
    with pytest.raises(ProtectedError):
        refund_to_send.order.delete()


# --- at the same moment, on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_refunds_asked_for_at_the_same_moment_never_add_up_to_more_than_was_paid(
    pending_order, owner
):
    # given Rp 70.000 of the deposit received, then the order expired (a stopped order may be
    # refunded)
    verify_payment(
        payment=send(pending_order, "75000"), amount_received=Decimal(70000), actor=owner
    )
    move_order(order=pending_order, to=S.EXPIRED)

    # when ten members each refund Rp 20.000 at the same moment, each from their own request
    def refund(i):
        stale = Order.objects.get(pk=pending_order.pk)
        return refund_order(order=stale, actor=owner, reason=f"Member {i}", amount=Decimal(20000))

    results = race(10, refund)

    # then three went through (Rp 60.000) and the rest were told there is not enough left
    made = [r for r in results if isinstance(r, Refund)]
    refused = [r for r in results if not isinstance(r, Refund)]
    assert len(made) == 3, results
    assert all(isinstance(r, RefundTooLarge) for r in refused), refused
    total = sum(pending_order.refunds.values_list("amount", flat=True))
    assert total == Decimal(60000) <= amount_paid(pending_order)
    assert refundable(pending_order) == Decimal(10000)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_taps_on_cancel_make_one_cancellation_and_one_refund(confirmed_order, owner):
    def cancel(i):
        stale = Order.objects.get(pk=confirmed_order.pk)
        return cancel_order(order=stale, actor=owner, reason="Double tap")

    results = race(10, cancel)

    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, CancelRefused) for r in results if isinstance(r, Exception))
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == S.CANCELLED
    assert counters(confirmed_order) == (0, 0)
    assert list(confirmed_order.refunds.values_list("amount", flat=True)) == [Decimal(75000)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_payment_verified_while_the_order_is_cancelled_is_refunded_either_way(
    pending_order, owner
):
    # given a proof waiting while the seller cancels and another member verifies, at once
    payment = send(pending_order, "75000")

    def act(i):
        if i == 0:
            return cancel_order(
                order=Order.objects.get(pk=pending_order.pk), actor=owner, reason="Buyer asked"
            )
        return verify_payment(
            payment=Payment.objects.get(pk=payment.pk), amount_received=Decimal(75000), actor=owner
        )

    results = race(2, act)

    # then whichever came first, the order is cancelled and the money waits to go back, once
    assert not any(isinstance(r, Exception) for r in results), results
    pending_order.refresh_from_db()
    assert pending_order.status == S.CANCELLED
    assert list(pending_order.refunds.values_list("amount", flat=True)) == [Decimal(75000)]
    assert refundable(pending_order) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_clicks_on_mark_sent_send_it_once(refund_to_send, owner):
    def sent(i):
        stale = Refund.objects.get(pk=refund_to_send.pk)
        return mark_refund_sent(refund=stale, reference=f"TRX-{i}", actor=owner)

    results = race(10, sent)

    assert sum(isinstance(r, Refund) for r in results) == 1, results
    assert sum(isinstance(r, RefundAlreadySent) for r in results) == 9
    refund_to_send.refresh_from_db()
    assert refund_to_send.status == Refund.Status.SENT
    assert amount_paid(refund_to_send.order) == 0
    assert len([n for n in refund_notes(refund_to_send.order) if " sent, " in n]) == 1
