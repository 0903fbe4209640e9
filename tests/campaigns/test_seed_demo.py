"""`manage.py seed_demo`: the demo a newcomer opens after `make run`."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from campaigns.models import Campaign, CampaignImage, Shop, Variant
from orders.models import Order, OrderEvent, OrderLine
from payments.models import Payment, PaymentAccount, Refund
from payments.services.ledger import amount_paid

MODELS = [
    get_user_model(),
    Shop,
    Campaign,
    Variant,
    CampaignImage,
    PaymentAccount,
    Order,
    OrderLine,
    OrderEvent,
    Payment,
    Refund,
]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db, settings, tmp_path):
    # The demo draws its photos; keep them out of the real media folder.
    settings.MEDIA_ROOT = tmp_path
    return seed()


def active_units(**filters) -> int:
    lines = OrderLine.objects.filter(order__status__in=Order.ACTIVE, **filters)
    return lines.aggregate(units=Sum("quantity"))["units"] or 0


def test_seeding_twice_changes_nothing_the_second_time(seeded):
    # given the demo is there
    after_first = counts()

    # when it is seeded again
    output = seed()

    # then
    assert counts() == after_first
    assert "Demo seller login: demo /" in seeded
    assert "Demo seller login: demo /" in output


def test_the_printed_seller_login_opens_the_demo_shop(client, seeded):
    # given the login the command printed
    line = next(row for row in seeded.splitlines() if row.startswith("Demo seller login:"))
    username, password = line.removeprefix("Demo seller login:").strip().split(" / ")

    # then it logs in, as a member of the demo shop
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    assert Shop.objects.filter(slug="demo", members__username=username).exists()


def test_demo_has_an_open_an_upcoming_and_a_closed_campaign(seeded):
    # given
    campaigns = {c.phase: c for c in Campaign.objects.filter(shop__slug="demo")}

    # then an open one with variants, photos and orders
    open_campaign = campaigns[Campaign.Phase.OPEN]
    assert open_campaign.variants.count() >= 2
    assert open_campaign.images.count() >= 1
    assert open_campaign.orders.count() >= 1

    # and one that opens later
    assert Campaign.Phase.SCHEDULED in campaigns

    # and a closed one whose confirmed units reach its minimum
    closed = campaigns[Campaign.Phase.CLOSED]
    confirmed = OrderLine.objects.filter(
        order__campaign=closed, order__status=Order.Status.CONFIRMED
    ).aggregate(units=Sum("quantity"))["units"]
    assert confirmed >= closed.min_quantity


def test_demo_counters_match_the_orders_that_hold_units(seeded):
    for campaign in Campaign.objects.filter(shop__slug="demo"):
        assert campaign.reserved == active_units(order__campaign=campaign), campaign.title
        for variant in campaign.variants.all():
            assert variant.reserved == active_units(variant=variant), variant.name


def test_demo_pages_open(client, seeded):
    # given
    open_campaign = next(c for c in Campaign.objects.all() if c.phase == Campaign.Phase.OPEN)

    # then the pages `make run` points at answer
    assert client.get("/demo/").status_code == 200
    assert client.get(open_campaign.get_absolute_url()).status_code == 200
    order = open_campaign.orders.first()
    assert client.get(order.get_absolute_url()).status_code == 200


def test_demo_has_a_campaign_in_every_phase_of_its_life(seeded):
    # given
    campaigns = {c.phase: c for c in Campaign.objects.filter(shop__slug="demo")}
    P, S = Campaign.Phase, Order.Status

    # then each phase a newcomer should see is there
    for phase in [P.SCHEDULED, P.OPEN, P.CLOSED, P.IN_PRODUCTION, P.READY, P.SHIPPING]:
        assert phase in campaigns, phase
    assert {P.COMPLETED, P.FAILED} <= campaigns.keys()

    def statuses(phase):
        return set(campaigns[phase].orders.values_list("status", flat=True))

    # with orders where that phase puts them
    assert statuses(P.IN_PRODUCTION) == {S.IN_PRODUCTION}
    assert statuses(P.READY) == {S.AWAITING_BALANCE, S.PAID}
    assert statuses(P.SHIPPING) == {S.SHIPPED, S.PAID}
    assert statuses(P.COMPLETED) == {S.COMPLETED}
    assert statuses(P.FAILED) == {S.CANCELLED}
    shipped = campaigns[P.SHIPPING].orders.filter(status=S.SHIPPED)
    assert all(order.tracking_number for order in shipped)
    # and the failed one has refunds both still to send and already sent
    refunds = Refund.objects.filter(order__campaign=campaigns[P.FAILED])
    assert set(refunds.values_list("status", flat=True)) == {
        Refund.Status.PENDING,
        Refund.Status.SENT,
    }


def test_demo_ledgers_add_up(seeded):
    for order in Order.objects.filter(campaign__shop__slug="demo"):
        paid = amount_paid(order)
        refunded = order.refunds.aggregate(total=Sum("amount"))["total"] or 0
        verified = (
            order.payments.filter(status=Payment.Status.VERIFIED).aggregate(
                total=Sum("amount_received")
            )["total"]
            or 0
        )
        assert paid >= 0, order.code
        assert refunded <= verified, order.code
        if order.status in Order.PAID_IN_FULL:
            assert paid >= order.subtotal, order.code


def test_demo_history_is_dated_when_each_step_happened(seeded):
    # given the cap: its window closed weeks ago, then production ran, then it finished
    cap = Campaign.objects.get(slug="embroidered-cap")
    events = list(cap.events.order_by("created_at").values_list("created_at", "to_status"))
    started = next(when for when, status in events if status == Campaign.Status.IN_PRODUCTION)
    finished = next(when for when, status in events if status == Campaign.Status.READY)

    # then each is dated when it happened, in order, not all "just now"
    assert cap.closes_at < started < finished
    assert (finished - started).days >= 14
    order = cap.orders.order_by("created_at").first()
    placed, *later = order.events.order_by("created_at").values_list("created_at", flat=True)
    assert placed == order.created_at < cap.closes_at
    assert sorted(later) == later and finished in later


def test_demo_speaks_the_shops_language(seeded):
    # the demo shop is Indonesian: its buyers ordered in Indonesian, its timeline reads so there
    orders = Order.objects.filter(campaign__shop__slug="demo")
    assert set(orders.values_list("language", flat=True)) == {"id"}
    cap = Campaign.objects.get(slug="embroidered-cap")
    assert cap.title == "Topi bordir"
    with translation.override("id"):
        assert any(
            str(event.note).startswith("Kuota minimum tercapai") for event in cap.events.all()
        )
