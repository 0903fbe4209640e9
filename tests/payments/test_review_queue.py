"""The review queue: proofs waiting oldest first with what to expect, verified or rejected from
their row, out of other shops' reach, in the same queries for one payment or thirty."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order
from payments.models import Payment
from payments.services.payments import reject_payment, verify_payment
from tests.factories import make_campaign, make_order
from tests.payments.conftest import NOTE, send
from tests.support import page_text

S = Order.Status
QUEUE = "/dashboard/rajut/payments/"


@pytest.mark.django_db
def test_the_queue_lists_proofs_waiting_oldest_first_with_what_to_expect(
    seller, open_campaign, owner
):
    # given three orders with a payment each; one coded order owes its deposit + 123
    first = make_order(open_campaign, note=NOTE)
    Order.objects.filter(pk=first.pk).update(transfer_code=123)
    first.refresh_from_db()
    send(first, "75123", sender_name="Ayu Lestari", sender_bank="Mandiri")
    second = make_order(open_campaign, note=NOTE)
    waiting_short = send(second, "50000", sender_name="Budi Santoso")
    done = make_order(open_campaign, note=NOTE)
    verify_payment(payment=send(done, "75000"), amount_received=Decimal(75000), actor=owner)

    # when the seller opens the queue
    response = seller.get(QUEUE)

    # then the two waiting payments are listed, oldest first, the reviewed one is not
    assert response.status_code == 200
    text = page_text(response)
    assert text.index("Ayu Lestari") < text.index("Budi Santoso")
    assert done.code not in text
    assert text.count("<article") == 2
    # each with its proof beside the expected amount and the sender
    rows = text.split("<article")[1:]
    first_row = next(row for row in rows if first.code in row)
    assert re.search(r'class="review-expected">Rp 75.123<', first_row)
    assert "includes unique code 123" in first_row
    assert "Ayu Lestari · Mandiri" in first_row
    payment = first.payments.get()
    assert f'src="/dashboard/rajut/payments/{payment.pk}/proof/thumbnail/"' in first_row
    assert f'href="/dashboard/rajut/payments/{payment.pk}/proof/"' in first_row
    # with verify prefilled at the expected amount, and reject needing a reason
    assert re.search(rf'name="p{payment.pk}-amount_received" value="75123"', first_row)
    assert f'name="p{payment.pk}-reason"' in first_row
    # and a report that differs from what is expected is pointed out
    second_row = next(row for row in rows if second.code in row)
    assert re.search(r'class="review-expected">Rp 75.000<', second_row)
    assert "differs" in second_row
    assert f"p{waiting_short.pk}-amount_received" in second_row


@pytest.mark.django_db
def test_the_dashboard_links_to_the_payments(seller):
    text = page_text(seller.get(QUEUE))
    nav = text[text.index('<nav class="dash-nav"') : text.index("</nav>")]
    assert f'<a href="{QUEUE}">Payments</a>' in nav


@pytest.mark.django_db
def test_seller_verifies_from_the_queue_and_the_order_is_confirmed(seller, coded_order, owner):
    payment = send(coded_order, "75123")

    # when
    response = seller.post(
        f"{QUEUE}{payment.pk}/verify/", {f"p{payment.pk}-amount_received": "75.123"}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    coded_order.refresh_from_db()
    assert coded_order.status == S.CONFIRMED
    text = page_text(seller.get(QUEUE))
    assert (
        f"Rp 75.123 from Sari Wulandari received. Order {coded_order.code}: Deposit received."
        in text
    )
    assert "No payments are waiting for review." in text


@pytest.mark.django_db
def test_seller_rejects_from_the_queue_with_a_reason(seller, pending_order, client):
    payment = send(pending_order, "75000")

    # when a reason is missing
    response = seller.post(f"{QUEUE}{payment.pk}/reject/", {f"p{payment.pk}-reason": " "})

    # then the queue comes back with the error in that payment's row, and nothing changed
    assert response.status_code == 400
    text = page_text(response)
    assert "This field is required." in text
    assert re.search(r"<details open>", text)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED

    # when it is given
    response = seller.post(
        f"{QUEUE}{payment.pk}/reject/", {f"p{payment.pk}-reason": "The picture is unreadable"}
    )

    # then
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.reject_reason == "The picture is unreadable"


@pytest.mark.django_db
def test_a_payment_reviewed_by_someone_else_meanwhile_is_reported_not_redone(
    seller, pending_order, owner
):
    payment = send(pending_order, "75000")
    reject_payment(payment=payment, reason="Wrong account", actor=owner)

    response = seller.post(
        f"{QUEUE}{payment.pk}/verify/", {f"p{payment.pk}-amount_received": "75000"}, follow=True
    )

    assert "This payment has already been reviewed." in page_text(response)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REJECTED


@pytest.mark.django_db
def test_a_bad_amount_received_comes_back_in_the_row(seller, pending_order):
    payment = send(pending_order, "75000")
    response = seller.post(f"{QUEUE}{payment.pk}/verify/", {f"p{payment.pk}-amount_received": "0"})
    assert response.status_code == 400
    assert "Nothing arrived? Reject the payment instead" in page_text(response)
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING


@pytest.mark.django_db
def test_another_shops_payments_are_out_of_reach(client, pending_order, stranger_shop_member):
    # given a payment of Rajut, and a seller of another shop
    payment = send(pending_order, "75000")
    client.force_login(stranger_shop_member)

    # then Rajut's queue, its payment and its proof are a 404 for them
    assert client.get(QUEUE).status_code == 404
    data = {f"p{payment.pk}-amount_received": "75000", f"p{payment.pk}-reason": "x"}
    assert client.post(f"{QUEUE}{payment.pk}/verify/", data).status_code == 404
    assert client.post(f"{QUEUE}{payment.pk}/reject/", data).status_code == 404
    # even through their own shop's address
    assert client.post(f"/dashboard/other/payments/{payment.pk}/verify/", data).status_code == 404
    assert client.post(f"/dashboard/other/payments/{payment.pk}/reject/", data).status_code == 404
    assert "Sari" not in page_text(client.get("/dashboard/other/payments/"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED


@pytest.mark.django_db
def test_the_queue_needs_a_login(client, pending_order):
    payment = send(pending_order, "75000")
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(
        f"{QUEUE}{payment.pk}/verify/", {f"p{payment.pk}-amount_received": "75000"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED


@pytest.mark.django_db
def test_the_queue_costs_the_same_for_one_payment_or_thirty(
    seller, shop, owner, django_assert_num_queries
):
    campaign = make_campaign(shop, capacity=100)
    send(make_order(campaign), "75000")
    with CaptureQueriesContext(connection) as queries:
        assert seller.get(QUEUE).status_code == 200
    one = len(queries)

    # given 29 more, on orders with earlier payments (rejected, and received short)
    for n in range(29):
        order = make_order(campaign)
        if n % 2:
            reject_payment(payment=send(order, "75000"), reason="Blurry", actor=owner)
        else:
            verify_payment(payment=send(order, "75000"), amount_received=Decimal(1000), actor=owner)
        send(order, "74000")

    # then
    with django_assert_num_queries(one):
        response = seller.get(QUEUE)
    assert len(response.context["items"]) == 20  # a page
    assert one <= 8
