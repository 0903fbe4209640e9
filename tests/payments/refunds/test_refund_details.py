"""The buyer says where the refund goes: bank details kept tidy, refused beside their field, and
fixed once the refund is sent."""

import pytest

from payments.exceptions import InvalidRefund, RefundAlreadySent
from payments.services.refunds import give_refund_details, mark_refund_sent
from tests.payments.refunds.checks import refund_notes, snapshot


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
