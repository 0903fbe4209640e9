"""The pages around refunds: the seller's refunds list and overdue balances, cancelling from the
order page, and the buyer's order page asking where the money goes, then saying it was sent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order
from orders.services.transitions import move_order
from payments.models import Refund
from payments.services.cancellations import cancel_order
from payments.services.payments import verify_payment
from payments.services.refunds import give_refund_details, mark_refund_sent
from tests.factories import make_buyer, make_campaign, make_order
from tests.payments.conftest import NOTE, send
from tests.payments.pictures import proof_jpeg, upload
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status
REFUNDS = "/dashboard/rajut/refunds/"
BALANCES = "/dashboard/rajut/balances/"


def paid_order(campaign, owner, n: int = 1, *, paid: int = 75000) -> Order:
    order = make_order(campaign, note=NOTE, buyer=make_buyer(n, name=f"Buyer {n}"))
    verify_payment(payment=send(order, str(paid)), amount_received=Decimal(paid), actor=owner)
    order.refresh_from_db()
    return order


def state(order: Order):
    order.refresh_from_db()
    return (
        order.status,
        order.balance_due_at,
        order.events.count(),
        list(order.refunds.values_list("status", "reference", "account_number", "proof")),
    )


@pytest.fixture
def confirmed_order(open_campaign, owner) -> Order:
    return paid_order(open_campaign, owner)


@pytest.fixture
def refund(confirmed_order, owner) -> Refund:
    """Rp 75.000 to send back for a cancelled order; no bank details yet."""
    return cancel_order(order=confirmed_order, actor=owner, reason="Vendor closed").refund


@pytest.fixture
def overdue(confirmed_order, owner) -> Order:
    """Deposit in, balance due yesterday."""
    move_order(order=confirmed_order, to=S.IN_PRODUCTION)
    move_order(order=confirmed_order, to=S.AWAITING_BALANCE)
    Order.objects.filter(pk=confirmed_order.pk).update(
        balance_due_at=timezone.now() - timedelta(days=1)
    )
    confirmed_order.refresh_from_db()
    return confirmed_order


# --- cancelling from the seller's order page ------------------------------------------------------


def test_cancelling_from_the_order_page_puts_what_was_paid_on_the_refunds_list(
    seller, confirmed_order
):
    # when the seller cancels a confirmed order with a reason
    response = seller.post(
        f"/dashboard/rajut/orders/{confirmed_order.code}/cancel/",
        {"reason": "Buyer asked on WhatsApp"},
        follow=True,
    )
    # then it is cancelled and its deposit waits to be sent back
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == S.CANCELLED
    refund = confirmed_order.refunds.get()
    assert (refund.amount, refund.status, refund.reason) == (
        Decimal(75000),
        Refund.Status.PENDING,
        "Buyer asked on WhatsApp",
    )
    # and the page says so, and shows the refund
    text = page_text(response)
    assert "is cancelled and its units are back on sale" in text
    assert "A refund of Rp 75.000 is on the refunds list, to send." in text
    assert "waiting for the buyer's bank details" in text


def test_cancelling_an_unpaid_order_mentions_no_refund(seller, open_campaign):
    order = make_order(open_campaign, note=NOTE)
    response = seller.post(
        f"/dashboard/rajut/orders/{order.code}/cancel/", {"reason": "Duplicate"}, follow=True
    )
    text = page_text(response)
    assert "is cancelled and its units are back on sale" in text
    assert "refunds list" not in text
    assert not order.refunds.exists()


def test_money_an_expired_order_holds_is_refunded_from_its_page(seller, open_campaign, owner):
    # given Rp 30.000 of the deposit arrived, then the order expired
    order = paid_order(open_campaign, owner, paid=30000)
    move_order(order=order, to=S.EXPIRED)
    page = page_text(seller.get(f"/dashboard/rajut/orders/{order.code}/"))
    assert "Refund the Rp 30.000 this order still holds" in page
    # when the seller refunds it
    response = seller.post(
        f"/dashboard/rajut/orders/{order.code}/refund/", {"reason": "Expired"}, follow=True
    )
    # then
    assert order.refunds.get().amount == Decimal(30000)
    text = page_text(response)
    assert "A refund of Rp 30.000 is on the refunds list" in text
    assert "this order still holds" not in text


def test_refunding_an_active_order_from_its_page_is_refused(seller, confirmed_order):
    before = state(confirmed_order)
    response = seller.post(
        f"/dashboard/rajut/orders/{confirmed_order.code}/refund/", {"reason": "x"}, follow=True
    )
    assert "cancel it to refund it" in page_text(response)
    assert state(confirmed_order) == before


# --- the refunds list -----------------------------------------------------------------------------


def test_the_refunds_list_shows_those_to_send_first_with_where_each_goes(
    seller, open_campaign, owner
):
    # given one refund sent, then two to send, one with the buyer's account
    sent = cancel_order(order=paid_order(open_campaign, owner, 1), actor=owner, reason="A").refund
    mark_refund_sent(refund=sent, reference="TRX-OLD", actor=owner)
    waiting = cancel_order(order=paid_order(open_campaign, owner, 2), actor=owner, reason="B")
    detailed = cancel_order(order=paid_order(open_campaign, owner, 3), actor=owner, reason="C")
    give_refund_details(
        refund=detailed.refund, bank="Mandiri", account_number="1370012345678", holder="Citra"
    )
    # when
    response = seller.get(REFUNDS)
    # then those to send come first, oldest first, then the one sent
    assert response.status_code == 200
    rows = [row.refund.pk for row in response.context["rows"]]
    assert rows == [waiting.refund.pk, detailed.refund.pk, sent.pk]
    text = page_text(response)
    assert "Mandiri" in text and "1370012345678" in text and "in the name of Citra" in text
    assert "Waiting for the buyer's bank details" in text
    assert "TRX-OLD" in text
    # and the figures count what is still to send
    assert response.context["to_send"] == {"count": 2, "total": Decimal(150000)}
    # and only those to send offer "Mark sent"
    assert text.count("Mark sent</button>") == 2


def test_the_refunds_list_costs_the_same_for_one_refund_or_twenty(
    seller, shop, owner, django_assert_num_queries
):
    campaign = make_campaign(shop, capacity=100)
    cancel_order(order=paid_order(campaign, owner, 1), actor=owner, reason="x")
    with CaptureQueriesContext(connection) as queries:
        assert seller.get(REFUNDS).status_code == 200
    one = len(queries)
    for n in range(2, 21):
        refund = cancel_order(order=paid_order(campaign, owner, n), actor=owner, reason="x").refund
        if n % 2:
            mark_refund_sent(refund=refund, reference=f"T{n}", actor=owner)
    with django_assert_num_queries(one):
        response = seller.get(REFUNDS)
    assert len(response.context["rows"]) == 20
    assert one <= 8


def test_the_dashboard_links_to_refunds_and_overdue_balances(seller):
    text = page_text(seller.get(REFUNDS))
    assert f'href="{REFUNDS}"' in text and f'href="{BALANCES}"' in text


def test_marking_a_refund_sent_with_its_reference_and_proof(seller, refund):
    # when the seller marks it sent
    response = seller.post(
        f"{REFUNDS}{refund.pk}/sent/",
        {f"r{refund.pk}-reference": "TRX-77", f"r{refund.pk}-proof": proof_jpeg()},
        follow=True,
    )
    # then it is sent, and the list says so
    refund.refresh_from_db()
    assert (refund.status, refund.reference) == (Refund.Status.SENT, "TRX-77")
    text = page_text(response)
    assert "Refund of Rp 75.000 to Buyer 1" in text and "marked sent" in text
    # and the proof is there for the seller, privately
    proof = seller.get(f"{REFUNDS}{refund.pk}/proof/")
    assert proof.status_code == 200
    assert proof["Content-Type"] == "image/webp"
    assert "no-store" in proof["Cache-Control"]


def test_marking_sent_without_a_reference_is_refused_beside_the_field(seller, refund):
    before = state(refund.order)
    response = seller.post(f"{REFUNDS}{refund.pk}/sent/", {f"r{refund.pk}-reference": " "})
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    assert state(refund.order) == before


def test_a_proof_that_is_not_a_picture_is_refused_beside_its_field(seller, refund):
    before = state(refund.order)
    response = seller.post(
        f"{REFUNDS}{refund.pk}/sent/",
        {
            f"r{refund.pk}-reference": "TRX",
            f"r{refund.pk}-proof": upload(b"not a picture", "bukti.jpg"),
        },
    )
    assert response.status_code == 400
    assert "This file is not a picture we can read." in page_text(response)
    assert state(refund.order) == before


def test_a_second_click_on_mark_sent_is_told_and_changes_nothing(seller, refund, owner):
    mark_refund_sent(refund=refund, reference="TRX-1", actor=owner)
    before = state(refund.order)
    response = seller.post(
        f"{REFUNDS}{refund.pk}/sent/", {f"r{refund.pk}-reference": "TRX-2"}, follow=True
    )
    assert "This refund has already been sent." in page_text(response)
    assert state(refund.order) == before


def test_a_refund_without_proof_has_no_proof_to_show(seller, refund, owner):
    mark_refund_sent(refund=refund, reference="TRX-1", actor=owner)
    assert seller.get(f"{REFUNDS}{refund.pk}/proof/").status_code == 404


# --- overdue balances ---------------------------------------------------------------------------


def test_overdue_balances_lists_only_those_past_due_with_what_cancelling_would_do(
    seller, overdue, open_campaign, owner
):
    # given another order whose balance is due tomorrow
    later = paid_order(open_campaign, owner, 2)
    move_order(order=later, to=S.IN_PRODUCTION)
    move_order(order=later, to=S.AWAITING_BALANCE)
    Order.objects.filter(pk=later.pk).update(balance_due_at=timezone.now() + timedelta(days=1))
    # when
    response = seller.get(BALANCES)
    # then only the overdue one is listed, with what it paid and the PO terms
    text = page_text(response)
    assert overdue.code in text and later.code not in text
    assert "Rp 75.000 of Rp 150.000" in text
    assert "The deposit is kept" in text
    assert "The deposit of Rp 75.000 is kept, as the PO terms say." in text
    assert "Give more time" in text and "Cancel the order</button>" in text


def test_overdue_balances_cost_the_same_for_one_order_or_twenty(
    seller, shop, owner, django_assert_num_queries
):
    campaign = make_campaign(shop, capacity=100)

    def overdue_order(n):
        order = paid_order(campaign, owner, n)
        move_order(order=order, to=S.IN_PRODUCTION)
        move_order(order=order, to=S.AWAITING_BALANCE)
        Order.objects.filter(pk=order.pk).update(balance_due_at=timezone.now() - timedelta(days=n))

    overdue_order(1)
    with CaptureQueriesContext(connection) as queries:
        assert seller.get(BALANCES).status_code == 200
    one = len(queries)
    for n in range(2, 21):
        overdue_order(n)
    with django_assert_num_queries(one):
        response = seller.get(BALANCES)
    assert len(response.context["rows"]) == 20
    assert one <= 7


def test_giving_more_time_moves_the_due_date(seller, overdue):
    due = timezone.localtime(timezone.now() + timedelta(days=3), timezone.get_default_timezone())
    response = seller.post(
        f"{BALANCES}{overdue.code}/extend/",
        {f"o{overdue.pk}-due_at": due.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    overdue.refresh_from_db()
    assert overdue.balance_due_at > timezone.now() + timedelta(days=2)
    assert "now has until" in page_text(response)
    # and it is no longer overdue
    assert overdue.code not in page_text(seller.get(BALANCES))


def test_a_due_date_in_the_past_is_refused_beside_the_field(seller, overdue):
    before = state(overdue)
    past = timezone.localtime(timezone.now() - timedelta(days=3))
    response = seller.post(
        f"{BALANCES}{overdue.code}/extend/",
        {f"o{overdue.pk}-due_at": past.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "Choose a due date in the future." in page_text(response)
    assert state(overdue) == before


def test_cancelling_an_overdue_order_follows_the_po_terms(seller, overdue):
    Campaign.objects.filter(pk=overdue.campaign_id).update(
        late_balance=Campaign.LateBalance.REFUND_DEPOSIT
    )
    response = seller.post(f"{BALANCES}{overdue.code}/cancel/", follow=True)
    overdue.refresh_from_db()
    assert overdue.status == S.CANCELLED
    assert overdue.refunds.get().amount == Decimal(75000)
    assert "a refund of Rp 75.000 is on the refunds list" in page_text(response)


def test_an_overdue_order_with_a_payment_to_review_is_not_cancelled(seller, overdue):
    send(overdue, "75000")
    text = page_text(seller.get(BALANCES))
    assert "waiting for your review" in text
    assert "Cancel the order</button>" not in text
    before = state(overdue)
    response = seller.post(f"{BALANCES}{overdue.code}/cancel/", follow=True)
    assert "review it first" in page_text(response)
    assert state(overdue) == before


# --- the buyer's order page -----------------------------------------------------------------------


def details(refund, **fields) -> dict:
    values = {"bank": "BCA", "account_number": "1234567890", "holder": "Sari W"} | fields
    return {f"r{refund.pk}-{name}": value for name, value in values.items()}


def test_the_buyer_is_asked_where_the_refund_goes_then_told_it_is_on_its_way(client, refund):
    order = refund.order
    # given the order page of a cancelled order with a refund to send
    text = page_text(client.get(order.get_absolute_url()))
    assert "The seller will refund Rp 75.000." in text
    assert "Where should the money go?" in text
    assert f'action="/o/{order.token}/refund/{refund.pk}/"' in text
    # when the buyer gives the account
    response = client.post(f"/o/{order.token}/refund/{refund.pk}/", details(refund))
    # then it is kept and the page says the refund is on its way
    assert response.status_code == 302
    assert response["Location"] == f"/o/{order.token}/#refund-{refund.pk}"
    refund.refresh_from_db()
    assert (refund.bank, refund.account_number, refund.account_holder) == (
        "BCA",
        "1234567890",
        "Sari W",
    )
    text = page_text(client.get(order.get_absolute_url()))
    assert "Your refund of Rp 75.000 is on its way." in text
    assert "BCA 1234567890 (Sari W)" in text
    assert "Change the bank details" in text


def test_bank_details_that_do_not_fit_are_refused_beside_the_field(client, refund):
    order = refund.order
    before = state(order)
    response = client.post(
        f"/o/{order.token}/refund/{refund.pk}/", details(refund, account_number="rekening")
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Enter the account number (or the e-wallet's phone number) in digits." in text
    assert state(order) == before


def test_the_buyer_sees_the_refund_sent_with_its_date_and_reference(client, refund, owner):
    give_refund_details(refund=refund, bank="BCA", account_number="1234567890", holder="Sari")
    mark_refund_sent(refund=refund, reference="TRX-2026", proof_upload=proof_jpeg(), actor=owner)
    refund.refresh_from_db()
    order = refund.order
    # when
    text = page_text(client.get(order.get_absolute_url()))
    # then
    sent_on = timezone.localtime(refund.sent_at, timezone.get_fixed_timezone(7 * 60))
    assert f"Refund of Rp 75.000 sent on {sent_on:%-d %b %Y}, reference TRX-2026." in text
    assert "Where should the money go?" not in text
    # and the seller's proof is there for the buyer too, privately
    proof = client.get(f"/o/{order.token}/refund/{refund.pk}/proof/")
    assert proof.status_code == 200 and proof["Content-Type"] == "image/webp"


def test_details_sent_after_the_refund_went_out_change_nothing(client, refund, owner):
    mark_refund_sent(refund=refund, reference="TRX", actor=owner)
    order = refund.order
    before = state(order)
    response = client.post(f"/o/{order.token}/refund/{refund.pk}/", details(refund))
    assert response.status_code == 409
    assert "its details can no longer change" in page_text(response)
    assert state(order) == before


def test_a_refund_is_reached_only_through_its_own_orders_link(client, refund, open_campaign):
    other = make_order(open_campaign, note=NOTE)
    before = state(refund.order)
    assert client.post(f"/o/{other.token}/refund/{refund.pk}/", details(refund)).status_code == 404
    assert client.get(f"/o/{other.token}/refund/{refund.pk}/proof/").status_code == 404
    assert client.post(f"/o/not-a-token/refund/{refund.pk}/", details(refund)).status_code == 404
    assert state(refund.order) == before


def test_the_buyer_page_of_a_cancelled_order_costs_the_same_with_more_refunds(
    client, refund, owner, django_assert_num_queries
):
    order = refund.order
    with CaptureQueriesContext(connection) as queries:
        assert client.get(order.get_absolute_url()).status_code == 200
    one = len(queries)
    for n in range(3):
        Refund.objects.create(order=order, amount=Decimal(1), reason=f"Extra {n}")
    with django_assert_num_queries(one):
        assert client.get(order.get_absolute_url()).status_code == 200


def test_a_payment_to_review_for_a_cancelled_order_says_it_will_go_back(
    seller, open_campaign, owner
):
    order = make_order(open_campaign, note=NOTE)
    send(order, "75000")
    cancel_order(order=order, actor=owner, reason="Buyer asked")
    text = page_text(seller.get("/dashboard/rajut/payments/"))
    assert "This order is “Cancelled”. If the money arrived, verify it" in text


def test_staff_can_read_refunds_in_the_admin_but_not_change_them(client, refund, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-staff")
    client.force_login(staff)
    assert client.get("/admin/payments/refund/").status_code == 200
    page = client.get(f"/admin/payments/refund/{refund.pk}/change/")
    assert page.status_code == 200
    assert "Vendor closed" in page_text(page)
    assert client.get("/admin/payments/refund/add/").status_code == 403
