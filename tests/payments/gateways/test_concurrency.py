"""The same notification delivered several times at the same moment (a gateway's retry racing
its first try, two app hosts), on real PostgreSQL connections: credited once."""

import json

import pytest
from django.test import Client

from orders.models import Order
from payments.models import GatewayNotification, Payment
from tests.payments.gateways.conftest import midtrans_notification, pay_now
from tests.support import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_deliveries_of_one_settlement_at_once_credit_once(
    gateway, midtrans_shop, open_campaign
):
    from tests.factories import make_order

    order = make_order(open_campaign, note="Green")
    txn = pay_now(order)
    body = json.dumps(midtrans_notification(txn))

    statuses = race(
        4,
        lambda i: (
            Client()
            .post("/payments/webhooks/midtrans/", data=body, content_type="application/json")
            .status_code
        ),
    )

    assert statuses == [200] * 4
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
    assert Payment.objects.filter(order=order).count() == 1
    outcomes = sorted(GatewayNotification.objects.values_list("outcome", flat=True))
    assert outcomes == ["credited", "ignored", "ignored", "ignored"]
