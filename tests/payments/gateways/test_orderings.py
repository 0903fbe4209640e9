"""Gateways deliver late, twice, and out of order: whatever the order of the news, a paid
transaction ends paid and credited once; one never paid ends unpaid."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Order
from payments.models import GatewayTransaction, Payment
from tests.factories import make_buyer, make_campaign, make_order
from tests.payments.gateways.conftest import midtrans_notification, pay_now, post_midtrans

NEWS = {
    "pending": "midtrans_va_pending.json",
    "settlement": "midtrans_qris_settlement.json",
    "expire": "midtrans_expire.json",
}


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    deliveries=st.lists(st.sampled_from(sorted(NEWS)), min_size=1, max_size=6),
)
def test_any_order_of_notifications_ends_in_the_right_state(
    client, gateway, midtrans_shop, deliveries
):
    # a campaign of its own per example: each takes a unit
    order = make_order(make_campaign(midtrans_shop), buyer=make_buyer())
    txn = pay_now(order)

    for news in deliveries:
        assert post_midtrans(client, midtrans_notification(txn, NEWS[news])).status_code == 200

    order.refresh_from_db()
    txn.refresh_from_db()
    payments = Payment.objects.filter(order=order)
    if "settlement" in deliveries:
        assert txn.status == GatewayTransaction.Status.PAID
        assert order.status == Order.Status.CONFIRMED
        assert payments.count() == 1
    else:
        assert order.status == Order.Status.PENDING
        assert not payments.exists()
        expected = "expired" if "expire" in deliveries else "pending"
        assert txn.status == expected
