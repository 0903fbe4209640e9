"""The buyer's pay form on the order page: the exact amount to send, amounts read as typed,
refusals back on the page, and each payment with the seller's answer."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from orders.models import Order
from orders.services.transitions import move_order
from payments.forms.public import PaymentForm, render_fields
from payments.services.payments import reject_payment, verify_payment
from tests.factories import make_order
from tests.payments import pictures
from tests.payments.conftest import NOTE, awaiting_balance, send, stored_files
from tests.payments.proofs import nothing_stored
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


# --- the amount as typed ---------------------------------------------------------------------


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


# --- the new form's fields: rendered once per language and currency ----------------------------


@pytest.mark.parametrize(("language", "currency"), [("en", "IDR"), ("id", "IDR"), ("en", "USD")])
def test_a_new_forms_copy_reads_as_the_form_rendered_for_this_order(language, currency):
    # given a first order page that rendered the form's fields (its copy is kept)
    with translation.override(language):
        PaymentForm(currency=currency, initial={"amount": "75000"}).as_fields()

        # when the next order page asks for them with its own amount
        form = PaymentForm(currency=currency, initial={"amount": "75123"})

        # then they read exactly as the form rendered afresh, in this language and currency
        assert form.as_fields() == render_fields(form)
    assert 'name="amount" value="75123"' in form.as_fields()
    assert "75000" not in form.as_fields()


def test_the_copy_is_in_the_buyers_language(client, pending_order):
    # given the page read in English
    assert "Amount sent" in page_text(client.get(pending_order.get_absolute_url()))

    # when a buyer reads it in Indonesian
    response = Client(headers={"accept-language": "id"}).get(pending_order.get_absolute_url())

    # then the form's labels are in Indonesian too
    text = page_text(response)
    assert 'lang="id"' in text and "Amount sent" not in text
    with translation.override("id"):
        assert str(PaymentForm.base_fields["amount"].label) in text


def test_a_refused_form_comes_back_with_what_was_typed_and_why():
    # given the form sent with an amount that is not one
    form = PaymentForm({"amount": "lots", "sender_name": "Sari"}, currency="IDR")
    assert not form.is_valid()

    # then its fields show what was typed and each error, not the new form's copy
    with translation.override("en"):
        html = form.as_fields()
    assert 'name="amount" value="lots"' in html and 'value="Sari"' in html
    assert "Enter the amount in numbers" in html and "This field is required" in html


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
    assert text.count("Your payment of Rp 75.000 is waiting for the seller's review") == 1
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
    # the order with its campaign and shop, lines, timeline, payments (one waits for review, so
    # no payment card: the accounts are not read)
    assert budget == 4
