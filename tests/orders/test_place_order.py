"""place_order: what a buyer gets when the order goes through, and the same order however often
the form is sent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Campaign, Variant
from orders.exceptions import CampaignNotOpen, FormAlreadyUsed
from orders.models import Order, OrderEvent, OrderLine
from tests.factories import make_buyer, make_campaign, make_order
from tests.orders.placing import green, navy, order, reserved

pytestmark = pytest.mark.django_db


# --- a placed order --------------------------------------------------------------------------


def test_a_placed_order_snapshots_prices_and_splits_the_deposit(open_campaign):
    # given the tote PO with a 50% deposit, paid within 24 hours
    now = timezone.now()
    # when Sari orders two Green and one Navy
    placed = order(
        open_campaign,
        (green(open_campaign), 2, "  Green, “SARI”  "),
        (navy(open_campaign), 1, "Navy, “BUDI”\n"),
        buyer=make_buyer(1, email="Sari@Example.COM"),
        now=now,
    )
    # then she owes 2 x 150.000 + 165.000, half of it within a day
    placed.refresh_from_db()
    assert placed.status == Order.Status.PENDING
    assert placed.currency == "IDR"
    assert placed.subtotal == Decimal(465000)
    assert placed.deposit_amount == Decimal(232500)
    assert placed.balance_amount == Decimal(232500)
    assert placed.deposit_due_at == now + timedelta(hours=24)
    assert placed.created_at == now
    # and each line keeps its name, price and note (trimmed)
    assert [
        (ln.variant_name, ln.unit_price, ln.quantity, ln.note) for ln in placed.lines.all()
    ] == [
        ("Green", Decimal(150000), 2, "Green, “SARI”"),
        ("Navy", Decimal(165000), 1, "Navy, “BUDI”"),
    ]
    # and the buyer's details are kept, the email in lower case so it matches later
    assert placed.buyer_phone == "+6281200000001"
    assert placed.buyer_email == "sari@example.com"
    assert placed.units == 3


def test_later_price_changes_never_touch_a_placed_order(open_campaign):
    # given an order for one Green tote at Rp 150.000
    placed = order(open_campaign, (green(open_campaign), 1))
    # when the seller raises the price and renames the variant
    Variant.objects.filter(pk=green(open_campaign).pk).update(price=Decimal(200000), name="Olive")
    # then the order still says Green at Rp 150.000
    placed.refresh_from_db()
    line = placed.lines.get()
    assert (line.variant_name, line.unit_price) == ("Green", Decimal(150000))
    assert (placed.subtotal, placed.deposit_amount, placed.balance_amount) == (
        Decimal(150000),
        Decimal(75000),
        Decimal(75000),
    )


@pytest.mark.parametrize(
    ("rule", "value", "deposit", "balance"),
    [
        # 30% of 2 x 165.000 = 99.000
        ("percent", Decimal(30), Decimal(99000), Decimal(231000)),
        # Rp 50.000 per unit, two units
        ("fixed", Decimal(50000), Decimal(100000), Decimal(230000)),
        # a fixed deposit above the price is capped at the subtotal
        ("fixed", Decimal(200000), Decimal(330000), Decimal(0)),
        ("full", Decimal(0), Decimal(330000), Decimal(0)),
    ],
)
def test_the_deposit_follows_the_campaign_rule(shop, rule, value, deposit, balance):
    # given a campaign with this deposit rule
    campaign = make_campaign(
        shop, deposit_rule=rule, deposit_value=value, variants=[{"name": "Navy", "price": "165000"}]
    )
    # when a buyer orders two units
    placed = order(campaign, (navy(campaign), 2))
    # then the deposit and balance follow the rule and add up to the subtotal
    placed.refresh_from_db()
    assert placed.subtotal == Decimal(330000)
    assert (placed.deposit_amount, placed.balance_amount) == (deposit, balance)


def test_a_half_deposit_on_an_odd_price_rounds_half_up(shop):
    campaign = make_campaign(shop, variants=[{"name": "Odd", "price": "150001"}])
    placed = order(campaign, (campaign.variants.get(), 1))
    assert (placed.deposit_amount, placed.balance_amount) == (Decimal(75001), Decimal(75000))


def test_the_deposit_deadline_follows_the_campaign_hours(shop):
    campaign = make_campaign(shop, deposit_hours=48)
    now = timezone.now()
    placed = order(campaign, (campaign.variants.get(), 1), now=now)
    assert placed.deposit_due_at == now + timedelta(hours=48)


def test_placing_an_order_takes_units_from_the_campaign_and_each_variant(open_campaign):
    # when a buyer orders two Green and three Navy
    order(open_campaign, (green(open_campaign), 2), (navy(open_campaign), 3))
    # then the counters show it
    assert reserved(open_campaign) == 5
    assert reserved(green(open_campaign)) == 2
    assert reserved(navy(open_campaign)) == 3


def test_two_lines_of_the_same_variant_count_together(open_campaign):
    order(open_campaign, (navy(open_campaign), 2, "Navy, A"), (navy(open_campaign), 2, "Navy, B"))
    assert reserved(navy(open_campaign)) == 4
    assert reserved(open_campaign) == 4


def test_the_timeline_starts_with_placed(open_campaign):
    now = timezone.now()
    placed = order(open_campaign, (green(open_campaign), 1), now=now)
    event = placed.events.get()
    assert event.kind == OrderEvent.Kind.PLACED
    assert event.to_status == Order.Status.PENDING
    assert event.created_at == now


def test_a_campaign_without_a_note_prompt_takes_an_empty_note(shop):
    campaign = make_campaign(shop)
    placed = order(campaign, (campaign.variants.get(), 1, ""))
    assert placed.lines.get().note == ""


# --- idempotency -----------------------------------------------------------------------------


def test_a_double_tap_returns_the_same_order(open_campaign):
    # given Sari's order
    sari = make_buyer(1)
    first = order(open_campaign, (green(open_campaign), 2), buyer=sari, key="tap-1")
    # when the same form is sent again
    again = order(open_campaign, (green(open_campaign), 2), buyer=sari, key="tap-1")
    # then she gets the same order, and her units are taken once
    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert OrderLine.objects.count() == 1
    assert reserved(open_campaign) == 2


def test_a_double_tap_after_the_window_closed_still_finds_the_order(open_campaign):
    sari = make_buyer(1)
    first = order(open_campaign, (green(open_campaign), 1), buyer=sari, key="tap-1")
    again = order(
        open_campaign,
        (green(open_campaign), 1),
        buyer=sari,
        key="tap-1",
        now=open_campaign.closes_at + timedelta(minutes=1),
    )
    assert again.pk == first.pk


def test_someone_elses_key_never_opens_their_order(open_campaign, refused):
    # given Sari's order
    sari = make_buyer(1)
    first = order(open_campaign, (green(open_campaign), 1), buyer=sari, key="tap-1")
    # when Budi sends the same form key with his own number
    # then he is asked to reload the page, and nothing is written for him
    with refused(FormAlreadyUsed, "already used"):
        order(open_campaign, (green(open_campaign), 1), buyer=make_buyer(2), key="tap-1")
    # and Sari's order is still hers alone
    assert Order.objects.get().pk == first.pk
    assert Order.objects.get().buyer_phone == sari.phone


def test_a_campaign_stopped_while_the_buyer_was_typing_takes_no_order(open_campaign):
    # given the buyer's page was loaded while the campaign was open
    stale = Campaign.objects.get(pk=open_campaign.pk)
    # when the seller cancels the campaign, then the buyer submits
    Campaign.objects.filter(pk=open_campaign.pk).update(status=Campaign.Status.CANCELLED)
    with pytest.raises(CampaignNotOpen):
        make_order(stale, quantity=1, note="x")
    # then nothing was taken or written
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 0
    assert not Order.objects.exists()


def test_an_order_code_that_is_already_taken_is_drawn_again(open_campaign, monkeypatch):
    # given an existing order, and a code generator that first repeats its code
    first = make_order(open_campaign, quantity=1, note="x")
    codes = iter([first.code, "ZZZZ999"])
    monkeypatch.setattr("orders.services.placing.new_code", lambda: next(codes))
    # when another buyer orders
    second = make_order(open_campaign, quantity=1, note="y")
    # then they get their order under a fresh code
    assert second.code == "ZZZZ999"
    assert Order.objects.count() == 2
    open_campaign.refresh_from_db()
    assert open_campaign.reserved == 2
