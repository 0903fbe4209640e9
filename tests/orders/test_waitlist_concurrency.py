"""Units that come back while the public page and the waiting list both want them, on real
PostgreSQL connections: every unit is sold exactly once, and the list is served first.

Issue #16, "no unit is ever sold twice between the waiting list and the public page".
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from campaigns.models import Campaign, Variant
from orders.exceptions import CampaignNotOpen, SoldOut
from orders.models import Order, OrderLine, WaitlistEntry
from orders.services.placing import LineRequest, place_order
from orders.services.waitlist import join_waitlist
from payments.services.cancellations import cancel_order
from tests.factories import make_buyer, make_campaign, make_order
from tests.support import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAPACITY = 30
WAITING = 20
PUBLIC_BUYERS = 50
# Long enough for every thread to see the last unit go, short enough to fail a stuck test.
PATIENCE = 90.0
# Between tries: a buyer tapping again, not a busy loop starving the machine.
PAUSE = 0.1


def test_units_freed_while_50_buyers_and_20_waiting_list_offers_compete_are_sold_once(shop):
    # given a PO of 30 units, sold out to 30 pending orders, and 20 buyers on its waiting list
    campaign = make_campaign(
        shop, capacity=CAPACITY, min_quantity=1, variants=[{"name": "Tote", "price": "150000"}]
    )
    tote = campaign.variants.get()
    first_orders = [make_order(campaign, buyer=make_buyer(1000 + n)) for n in range(CAPACITY)]
    entries = []
    for n in range(WAITING):
        buyer = make_buyer(2000 + n)
        entry, _ = join_waitlist(
            campaign=campaign,
            variant_id=tote.pk,
            quantity=1,
            name=buyer.name,
            phone=buyer.phone,
            email=buyer.email,
            language="en",
        )
        entries.append(entry.pk)
    freed = threading.Event()
    cancelled = []

    def free_every_unit():
        # when every one of the 30 orders is cancelled, one after the other, while they race
        try:
            for order in first_orders:
                cancel_order(order=order, actor=None, reason="Changed my mind")
                cancelled.append(time.monotonic())
        finally:
            freed.set()
            connection.close()

    def public_buyer(i: int):
        """Try the public page until an order goes through, or until every unit came back and
        it is still sold out."""
        buyer = make_buyer(3000 + i)
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            done = freed.is_set()
            page = Campaign.objects.select_related("shop").get(pk=campaign.pk)
            try:
                return place_order(
                    campaign=page,
                    lines=[LineRequest(tote.pk, 1)],
                    buyer=buyer,
                    idempotency_key=f"public-{i}",
                )
            except (SoldOut, CampaignNotOpen) as refusal:
                if done:
                    return refusal
            time.sleep(PAUSE)
        return TimeoutError(f"public buyer {i}")

    def waiting_buyer(i: int):
        """Wait for the e-mail (the hold), then order from the private page."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            entry = WaitlistEntry.objects.select_related("campaign__shop").get(pk=entries[i])
            if entry.status == WaitlistEntry.Status.OFFERED:
                return place_order(
                    campaign=entry.campaign,
                    lines=[LineRequest(tote.pk, entry.held)],
                    buyer=make_buyer(2000 + i),
                    idempotency_key=f"offer-{i}",
                    offer=entry,
                )
            time.sleep(PAUSE)
        return TimeoutError(f"waiting buyer {i}")

    freer = threading.Thread(target=free_every_unit)

    def act(i: int):
        if i == 0:
            freer.start()
        if i < WAITING:
            return waiting_buyer(i)
        return public_buyer(i - WAITING)

    results = race(WAITING + PUBLIC_BUYERS, act)
    freer.join(timeout=PATIENCE)
    assert len(cancelled) == CAPACITY, f"only {len(cancelled)} orders were cancelled"

    # then every buyer on the list got their unit, before anybody from the public page
    offers, public = results[:WAITING], results[WAITING:]
    assert all(isinstance(r, Order) for r in offers), [
        r for r in offers if not isinstance(r, Order)
    ]
    assert WaitlistEntry.objects.filter(status=WaitlistEntry.Status.ORDERED).count() == WAITING
    # and the 10 units left went to exactly 10 public buyers; the other 40 were told sold out
    placed = [r for r in public if isinstance(r, Order)]
    refused = [r for r in public if not isinstance(r, Order)]
    assert len(placed) == CAPACITY - WAITING
    assert all(isinstance(r, SoldOut | CampaignNotOpen) for r in refused), refused
    # and every unit is sold exactly once: 30 active orders hold the 30 units, nothing held
    active = Order.objects.filter(campaign=campaign, status__in=Order.ACTIVE)
    assert active.count() == CAPACITY
    units = OrderLine.objects.filter(order__in=active).aggregate(n=Sum("quantity"))["n"]
    assert units == CAPACITY
    campaign.refresh_from_db()
    tote = Variant.objects.get(pk=tote.pk)
    assert (campaign.reserved, campaign.held) == (CAPACITY, 0)
    assert (tote.reserved, tote.held) == (CAPACITY, 0)
    call_command("check_integrity")
