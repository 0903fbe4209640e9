"""Fixtures for the payment loop: orders waiting for money, the shop's team, proof files, and three
buyers of a campaign that missed its minimum."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order
from orders.services.transitions import move_order
from payments.models import Payment, PaymentAccount
from payments.services.payments import submit_payment, verify_payment
from tests.factories import make_buyer, make_order, make_shop
from tests.payments.pictures import proof_jpeg

NOTE = "Green, “SARI”"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Proofs (and any public media) go under this test's own folder, never var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def owner(shop):
    return shop.owner


@pytest.fixture
def bank_account(shop):
    return PaymentAccount.objects.create(
        shop=shop, provider="BCA", number="1234567890", holder="Rajut Test"
    )


@pytest.fixture
def pending_order(open_campaign) -> Order:
    """One Green tote (Rp 150.000): Rp 75.000 down payment due, no unique code."""
    return make_order(open_campaign, note=NOTE)


@pytest.fixture
def coded_order(open_campaign) -> Order:
    """As pending_order, in a shop that adds unique codes: 123 on every transfer of this one."""
    shop = open_campaign.shop
    shop.unique_codes = True
    shop.save()
    order = make_order(open_campaign, note=NOTE)
    Order.objects.filter(pk=order.pk).update(transfer_code=123)
    order.transfer_amounts.update(code=123, amount=order.deposit_amount + 123)
    order.refresh_from_db()
    return order


def send(order: Order, amount, **fields) -> Payment:
    """The buyer sends a proof for `amount`."""
    fields.setdefault("sender_name", "Sari Wulandari")
    fields.setdefault("sender_bank", "BCA")
    fields.setdefault("proof_upload", proof_jpeg())
    return submit_payment(order=order, amount=Decimal(amount), **fields)


def awaiting_balance(order: Order, actor) -> Order:
    """The deposit verified, production done: the order now waits for its balance."""
    payment = send(order, order.deposit_amount + order.transfer_code)
    verify_payment(
        payment=payment, amount_received=order.deposit_amount + order.transfer_code, actor=actor
    )
    move_order(order=order, to=Order.Status.IN_PRODUCTION, actor=actor)
    move_order(order=order, to=Order.Status.AWAITING_BALANCE, actor=actor)
    order.refresh_from_db()
    return order


@pytest.fixture
def stranger_shop_member(db):
    """Somebody with a shop of their own, but not this one."""
    return make_shop(name="Other shop", slug="other").owner


def order_for(campaign: Campaign, n: int, *, paid: int = 0, owner=None) -> Order:
    """Buyer n's one Green tote, with `paid` of its Rp 75.000 deposit received."""
    order = make_order(campaign, note=NOTE, buyer=make_buyer(n))
    if paid:
        verify_payment(payment=send(order, str(paid)), amount_received=Decimal(paid), actor=owner)
        order.refresh_from_db()
    return order


def close(campaign: Campaign) -> Campaign:
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def orders(open_campaign, owner) -> dict[str, Order]:
    """Three buyers of the tote PO (minimum 5): Ani confirmed, Budi part-paid, Citra unpaid."""
    return {
        "ani": order_for(open_campaign, 1, paid=75000, owner=owner),
        "budi": order_for(open_campaign, 2, paid=30000, owner=owner),
        "citra": order_for(open_campaign, 3),
    }


@pytest.fixture
def missed_minimum(open_campaign, orders) -> Campaign:
    """The window closed with 1 unit confirmed of the 5 needed."""
    return close(open_campaign)
