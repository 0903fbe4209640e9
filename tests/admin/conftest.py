"""The admin tests' world: staff logged in, a placed order, a cancelled one with its refund, and one
of everything staff can open."""

from decimal import Decimal

import pytest

from campaigns.models import Vendor, VendorQuote
from payments.models import PaymentAccount
from payments.services.cancellations import cancel_order
from payments.services.payments import verify_payment
from tests.factories import make_order, payment_in_review


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-staff")
    client.force_login(staff)
    return client


@pytest.fixture
def placed_order(open_campaign):
    PaymentAccount.objects.create(
        shop=open_campaign.shop, provider="BCA", number="123", holder="Rajut"
    )
    return make_order(open_campaign, quantity=2, note="Red, “SARI”")


@pytest.fixture
def cancelled_with_refund(open_campaign, django_user_model):
    """An order whose deposit was verified, then cancelled: a refund waits to be sent."""
    order = make_order(open_campaign, quantity=1, note="Navy, “DIAN”")
    verify_payment(
        payment=payment_in_review(order), amount_received=order.deposit_amount, actor=None
    )
    cancel_order(order=order, actor=None, reason="Changed my mind")
    return order


@pytest.fixture
def everything(placed_order, cancelled_with_refund):
    """One of each thing staff can open: a pending order with a payment in review, a cancelled
    one with a refund, a vendor quote and a campaign event."""
    payment_in_review(placed_order)
    campaign = placed_order.campaign
    vendor = Vendor.objects.create(shop=campaign.shop, name="Konveksi")
    VendorQuote.objects.create(
        campaign=campaign, vendor=vendor, unit_cost=Decimal(70_000), lead_time_days=21
    )
    return placed_order
