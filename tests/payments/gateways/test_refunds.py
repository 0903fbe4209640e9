"""Money that came through a gateway goes back through it where the gateway has a refund call
(Midtrans), and is sent by hand otherwise (Xendit invoices)."""

from decimal import Decimal

import pytest

from orders.models import Order
from payments.models import Refund
from tests.payments.gateways.conftest import (
    midtrans_notification,
    pay_now,
    post_midtrans,
    post_xendit,
    xendit_notification,
)

pytestmark = pytest.mark.django_db


def paid_after_it_stopped(client, gateway, order, provider="midtrans"):
    """The buyer paid through the gateway just after the order was cancelled: a refund is due."""
    txn = pay_now(order, provider)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED)
    if provider == "midtrans":
        gateway.midtrans_set(txn.reference, "settlement")
        post_midtrans(client, midtrans_notification(txn))
    else:
        gateway.xendit_set(txn.reference, "PAID")
        post_xendit(client, xendit_notification(txn))
    return txn, Refund.objects.get(order=order)


def test_a_refund_goes_back_through_midtrans_and_is_marked_sent(
    client, seller, gateway, midtrans_shop, pending_order, django_capture_on_commit_callbacks
):
    txn, refund = paid_after_it_stopped(client, gateway, pending_order)
    assert refund.amount == Decimal(75000)
    page = seller.get("/dashboard/rajut/refunds/").content.decode()
    assert "Refund through Midtrans" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(f"/dashboard/rajut/refunds/{refund.pk}/gateway/")

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SENT
    assert refund.reference == f"Midtrans openpo-refund-{refund.pk}"
    assert gateway.refunds == [
        {
            "order_id": txn.reference,
            "refund_key": f"openpo-refund-{refund.pk}",
            "amount": 75000,
            "reason": str(refund.reason),
        }
    ]


def test_a_refund_the_gateway_refuses_waits_to_be_sent_by_hand(
    client, seller, gateway, midtrans_shop, pending_order, django_capture_on_commit_callbacks
):
    _, refund = paid_after_it_stopped(client, gateway, pending_order)
    gateway.fail_next = True

    with django_capture_on_commit_callbacks(execute=True):
        seller.post(f"/dashboard/rajut/refunds/{refund.pk}/gateway/")

    refund.refresh_from_db()
    assert refund.status == Refund.Status.PENDING
    assert refund.gateway_transaction is None
    assert "did not send the refund" in str(pending_order.events.last().note)


def test_xendit_invoice_refunds_are_marked_by_hand(
    client, seller, gateway, xendit_shop, pending_order
):
    _, refund = paid_after_it_stopped(client, gateway, pending_order, "xendit")

    page = seller.get("/dashboard/rajut/refunds/").content.decode()
    assert "Refund through" not in page
    assert "Mark sent" in page
    response = seller.post(f"/dashboard/rajut/refunds/{refund.pk}/gateway/", follow=True)
    assert "send it by transfer and mark it sent" in response.content.decode()
