"""The seller checks each proof against the bank and verifies or rejects it (payments issue,
items 2 and 4); the order moves on through the one door."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import AlreadyReviewed, InvalidReview
from payments.models import Payment
from payments.services.payments import reject_payment, verify_payment
from tests.factories import make_campaign, make_order
from tests.payments.conftest import NOTE, awaiting_balance, send
from tests.support import page_text, race

S = Order.Status
QUEUE = "/dashboard/rajut/payments/"


def status_events(order: Order):
    return list(
        order.events.filter(kind=OrderEvent.Kind.STATUS).values_list(
            "from_status", "to_status", "actor_id"
        )
    )


def payment_notes(order: Order) -> list[str]:
    return list(order.events.filter(kind=OrderEvent.Kind.PAYMENT).values_list("note", flat=True))


# --- verify and reject: the services ------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_deposit_verified_confirms_the_order(coded_order, owner):
    # given Rp 75.123 reported for a Rp 75.000 deposit with code 123
    payment = send(coded_order, "75123")

    # when the seller sees it in the bank and verifies it
    payment = verify_payment(payment=payment, amount_received=Decimal(75123), actor=owner)

    # then the payment is received, by whom and when
    payment.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    assert payment.amount_received == Decimal(75123)
    assert payment.reviewed_by == owner
    assert payment.reviewed_at is not None
    # and the order is confirmed through the one door, the seller named on both events
    coded_order.refresh_from_db()
    assert coded_order.status == S.CONFIRMED
    assert status_events(coded_order) == [(S.PENDING, S.CONFIRMED, owner.pk)]
    event = coded_order.events.filter(kind=OrderEvent.Kind.PAYMENT).last()
    assert event.note == "Payment of Rp 75.123 received for the down payment."
    assert event.actor == owner


@pytest.mark.django_db
def test_a_short_deposit_counts_but_the_order_waits_for_the_rest(pending_order, owner):
    # given Rp 75.000 reported
    payment = send(pending_order, "75000")

    # when only Rp 50.000 actually arrived
    verify_payment(payment=payment, amount_received=Decimal(50000), actor=owner)

    # then the payment is verified at what arrived, the order stays, and says what is missing
    payment.refresh_from_db()
    assert (payment.status, payment.amount_received) == (Payment.Status.VERIFIED, Decimal(50000))
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING
    assert status_events(pending_order) == []
    assert payment_notes(pending_order)[-1] == (
        "Payment of Rp 50.000 received for the down payment; Rp 25.000 is still missing."
    )

    # when the rest arrives
    rest = send(pending_order, "25000")
    verify_payment(payment=rest, amount_received=Decimal(25000), actor=owner)

    # then the order is confirmed
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED


@pytest.mark.django_db
def test_a_full_balance_verified_marks_the_order_paid(pending_order, owner):
    # given an order awaiting its Rp 75.000 balance
    order = awaiting_balance(pending_order, owner)
    short = send(order, "75000")

    # when Rp 70.000 arrives, then the missing Rp 5.000
    verify_payment(payment=short, amount_received=Decimal(70000), actor=owner)
    order.refresh_from_db()
    assert order.status == S.AWAITING_BALANCE
    assert payment_notes(order)[-1].endswith("Rp 5.000 is still missing.")
    rest = send(order, "5000")
    verify_payment(payment=rest, amount_received=Decimal(5000), actor=owner)

    # then it is paid in full
    order.refresh_from_db()
    assert order.status == S.PAID
    assert status_events(order)[-1] == (S.AWAITING_BALANCE, S.PAID, owner.pk)


@pytest.mark.django_db
def test_money_for_an_order_that_expired_meanwhile_is_recorded_and_the_order_stays(
    pending_order, owner
):
    # given a proof sent in time, and the order expired before the seller looked
    payment = send(pending_order, "75000")
    move_order(order=pending_order, to=S.EXPIRED)

    # when the seller finds the money in the bank
    verify_payment(payment=payment, amount_received=Decimal(75000), actor=owner)

    # then it counts as received (to be refunded or the order restored) and the order stays
    pending_order.refresh_from_db()
    assert pending_order.status == S.EXPIRED
    assert "the order is “Expired”, so it stays as it is" in payment_notes(pending_order)[-1]


@pytest.mark.django_db
def test_a_rejected_payment_leaves_the_order_and_tells_the_buyer_why(pending_order, owner):
    payment = send(pending_order, "75000")

    # when
    reject_payment(payment=payment, reason="  Nothing arrived in BCA today  ", actor=owner)

    # then
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REJECTED
    assert payment.reject_reason == "Nothing arrived in BCA today"
    assert payment.reviewed_by == owner
    assert payment.amount_received is None
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING
    event = pending_order.events.filter(kind=OrderEvent.Kind.PAYMENT).last()
    assert event.note == (
        "Payment of Rp 75.000 for the down payment rejected: Nothing arrived in BCA today"
    )
    assert event.actor == owner


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_rejection_needs_a_reason(pending_order, owner, reason):
    payment = send(pending_order, "75000")
    with pytest.raises(InvalidReview):
        reject_payment(payment=payment, reason=reason, actor=owner)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "received",
    [Decimal(0), Decimal(-1), Decimal("75000.5"), Decimal("NaN"), Decimal("1e15"), 75000],
)
def test_the_amount_received_must_be_a_real_amount(pending_order, owner, received):
    payment = send(pending_order, "75000")
    with pytest.raises(InvalidReview):
        verify_payment(payment=payment, amount_received=received, actor=owner)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUBMITTED
    pending_order.refresh_from_db()
    assert pending_order.status == S.PENDING


@pytest.mark.django_db
def test_a_payment_is_reviewed_once(pending_order, owner):
    # given a payment already verified by one member, from a page another member still has open
    stale = send(pending_order, "75000")
    verify_payment(
        payment=Payment.objects.get(pk=stale.pk), amount_received=Decimal(75000), actor=owner
    )

    # when the other member verifies or rejects it too
    with pytest.raises(AlreadyReviewed):
        verify_payment(payment=stale, amount_received=Decimal(75000), actor=owner)
    with pytest.raises(AlreadyReviewed):
        reject_payment(payment=stale, reason="Duplicate", actor=owner)

    # then it counted once, and the order moved once
    assert pending_order.payments.get().amount_received == Decimal(75000)
    assert len(status_events(pending_order)) == 1


# --- the queue -------------------------------------------------------------------------------


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


# --- at the same moment, on PostgreSQL --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_members_verifying_the_same_payment_at_once_verify_it_once(pending_order, owner):
    # given one payment, and ten members each with it open on their phone
    payment = send(pending_order, "75000")

    # when all ten press "Verify" at the same moment
    def verify(i):
        stale = Payment.objects.get(pk=payment.pk)  # as each request would load it
        return verify_payment(payment=stale, amount_received=Decimal(75000), actor=owner)

    results = race(10, verify)

    # then exactly one verified it; the others were told it already was
    verified = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, AlreadyReviewed)]
    assert len(verified) == 1, results
    assert len(refused) == 9, results
    # and it counted once, with one confirm event
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    assert status_events(pending_order) == [(S.PENDING, S.CONFIRMED, owner.pk)]
    assert len([n for n in payment_notes(pending_order) if "received" in n]) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_halves_of_a_deposit_verified_at_once_confirm_the_order(pending_order, owner):
    # given two payments of half the deposit each, waiting side by side (written directly:
    # the buyer's form allows one at a time)
    halves = [
        Payment.objects.create(
            order=pending_order,
            kind=Payment.Kind.DEPOSIT,
            amount=Decimal(37500),
            sender_name="Sari",
            sender_bank="BCA",
            proof="proofs/none.webp",
            created_at=timezone.now(),
        )
        for _ in range(2)
    ]

    # when two members verify one each at the same moment
    race(
        2,
        lambda i: verify_payment(payment=halves[i], amount_received=Decimal(37500), actor=owner),
    )

    # then each saw the other's: the order is confirmed, once
    pending_order.refresh_from_db()
    assert pending_order.status == S.CONFIRMED
    assert status_events(pending_order) == [(S.PENDING, S.CONFIRMED, owner.pk)]
