"""The kode unik: among a shop's orders waiting for money no two expect the same amount, held by
the database, freed when an order stops waiting, widened rather than repeated (DESIGN.md, Money).
"""

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.exceptions import TransferCodesExhausted
from orders.models import Order, TransferAmount
from orders.services import transfer_codes
from orders.services.placing import expire_overdue
from orders.services.transitions import move_order
from payments.services.cancellations import cancel_order
from payments.services.decisions import finish_production, start_production
from payments.services.ledger import amount_paid, payment_due
from payments.services.payments import verify_payment
from tests.factories import make_campaign, make_order, past_deadline
from tests.orders.production import close_window, received
from tests.payments.conftest import send
from tests.support import page_text

S = Order.Status


@pytest.fixture
def tote(coded_shop):
    """Totes at Rp 150.000, Rp 75.000 down payment, no capacity limit."""
    return make_campaign(coded_shop, title="Tote", slug="tote", capacity=None, min_quantity=1)


def live(order: Order) -> TransferAmount:
    return order.transfer_amounts.get(released_at__isnull=True)


def live_amounts(shop) -> list[Decimal]:
    return list(
        TransferAmount.objects.filter(shop=shop, released_at__isnull=True).values_list(
            "amount", flat=True
        )
    )


@pytest.mark.django_db
def test_a_hundred_orders_of_one_price_each_expect_their_own_amount(coded_shop, tote):
    # given a second campaign of the same shop at the same price
    scarf = make_campaign(coded_shop, title="Scarf", slug="scarf", capacity=None)

    # when a hundred buyers order one unit each, from either campaign
    orders = [make_order(tote if n % 2 else scarf) for n in range(100)]

    # then each is asked for its down payment plus a code of 1–999, and no two amounts are equal
    amounts = live_amounts(coded_shop)
    assert len(amounts) == len(set(amounts)) == 100
    for order in orders:
        claim = live(order)
        assert 1 <= order.transfer_code <= 999
        assert claim.code == order.transfer_code
        assert claim.amount == order.deposit_amount + order.transfer_code
        assert payment_due(order, paid=Decimal(0)).to_send == claim.amount


@pytest.mark.django_db
def test_when_the_codes_of_an_amount_run_out_the_range_widens_and_then_orders_are_refused(
    tote, monkeypatch
):
    # given ranges of 1–2, then 1–4 (999 and 4,999 in life)
    monkeypatch.setattr(transfer_codes, "TRANSFER_CODE_RANGES", (2, 4))

    # when five buyers order the same tote
    first = [make_order(tote) for _ in range(2)]
    widened = [make_order(tote) for _ in range(2)]

    # then the first two take 1 and 2, the next two 3 and 4: never a repeat
    assert {order.transfer_code for order in first} == {1, 2}
    assert {order.transfer_code for order in widened} == {3, 4}
    # and the fifth is refused with a sentence rather than given a shared amount
    with pytest.raises(TransferCodesExhausted) as refusal:
        make_order(tote)
    assert "no unique transfer code is left" in str(refusal.value.message)
    assert Order.objects.filter(campaign=tote).count() == 4
    tote.refresh_from_db()
    assert tote.reserved == 4


@pytest.mark.django_db
def test_a_code_is_free_again_once_its_order_is_paid_expired_or_cancelled(tote, monkeypatch):
    # given a single code per amount, held by a first buyer: a second is refused for now
    monkeypatch.setattr(transfer_codes, "TRANSFER_CODE_RANGES", (1,))
    owner = tote.shop.owner
    paid = make_order(tote)
    with pytest.raises(TransferCodesExhausted):
        make_order(tote)

    # when its deposit arrives, the next buyer can take the code
    received(paid, paid.deposit_amount + 1)
    move_order(order=paid, to=S.CONFIRMED)
    expired = make_order(tote)
    assert expired.transfer_code == 1
    assert live(expired).amount == paid.deposit_amount + 1
    assert paid.transfer_amounts.get().released_at is not None

    # when that one expires, and the next is cancelled, each frees it for the next
    past_deadline(expired)
    assert expire_overdue(now=timezone.now()) == 1
    cancelled = make_order(tote)
    cancel_order(order=cancelled, actor=owner, reason="Changed my mind")
    last = make_order(tote)

    # then every order had the same amount, one at a time, never two at once
    assert last.transfer_code == 1
    assert live_amounts(tote.shop) == [last.deposit_amount + 1]
    assert TransferAmount.objects.filter(shop=tote.shop).count() == 4


@pytest.mark.django_db
def test_the_database_refuses_two_waiting_orders_expecting_the_same_amount(tote):
    # given one order waiting for its amount
    first = make_order(tote)
    claim = live(first)
    other = make_order(tote)
    TransferAmount.objects.filter(order=other).delete()

    # when code (or an admin) stores the same amount for another order of the shop
    with pytest.raises(IntegrityError), transaction.atomic():
        TransferAmount.objects.create(
            shop=tote.shop, order=other, kind="deposit", amount=claim.amount, code=claim.code
        )
    # but once the first stops waiting, the amount is free for another order
    move_order(order=first, to=S.CANCELLED)
    TransferAmount.objects.create(
        shop=tote.shop, order=other, kind="deposit", amount=claim.amount, code=claim.code
    )


@pytest.mark.django_db
def test_a_shop_without_codes_asks_for_the_plain_amount(shop):
    # given a shop that does not add codes
    campaign = make_campaign(shop, capacity=None)

    # when two buyers order the same thing
    orders = [make_order(campaign) for _ in range(2)]

    # then both are asked for the down payment itself (the order code tells them apart)
    for order in orders:
        assert order.transfer_code == 0
        assert live(order).amount == order.deposit_amount == Decimal(75000)


@pytest.mark.django_db
def test_the_balance_gets_its_own_amount_when_it_falls_due(tote):
    # given two orders whose deposit was received, one with Rp 1 more than asked
    orders = []
    for extra in (0, 1):
        order = make_order(tote)
        received(order, order.deposit_amount + extra)
        move_order(order=order, to=S.CONFIRMED)
        orders.append(order)
    close_window(tote)
    start_production(campaign=tote, actor=None)

    # when production finishes
    finish_production(campaign=tote, actor=None)

    # then each balance is waited for at its own unique amount: what is owed plus a code
    amounts = set()
    for order in orders:
        order.refresh_from_db()
        claim = live(order)
        owed = order.subtotal - amount_paid(order)
        assert claim.kind == TransferAmount.Kind.BALANCE
        assert claim.amount == owed + claim.code == owed + order.transfer_code
        amounts.add(claim.amount)
    assert len(amounts) == 2


@pytest.mark.django_db
def test_a_part_payment_leaves_a_new_exact_amount_for_the_rest(tote):
    # given a buyer who sent only Rp 50.000 of the Rp 75.000 down payment
    order = make_order(tote)
    before = live(order)
    payment = send(order, "50000")

    # when the seller verifies it
    verify_payment(payment=payment, amount_received=Decimal(50000), actor=tote.shop.owner)

    # then the rest is waited for at its own exact amount, and the old one is released
    order.refresh_from_db()
    rest = live(order)
    assert rest.amount == Decimal(25000) + rest.code
    assert payment_due(order, paid=amount_paid(order)).to_send == rest.amount
    before.refresh_from_db()
    assert before.released_at is not None


@pytest.mark.django_db
def test_the_po_terms_say_how_the_unique_code_works(client, tote):
    # when a buyer reads the campaign page of a shop that adds codes
    text = page_text(client.get(tote.get_absolute_url()))
    # then the PO terms say the rule, widening included
    assert "Each transfer adds its own unique code (kode unik)" in text
    assert "up to 4,999 and then 9,999" in text


@pytest.mark.django_db
def test_orders_waiting_before_the_upgrade_get_their_amounts_without_a_clash(tote):
    # given orders placed before transfer amounts existed: two drew the same code by chance,
    # and a third waits for its balance with Rp 76.000 paid
    first, second, third = (make_order(tote) for _ in range(3))
    received(third, third.deposit_amount + 1000)
    for status in (S.CONFIRMED, S.IN_PRODUCTION, S.AWAITING_BALANCE):
        move_order(order=third, to=status)
    TransferAmount.objects.all().delete()
    Order.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(transfer_code=7)

    # when the migration runs
    migration = import_module("payments.migrations.0006_transfer_amounts_for_waiting_orders")
    migration.claim_for_waiting_orders(django_apps, None)

    # then the older of the two keeps the amount its buyer was told, the younger is left to be
    # matched by its order code, and the balance waits for what is left plus the code
    assert live(first).amount == Decimal(75007)
    assert not second.transfer_amounts.exists()
    claim = live(third)
    assert (claim.kind, claim.amount) == ("balance", Decimal(74007))
