"""The seller's side of refunds: cancelling or refunding from the order page, the refunds list, and
marking a refund sent."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order
from orders.services.transitions import move_order
from payments.models import Refund
from payments.services.cancellations import cancel_order
from payments.services.refunds import give_refund_details, mark_refund_sent
from tests.factories import make_campaign, make_order
from tests.payments.conftest import NOTE
from tests.payments.pictures import proof_jpeg, upload
from tests.payments.refund_screens.screens import BALANCES, REFUNDS, paid_order, state
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


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
