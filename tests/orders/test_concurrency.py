"""Many buyers at the same second, on real PostgreSQL connections: nobody oversells.

DESIGN.md, "Stock: never oversell".
"""

from collections import Counter

import pytest
from django.db.models import Sum

from campaigns.models import Campaign, Variant
from orders.exceptions import CampaignNotOpen, LimitExceeded, OrderRefused, SoldOut
from orders.models import Order, OrderLine, TransferAmount
from orders.services.placing import LineRequest, place_order
from tests.factories import make_buyer, make_campaign
from tests.support import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOTE = "Green, “SARI”"


def buyers(count: int, order_for) -> list:
    """`count` buyers at once: each loads the campaign on its own connection before the start
    line, as a request would, then places its order."""
    return race(count, lambda i, place: place(), setup=order_for)


def one_green(campaign_pk: int, *, buyer, key: str):
    """Load the campaign as a fresh request would; return the call that places the order."""
    campaign = Campaign.objects.select_related("shop").get(pk=campaign_pk)
    green = campaign.variants.get(name="Green")
    return lambda: place_order(
        campaign=campaign,
        lines=[LineRequest(green.pk, 1, NOTE)],
        buyer=buyer,
        idempotency_key=key,
    )


def test_last_unit_goes_to_exactly_one_of_sixty_buyers(open_campaign):
    # given a PO of 10 units and 60 buyers pressing "Order" at the same moment
    # when each asks for one Green tote
    results = buyers(
        60,
        lambda i: one_green(open_campaign.pk, buyer=make_buyer(5000 + i), key=f"buyer-{i}"),
    )
    # then exactly 10 orders went through, one unit each
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if not isinstance(r, Order)]
    assert len(placed) == 10
    assert Order.objects.filter(campaign=open_campaign).count() == 10
    assert len({o.buyer_phone for o in placed}) == 10
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 10
    assert Variant.objects.get(campaign=open_campaign, name="Green").reserved == 10
    # and the other 50 were told it is sold out, not shown an error
    assert len(refused) == 50
    for refusal in refused:
        assert isinstance(refusal, SoldOut | CampaignNotOpen), repr(refusal)
        assert "sold out" in str(refusal.message).lower()


def test_a_buyer_racing_themselves_gets_no_more_than_their_cap(shop):
    # given a PO allowing 2 units per buyer
    campaign = make_campaign(
        shop, capacity=50, max_per_buyer=2, variants=[{"name": "Green", "price": "150000"}]
    )
    sari = make_buyer(1)
    # when Sari sends 30 separate orders of one unit at the same moment
    results = buyers(30, lambda i: one_green(campaign.pk, buyer=sari, key=f"sari-{i}"))
    # then she holds exactly 2 units, and the rest were refused by the cap
    held = OrderLine.objects.filter(order__campaign=campaign, order__buyer_phone=sari.phone)
    assert held.aggregate(units=Sum("quantity"))["units"] == 2
    assert sum(isinstance(r, Order) for r in results) == 2
    refusals = [r for r in results if not isinstance(r, Order)]
    assert all(isinstance(r, LimitExceeded) for r in refusals), refusals
    campaign.refresh_from_db()
    assert campaign.reserved == 2


def test_twenty_taps_of_one_order_form_make_one_order(open_campaign):
    # given Sari's order form, sent 20 times at once (a flaky connection and an impatient thumb)
    sari = make_buyer(1)
    # when every request carries the same key
    results = buyers(20, lambda i: one_green(open_campaign.pk, buyer=sari, key="sari-form"))
    # then there is one order, every tap answered with it, and one unit taken
    assert all(isinstance(r, Order) for r in results), [
        r for r in results if not isinstance(r, Order)
    ]
    assert len({r.pk for r in results}) == 1
    assert Order.objects.filter(campaign=open_campaign).count() == 1
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 1


def test_taps_on_the_last_unit_all_get_the_order_not_sold_out(shop):
    # given a PO with one unit left
    campaign = make_campaign(shop, capacity=1, variants=[{"name": "Green", "price": "150000"}])
    sari = make_buyer(1)
    # when Sari's form is sent 20 times at once
    results = buyers(20, lambda i: one_green(campaign.pk, buyer=sari, key="sari-form"))
    # then every tap shows her the order she got, none says her own unit is sold out
    outcomes = Counter(type(r).__name__ for r in results)
    assert all(isinstance(r, Order) for r in results), outcomes
    assert len({r.pk for r in results}) == 1
    assert not any(isinstance(r, OrderRefused) for r in results)
    campaign.refresh_from_db()
    assert campaign.reserved == 1


def test_two_hundred_orders_of_one_price_at_once_each_expect_their_own_amount(shop):
    # given a shop that adds a kode unik, and four open campaigns selling at the same price (the
    # campaigns' own row locks do not line their orders up: the transfer amounts must hold)
    shop.unique_codes = True
    shop.save()
    campaigns = [
        make_campaign(shop, capacity=None, variants=[{"name": "Green", "price": "150000"}])
        for _ in range(4)
    ]

    # when 200 orders arrive together, from 40 connections at once (the server's connections are
    # shared; 40 in flight is more contention than any shop sees)
    def place_five(i: int) -> list:
        placed = []
        for n in range(5):
            place = one_green(
                campaigns[(i + n) % 4].pk, buyer=make_buyer(7000 + i * 5 + n), key=f"b-{i}-{n}"
            )
            placed.append(place())
        return placed

    results = race(40, place_five)

    # then all 200 were placed, and every expected amount is different
    assert not [r for r in results if isinstance(r, Exception)], results
    waiting = TransferAmount.objects.filter(shop=shop, released_at__isnull=True)
    amounts = [claim.amount for claim in waiting]
    assert len(amounts) == len(set(amounts)) == 200
    for order in Order.objects.filter(campaign__shop=shop).prefetch_related("transfer_amounts"):
        (claim,) = order.transfer_amounts.all()
        assert claim.amount == order.deposit_amount + order.transfer_code
        assert 1 <= order.transfer_code <= 999
