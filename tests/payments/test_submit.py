"""A buyer sends a proof of transfer from the order page (payments issue, items 1–3)."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import (
    InvalidAmount,
    InvalidProof,
    InvalidSender,
    NothingToPay,
    PaymentWaiting,
)
from payments.forms.public import parse_amount
from payments.models import Payment
from payments.services.payments import reject_payment, submit_payment, verify_payment
from tests.factories import make_order
from tests.payments import pictures
from tests.payments.conftest import NOTE, awaiting_balance, send, stored_files
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


def pay_url(order: Order) -> str:
    return f"/o/{order.token}/pay/"


def form_data(amount="75000", **fields) -> dict:
    data = {"amount": amount, "sender_name": "Sari Wulandari", "sender_bank": "BCA"}
    data.setdefault("proof", pictures.proof_jpeg())
    data.update(fields)
    return data


def nothing_stored(order: Order, private_root) -> bool:
    return (
        not Payment.objects.filter(order=order).exists()
        and not order.events.filter(kind=OrderEvent.Kind.PAYMENT).exists()
        and stored_files(private_root) == []
    )


# --- the service --------------------------------------------------------------------------------


def test_buyer_sends_a_deposit_proof_and_it_waits_for_review(coded_order, private_files):
    # given an order owing Rp 75.000 with the unique code 123
    # when the buyer reports Rp 75.123 sent from BCA
    payment = send(coded_order, "75123", sender_name="  Sari W.  ", sender_bank=" BCA ")

    # then a deposit payment waits for review, with the order's code copied onto it
    payment.refresh_from_db()
    assert payment.kind == Payment.Kind.DEPOSIT
    assert payment.status == Payment.Status.SUBMITTED
    assert payment.amount == Decimal(75123)
    assert payment.unique_code == 123
    assert (payment.sender_name, payment.sender_bank) == ("Sari W.", "BCA")
    assert payment.amount_received is None
    # and the order has not moved
    coded_order.refresh_from_db()
    assert coded_order.status == S.PENDING
    # and the timeline says so
    event = coded_order.events.get(kind=OrderEvent.Kind.PAYMENT)
    assert event.note == "Payment of Rp 75.123 sent for the down payment; waiting for review."
    assert event.actor is None


def test_the_balance_is_what_an_order_awaiting_its_balance_pays(pending_order, owner):
    # given an order whose deposit was verified and whose production is done
    order = awaiting_balance(pending_order, owner)

    # when the buyer sends the rest
    payment = send(order, "75000")

    # then it is a balance payment
    assert payment.kind == Payment.Kind.BALANCE
    assert "for the balance" in order.events.filter(kind="payment").last().note


@pytest.mark.parametrize(
    "status", [S.CONFIRMED, S.IN_PRODUCTION, S.PAID, S.SHIPPED, S.EXPIRED, S.CANCELLED]
)
def test_an_order_not_waiting_for_money_takes_no_payment(pending_order, private_files, status):
    # given an order in a state that owes nothing right now
    # (a shipped order has its shipping time: the database insists)
    shipped_at = timezone.now() if status == S.SHIPPED else None
    Order.objects.filter(pk=pending_order.pk).update(status=status, shipped_at=shipped_at)
    pending_order.refresh_from_db()

    # when the buyer sends a proof anyway
    with pytest.raises(NothingToPay):
        send(pending_order, "75000")

    # then nothing is stored
    assert nothing_stored(pending_order, private_files)


def test_a_second_payment_waits_until_the_first_is_reviewed(pending_order, private_files):
    # given a payment waiting for review
    send(pending_order, "75000")
    files = stored_files(private_files)

    # when the buyer sends another one
    with pytest.raises(PaymentWaiting):
        send(pending_order, "75000")

    # then only the first is kept, and no new file is left behind
    assert pending_order.payments.count() == 1
    assert stored_files(private_files) == files


def test_after_a_rejection_the_buyer_can_send_again(pending_order, owner):
    # given a rejected payment
    first = send(pending_order, "75000")
    reject_payment(payment=first, reason="Nothing arrived in BCA", actor=owner)

    # when the buyer sends a new proof
    second = send(pending_order, "75000")

    # then it waits for review
    assert second.status == Payment.Status.SUBMITTED
    assert pending_order.payments.count() == 2


def test_after_a_short_deposit_the_buyer_sends_the_rest(pending_order, owner):
    # given Rp 50.000 of the Rp 75.000 deposit received
    first = send(pending_order, "50000")
    verify_payment(payment=first, amount_received=Decimal(50000), actor=owner)

    # when the buyer sends the Rp 25.000 still missing
    second = send(pending_order, "25000")

    # then it is another deposit payment
    assert second.kind == Payment.Kind.DEPOSIT


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (Decimal(0), "more than zero"),
        (Decimal(-75000), "more than zero"),
        (Decimal("75000.5"), "without extra decimals"),
        (Decimal("NaN"), "in numbers"),
        (Decimal("Infinity"), "in numbers"),
        ("75000", "in numbers"),  # not a Decimal: a caller's mistake, refused all the same
        (Decimal("1e15"), "too large"),
        (Decimal(150001), "more than the whole order still owes (Rp 150.000)"),
    ],
)
def test_amounts_that_cannot_be_right_are_refused(pending_order, private_files, amount, reason):
    # when
    with pytest.raises(InvalidAmount) as refusal:
        submit_payment(
            order=pending_order,
            amount=amount,
            sender_name="Sari",
            sender_bank="BCA",
            proof_upload=pictures.proof_jpeg(),
        )

    # then
    assert reason in str(refusal.value)
    assert nothing_stored(pending_order, private_files)


def test_paying_the_whole_order_at_once_is_allowed(coded_order):
    # when the buyer pays the subtotal and the unique code with the deposit
    payment = send(coded_order, "150123")

    # then
    assert payment.amount == Decimal(150123)


@pytest.mark.parametrize(("name", "bank"), [("", "BCA"), ("Sari", "   "), ("x" * 101, "BCA")])
def test_the_sender_must_be_named(pending_order, private_files, name, bank):
    with pytest.raises(InvalidSender):
        send(pending_order, "75000", sender_name=name, sender_bank=bank)
    assert nothing_stored(pending_order, private_files)


# --- the proof picture -----------------------------------------------------------------------


def stored_picture(payment: Payment) -> tuple[bytes, Image.Image]:
    with payment.proof.open("rb") as file:
        data = file.read()
    return data, Image.open(BytesIO(data))


def test_a_phone_photo_is_stored_without_its_exif_and_gps(pending_order, private_files):
    # given a JPEG straight from a phone, with the camera and the GPS position in its EXIF
    original = pictures.jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)

    # when it is sent as a proof
    payment = send(pending_order, "75000", proof_upload=pictures.upload(original, "IMG_2024.jpg"))

    # then the stored copy is a re-encoded WebP with no EXIF at all
    data, image = stored_picture(payment)
    assert image.format == "WEBP"
    assert image.size == (120, 90)
    assert not image.getexif()
    assert b"Exif" not in data
    assert pictures.CAMERA.encode() not in data
    # under a random name, in the private folder only
    assert re.fullmatch(r"proofs/\d{4}/\d{2}/[0-9a-f]{32}\.webp", payment.proof.name)
    assert "IMG_2024" not in payment.proof.name
    assert (private_files / payment.proof.name).is_file()
    # with a thumbnail made once, here
    assert payment.proof_thumbnail.name != payment.proof.name
    assert (private_files / payment.proof_thumbnail.name).is_file()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(pictures.png(), "bukti.png", "image/png"), (pictures.webp(), "bukti.webp", "image/webp")],
)
def test_png_and_webp_screenshots_are_accepted(pending_order, content, name, content_type):
    payment = send(
        pending_order, "75000", proof_upload=pictures.upload(content, name, content_type)
    )
    assert stored_picture(payment)[1].format == "WEBP"


REFUSED_UPLOADS = {
    "text renamed .jpg": (pictures.TEXT, "proof.jpg", "image/jpeg", "not a picture we can read"),
    "PDF renamed .png": (pictures.PDF, "proof.png", "image/png", "not a picture we can read"),
    "truncated JPEG": (
        pictures.truncated_jpeg(),
        "proof.jpg",
        "image/jpeg",
        "not a picture we can read",
    ),
    "SVG": (pictures.SVG, "proof.svg", "image/svg+xml", "not a picture we can read"),
    "GIF": (pictures.gif(), "proof.gif", "image/gif", "JPEG, PNG or WebP"),
    "bomb of 20000 × 20000": (
        pictures.png_declaring(20000, 20000),
        "proof.png",
        "image/png",
        "not a picture we can read",
    ),
    "48 megapixels": (
        pictures.png_declaring(8000, 6000),
        "proof.png",
        "image/png",
        "more than 40 megapixels",
    ),
}


@pytest.mark.parametrize("case", REFUSED_UPLOADS)
def test_files_that_are_not_acceptable_pictures_are_refused(pending_order, private_files, case):
    content, name, content_type, reason = REFUSED_UPLOADS[case]

    with pytest.raises(InvalidProof) as refusal:
        send(pending_order, "75000", proof_upload=pictures.upload(content, name, content_type))

    assert reason in str(refusal.value)
    assert nothing_stored(pending_order, private_files)


def test_a_picture_over_the_size_limit_is_refused(pending_order, private_files, monkeypatch):
    # given a limit lowered to 100 bytes (the real one is 10 MB: no need to write that much)
    monkeypatch.setattr("kernel.images.MAX_BYTES", 100)
    big = pictures.png()
    assert len(big) > 100

    with pytest.raises(InvalidProof, match="larger than 10 MB"):
        send(pending_order, "75000", proof_upload=pictures.upload(big, "big.png", "image/png"))
    assert nothing_stored(pending_order, private_files)


def test_a_failure_after_the_files_are_written_leaves_no_file_behind(
    pending_order, private_files, monkeypatch
):
    # given the timeline cannot be written (the last step, after the files and the row)
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(OrderEvent.objects, "create", broken)

    # when
    with pytest.raises(RuntimeError):
        send(pending_order, "75000")

    # then the transaction is gone and so are the files
    assert not Payment.objects.exists()
    assert stored_files(private_files) == []


# --- the amount as typed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("75123", "IDR", Decimal(75123)),
        ("75.123", "IDR", Decimal(75123)),
        ("Rp 75.123", "IDR", Decimal(75123)),
        ("Rp75.123,00", "IDR", Decimal(75123)),
        ("1.500.000", "IDR", Decimal(1500000)),
        ("12.50", "USD", Decimal("12.50")),
        ("1,234.56", "USD", Decimal("1234.56")),
        ("1.234,56", "EUR", Decimal("1234.56")),
        ("seventy", "IDR", None),
        ("1e9", "IDR", None),
        ("", "IDR", None),
    ],
)
def test_amounts_are_read_the_way_buyers_type_them(typed, currency, amount):
    assert parse_amount(typed, currency) == amount


# --- the order page ----------------------------------------------------------------------------


def test_order_page_shows_the_exact_amount_with_the_unique_code(client, coded_order, bank_account):
    # when the buyer opens their order page
    response = client.get(coded_order.get_absolute_url())

    # then the amount to send is the deposit plus the code, ready to copy
    text = page_text(response)
    pay = text[text.index('id="pay"') : text.index("</section>", text.index('id="pay"'))]
    assert re.search(r'class="amount">Rp 75.123<', pay)
    assert 'data-copy="#amount-to-send"' in pay
    assert 'id="amount-to-send" value="75123"' in pay
    assert "Includes unique code 123" in pay
    # beside the shop's account
    assert "1234567890" in pay and "in the name of Rajut Test" in pay
    # and the form to send the proof, the amount filled in
    assert 'enctype="multipart/form-data"' in pay
    assert f'action="/o/{coded_order.token}/pay/"' in pay
    assert re.search(r'name="amount" value="75123"', pay)
    assert 'type="file" name="proof"' in pay and 'accept="image/jpeg,image/png,image/webp"' in pay


def test_without_a_unique_code_no_code_is_mentioned(client, pending_order, bank_account):
    text = page_text(client.get(pending_order.get_absolute_url()))
    assert re.search(r'class="amount">Rp 75.000<', text)
    assert "unique code" not in text


def test_buyer_sends_the_form_and_sees_the_payment_waiting(client, pending_order, private_files):
    # when
    response = client.post(pay_url(pending_order), form_data("Rp 75.000"))

    # then back to the order page, on the payments
    assert response.status_code == 302
    assert response["Location"] == f"/o/{pending_order.token}/#payments"
    payment = pending_order.payments.get()
    assert payment.amount == Decimal(75000)
    assert len(stored_files(private_files)) == 2  # the proof and its thumbnail

    # and the page says it waits, with no second form
    text = page_text(client.get(pending_order.get_absolute_url()))
    assert "Your payment of Rp 75.000 is waiting for the seller's review" in text
    assert "Waiting for review" in text
    assert 'name="proof"' not in text
    assert f"/o/{pending_order.token}/proof/{payment.pk}/" in text


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"amount": "0"}, 400, "more than zero"),
        ({"amount": "-75000"}, 400, "more than zero"),
        ({"amount": "tujuh puluh"}, 400, "Enter the amount in numbers"),
        ({"amount": "9" * 25}, 400, "too large"),
        ({"amount": "1500000"}, 400, "more than the whole order still owes"),
        ({"amount": ""}, 400, "This field is required"),
        ({"sender_name": ""}, 400, "This field is required"),
        ({"proof": pictures.upload(pictures.PDF, "bukti.png", "image/png")}, 400, "not a picture"),
        ({"proof": pictures.upload(pictures.SVG, "b.svg", "image/svg+xml")}, 400, "not a picture"),
        ({"proof": pictures.upload(b"", "empty.jpg")}, 400, "The submitted file is empty"),
    ],
    ids=[
        "zero",
        "negative",
        "words",
        "huge",
        "ten times",
        "no amount",
        "no sender",
        "pdf",
        "svg",
        "empty",
    ],
)
def test_refusals_come_back_on_the_page_and_store_nothing(
    client, pending_order, private_files, data, status, message
):
    # when
    response = client.post(pay_url(pending_order), form_data(**data))

    # then the page comes back with the reason, and nothing is kept
    assert response.status_code == status
    assert message in page_text(response)
    assert 'name="proof"' in page_text(response)
    assert nothing_stored(pending_order, private_files)


def test_missing_proof_is_refused(client, pending_order, private_files):
    data = form_data()
    del data["proof"]
    response = client.post(pay_url(pending_order), data)
    assert response.status_code == 400
    assert "This field is required" in page_text(response)
    assert nothing_stored(pending_order, private_files)


def test_an_order_not_awaiting_payment_refuses_the_form(client, pending_order, private_files):
    # given the order expired meanwhile
    move_order(order=pending_order, to=S.EXPIRED)

    # when the old page's form is sent
    response = client.post(pay_url(pending_order), form_data())

    # then
    assert response.status_code == 409
    assert "This order is not waiting for a payment." in page_text(response)
    assert nothing_stored(pending_order, private_files)


def test_the_payment_form_needs_the_secret_link(client, pending_order, private_files):
    assert client.post(f"/o/{pending_order.code}/pay/", form_data()).status_code == 404
    assert client.post("/o/not-a-token/pay/", form_data()).status_code == 404
    assert client.get(pay_url(pending_order)).status_code == 405
    assert nothing_stored(pending_order, private_files)


def test_the_buyer_sees_each_payment_and_the_sellers_answer(client, pending_order, owner):
    # given one payment rejected, one received short, one received in full, one waiting
    rejected = send(pending_order, "75000")
    reject_payment(payment=rejected, reason="Nothing arrived from “Sari W.”", actor=owner)
    short = send(pending_order, "50000")
    verify_payment(payment=short, amount_received=Decimal(49000), actor=owner)

    # when the buyer looks
    text = page_text(client.get(pending_order.get_absolute_url()))

    # then each one has its answer, the reason in full
    assert "Rejected: Nothing arrived from “Sari W.”" in text
    assert "Received: Rp 49.000" in text
    assert "Received so far: Rp 49.000. Still to pay: Rp 26.000." in text
    assert re.search(r'class="amount">Rp 26.000<', text)
    assert "Deposit received." not in text

    # when the rest arrives
    rest = send(pending_order, "26000")
    verify_payment(payment=rest, amount_received=Decimal(26000), actor=owner)
    text = page_text(client.get(pending_order.get_absolute_url()))

    # then the deposit is received and nothing more is asked for now
    assert "Deposit received." in text
    assert 'name="proof"' not in text
    assert 'id="pay"' not in text


def test_a_pending_order_with_its_deposit_verified_says_deposit_received(
    client, pending_order, owner
):
    # given the deposit verified while the order stays pending (a full deposit normally moves
    # it on; here the status is put back to show the page does not rely on it)
    payment = send(pending_order, "75000")
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)
    Order.objects.filter(pk=pending_order.pk).update(status=S.PENDING)

    # when
    text = page_text(client.get(pending_order.get_absolute_url()))

    # then
    assert "Deposit received." in text
    assert 'name="proof"' not in text


def test_an_order_paid_in_full_up_front_says_paid_in_full(client, open_campaign, owner):
    # given a campaign asking for the whole price at once, and the buyer's payment verified
    open_campaign.deposit_rule = "full"
    open_campaign.save()
    order = make_order(open_campaign, note=NOTE)
    payment = send(order, "150000")
    verify_payment(payment=payment, amount_received=Decimal(150000), actor=owner)

    text = page_text(client.get(order.get_absolute_url()))

    assert "Paid in full." in text
    assert "Deposit received." not in text


def test_the_balance_form_appears_when_the_balance_is_due(client, pending_order, owner):
    order = awaiting_balance(pending_order, owner)
    text = page_text(client.get(order.get_absolute_url()))
    assert "Pay the balance" in text
    assert re.search(r'class="amount">Rp 75.000<', text)


def test_order_page_queries_do_not_grow_with_payments(
    client, open_campaign, owner, bank_account, django_assert_num_queries
):
    # given an order with one payment
    one = make_order(open_campaign, note=NOTE)
    send(one, "75000")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(one.get_absolute_url()).status_code == 200
    budget = len(queries)

    # and an order with six, five rejected
    many = make_order(open_campaign, note=NOTE)
    for n in range(5):
        reject_payment(payment=send(many, "75000"), reason=f"Unreadable {n}", actor=owner)
    send(many, "75000")

    # then its page costs the same
    with django_assert_num_queries(budget):
        assert client.get(many.get_absolute_url()).status_code == 200
    assert budget <= 5
