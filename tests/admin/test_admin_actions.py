"""The admin's actions run the same services as the dashboard, with staff as the actor: verify,
cancel and refund, ship."""

from django.contrib.messages import get_messages
from django.urls import reverse

from campaigns.models import Campaign
from orders.models import Order, OrderEvent
from payments.models import Payment, Refund
from payments.services.payments import verify_payment
from tests.factories import make_campaign, make_order, payment_in_review
from tests.orders.production import paid_orders


def run_action(client, model, action, objects):
    return client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_verifying_a_payment_confirms_the_order_with_staff_as_the_actor(staff_client, placed_order):
    # given a deposit waiting for review
    payment = payment_in_review(placed_order)
    # when staff verifies it from the payments list
    response = run_action(staff_client, "payments_payment", "verify_as_sent", [payment])
    # then the order is confirmed, and the timeline says who did it
    assert response.status_code == 200
    payment.refresh_from_db()
    placed_order.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    assert payment.amount_received == payment.amount
    assert placed_order.status == Order.Status.CONFIRMED
    move = placed_order.events.get(to_status=Order.Status.CONFIRMED)
    assert move.actor.username == "staff"
    assert texts(response) == ["1 payment verified."]


def test_verifying_a_reviewed_payment_is_refused_with_a_message(staff_client, placed_order):
    # given a payment already verified, and one waiting
    done = payment_in_review(placed_order)
    verify_payment(payment=done, amount_received=done.amount, actor=None)
    events = OrderEvent.objects.count()
    # when staff verifies it again
    response = run_action(staff_client, "payments_payment", "verify_as_sent", [done])
    # then it says why, and nothing changed
    assert response.status_code == 200
    assert texts(response) == [
        f"Payment {done.pk} of order {placed_order.code}: This payment has already been reviewed."
    ]
    done.refresh_from_db()
    assert done.reviewed_by is None
    assert OrderEvent.objects.count() == events


def test_cancelling_orders_refunds_what_they_paid(staff_client, placed_order, open_campaign):
    # given a confirmed order (deposit verified) and a pending one
    paid = make_order(open_campaign, quantity=1, note="x")
    payment = payment_in_review(paid)
    verify_payment(payment=payment, amount_received=payment.amount, actor=None)
    reserved = Campaign.objects.get(pk=open_campaign.pk).reserved
    # when staff cancels both
    response = run_action(staff_client, "orders_order", "cancel_and_refund", [paid, placed_order])
    # then both are cancelled, units are back, and the paid one has a refund to send
    paid.refresh_from_db()
    placed_order.refresh_from_db()
    assert paid.status == placed_order.status == Order.Status.CANCELLED
    assert Campaign.objects.get(pk=open_campaign.pk).reserved == reserved - 3
    refund = Refund.objects.get(order=paid)
    assert refund.status == Refund.Status.PENDING
    assert refund.amount == payment.amount
    assert not Refund.objects.filter(order=placed_order).exists()
    cancelled = paid.events.get(to_status=Order.Status.CANCELLED)
    assert cancelled.actor.username == "staff"
    assert texts(response) == ["2 orders cancelled; 1 refund is on the refunds list, to send."]


def test_cancelling_an_order_that_cannot_be_is_refused_and_changes_nothing(
    staff_client, cancelled_with_refund, placed_order
):
    # given one order already cancelled (with its refund) and one that can be
    events = cancelled_with_refund.events.count()
    # when staff cancels both
    response = run_action(
        staff_client, "orders_order", "cancel_and_refund", [cancelled_with_refund, placed_order]
    )
    # then the cancelled one is refused by name, the other is cancelled
    messages = texts(response)
    assert messages[0].startswith(f"{cancelled_with_refund.code}: ")
    assert messages[1].startswith("1 order cancelled")
    assert cancelled_with_refund.refunds.count() == 1
    assert cancelled_with_refund.events.count() == events
    placed_order.refresh_from_db()
    assert placed_order.status == Order.Status.CANCELLED


def test_staff_ship_orders_with_their_tracking_numbers_through_the_shipping_service(
    staff_client, shop
):
    # given a paid order ready to ship and one still waiting for its deposit
    pins = make_campaign(shop, capacity=None, min_quantity=1, deposit_rule="full")
    pending = make_order(pins)
    (paid,) = paid_orders(pins, 1)
    url = reverse("admin:orders_order_changelist")
    selected = {"action": "ship", "_selected_action": [paid.pk, pending.pk]}

    # when staff choose the action, they are asked each order's carrier and tracking number
    asked = staff_client.post(url, selected)
    assert asked.status_code == 200
    assert f"tracking-{paid.pk}" in asked.content.decode()
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID

    # and when they give them
    response = staff_client.post(
        url,
        {**selected, "apply": "1", f"carrier-{paid.pk}": "JNE", f"tracking-{paid.pk}": "JX123"},
        follow=True,
    )

    # then the paid order is shipped by the service, with staff as the actor
    paid.refresh_from_db()
    assert (paid.status, paid.carrier, paid.tracking_number) == ("shipped", "JNE", "JX123")
    assert paid.events.last().actor.username == "staff"
    # and the pending one is named, not shipped, not a crash
    page = response.content.decode()
    assert pending.code in page and "1 order marked shipped." in page
    assert Order.objects.get(pk=pending.pk).status == Order.Status.PENDING
