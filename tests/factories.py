"""Small builders named after the situation a test needs; no factory library required."""

import itertools
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign, Shop, Variant
from orders import tally
from orders.models import Order, OrderLine
from orders.services.placing import Buyer, LineRequest, place_order
from orders.services.transitions import move_order
from payments.models import Payment

_seq = itertools.count(1)


def make_user(**fields):
    n = next(_seq)
    fields.setdefault("username", f"seller{n}")
    fields.setdefault("email", f"seller{n}@example.com")
    return get_user_model().objects.create_user(password="pw-for-tests-only", **fields)


def make_shop(**fields) -> Shop:
    n = next(_seq)
    owner = fields.pop("owner", None) or make_user()
    fields.setdefault("name", f"Shop {n}")
    fields.setdefault("slug", f"shop-{n}")
    shop = Shop.objects.create(owner=owner, **fields)
    shop.members.add(owner, through_defaults={"role": "owner"})
    return shop


def make_campaign(shop: Shop | None = None, *, variants=None, **fields) -> Campaign:
    """A published campaign, open now, with one variant at Rp 150.000 unless told otherwise."""
    now = timezone.now()
    n = next(_seq)
    fields.setdefault("title", f"Campaign {n}")
    fields.setdefault("slug", f"campaign-{n}")
    fields.setdefault("status", Campaign.Status.PUBLISHED)
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("closes_at", now + timedelta(days=7))
    fields.setdefault("min_quantity", 10)
    fields.setdefault("production_days", 14)
    campaign = Campaign.objects.create(shop=shop or make_shop(), **fields)
    for position, spec in enumerate(variants or [{"name": "Standard", "price": "150000"}]):
        spec = dict(spec)
        spec["price"] = Decimal(spec["price"])
        Variant.objects.create(campaign=campaign, position=position, **spec)
    return campaign


def make_buyer(n: int | None = None, **fields) -> Buyer:
    n = next(_seq) if n is None else n
    fields.setdefault("name", f"Buyer {n}")
    fields.setdefault("phone", f"+62812{n:08d}")
    fields.setdefault("email", f"buyer{n}@example.com")
    fields.setdefault("address", f"Jl. Contoh {n}, Jakarta")
    return Buyer(**fields)


def make_order(campaign: Campaign, *, quantity: int = 1, note: str = "", buyer=None, **kwargs):
    variant = kwargs.pop("variant", None) or campaign.variants.first()
    return place_order(
        campaign=campaign,
        lines=[LineRequest(variant.pk, quantity, note)],
        buyer=buyer or make_buyer(),
        idempotency_key=kwargs.pop("idempotency_key", f"key-{next(_seq):012d}"),
        **kwargs,
    )


def make_many_orders(
    campaign: Campaign, count: int, *, status: str = "pending", start: int = 0
) -> None:
    """`count` one-unit orders written in bulk (fast enough for 5,000), counters and running
    totals kept honest.

    The orders are spread over the campaign's first days, one line each on the first variant.
    """
    variant = campaign.variants.first()
    orders = Order.objects.bulk_create(
        Order(
            campaign=campaign,
            idempotency_key=f"bulk-{campaign.pk}-{n}",
            status=status,
            buyer_name=f"Buyer {n}",
            buyer_phone=f"+62812{n:08d}",
            buyer_email=f"buyer{n}@example.com",
            shipping_address=f"Jl. Contoh {n}",
            currency="IDR",
            subtotal=variant.price,
            deposit_amount=variant.price / 2,
            balance_amount=variant.price / 2,
            deposit_due_at=campaign.opens_at + timedelta(hours=24),
            created_at=campaign.opens_at + timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )
    if orders[0].pk is None:  # backends that do not return ids from bulk inserts
        keys = [order.idempotency_key for order in orders]
        orders = list(Order.objects.filter(campaign=campaign, idempotency_key__in=keys))
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant=variant,
            variant_name=variant.name,
            unit_price=variant.price,
            quantity=1,
            note="Green, “ANDI”",
        )
        for order in orders
    )
    if status in Order.ACTIVE:
        Campaign.objects.filter(pk=campaign.pk).update(reserved=F("reserved") + count)
        Variant.objects.filter(pk=variant.pk).update(reserved=F("reserved") + count)
    tally.recount([campaign.pk])


def past_deadline(order: Order, *, by: timedelta = timedelta(minutes=1)) -> Order:
    """The order's deposit deadline passed `by` ago, with no deposit verified."""
    Order.objects.filter(pk=order.pk).update(deposit_due_at=timezone.now() - by)
    order.refresh_from_db()
    return order


def deposit_due_in(order: Order, delta: timedelta) -> Order:
    """The order's deposit is due `delta` from now, placed the usual 24 hours before that."""
    due = timezone.now() + delta
    Order.objects.filter(pk=order.pk).update(
        deposit_due_at=due, created_at=due - timedelta(hours=24)
    )
    order.refresh_from_db()
    return order


def balance_due_in(order: Order, delta: timedelta) -> Order:
    """Deposit in and production done (moved through the one door): the balance is due
    `delta` from now."""
    for status in (
        Order.Status.CONFIRMED,
        Order.Status.IN_PRODUCTION,
        Order.Status.AWAITING_BALANCE,
    ):
        move_order(order=order, to=status)
    Order.objects.filter(pk=order.pk).update(balance_due_at=timezone.now() + delta)
    order.refresh_from_db()
    return order


def payment_in_review(order: Order, *, kind: str = "deposit") -> Payment:
    """A proof the buyer sent, waiting for the seller (written directly: no picture needed)."""
    return Payment.objects.create(
        order=order,
        kind=kind,
        amount=order.deposit_amount if kind == "deposit" else order.balance_amount,
        sender_name=order.buyer_name,
        sender_bank="BCA",
        proof="proofs/none.webp",
    )


def count_queries(client, url) -> int:
    """How many queries one GET of `url` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def jakarta_noon(days_from_today: int) -> datetime:
    """Midday in Jakarta, where the UTC and the local dates agree."""
    jakarta = ZoneInfo("Asia/Jakarta")
    day = timezone.localdate(timezone=jakarta) + timedelta(days=days_from_today)
    return datetime.combine(day, time(12, 0), tzinfo=jakarta)
