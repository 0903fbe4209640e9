"""The seller sends a refund once: its reference and proof kept, the order paid nothing any more,
and the buyer told."""

from decimal import Decimal

import pytest
from django.core import mail

from orders.models import Order
from payments.exceptions import InvalidRefund, RefundAlreadySent
from payments.models import Payment, Refund
from payments.services.cancellations import cancel_order
from payments.services.ledger import amount_paid, refundable
from payments.services.payments import verify_payment
from payments.services.refunds import give_refund_details, mark_refund_sent
from tests.payments.conftest import send, stored_files
from tests.payments.pictures import jpeg_with_gps, proof_jpeg, upload
from tests.payments.refunds.checks import refund_notes, snapshot
from tests.support import race

S = Order.Status


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


# --- at the same moment, on PostgreSQL ------------------------------------------------------------


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
