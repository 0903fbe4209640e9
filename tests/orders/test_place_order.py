"""place_order: what a buyer gets when the order goes through, and nothing when it doesn't."""

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.models import Campaign, Variant
from orders.exceptions import (
    CampaignNotOpen,
    FormAlreadyUsed,
    InvalidLines,
    LimitExceeded,
    OrderRefused,
    SoldOut,
)
from orders.models import Order, OrderEvent, OrderLine
from orders.services.placing import MAX_NOTE_LENGTH, LineRequest, place_order
from orders.services.transitions import move_order
from tests.factories import make_buyer, make_campaign, make_order

pytestmark = pytest.mark.django_db

NOTE = "Green, “SARI”"
_keys = itertools.count(1)


def green(campaign) -> Variant:
    return campaign.variants.get(name="Green")


def navy(campaign) -> Variant:
    return campaign.variants.get(name="Navy")


def order(campaign, *lines, buyer=None, key=None, now=None) -> Order:
    """Place an order of (variant, quantity[, note]) lines, each with a note unless given."""
    requests = [
        LineRequest(variant.pk, quantity, rest[0] if rest else NOTE)
        for variant, quantity, *rest in lines
    ]
    return place_order(
        campaign=campaign,
        lines=requests,
        buyer=buyer or make_buyer(),
        idempotency_key=key or f"form-{next(_keys)}",
        now=now,
    )


@dataclass(frozen=True)
class Written:
    orders: int
    lines: int
    events: int
    campaign_reserved: int
    variants_reserved: tuple[int, ...]


def written(campaign) -> Written:
    return Written(
        orders=Order.objects.count(),
        lines=OrderLine.objects.count(),
        events=OrderEvent.objects.count(),
        campaign_reserved=Campaign.objects.get(pk=campaign.pk).reserved,
        variants_reserved=tuple(
            Variant.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("reserved", flat=True)
        ),
    )


def reserved(obj) -> int:
    obj.refresh_from_db(fields=["reserved"])
    return obj.reserved


@pytest.fixture
def refused(open_campaign):
    """Check a refusal: `with refused(SoldOut, "Sold out"): ...` also proves nothing was written."""

    class Refusal:
        def __init__(self, kind, words, campaign=open_campaign):
            self.kind, self.words, self.campaign = kind, words, campaign

        def __enter__(self):
            self.before = written(self.campaign)
            self.raises = pytest.raises(self.kind, match=self.words)
            return self.raises.__enter__()

        def __exit__(self, *exc):
            swallowed = self.raises.__exit__(*exc)
            assert written(self.campaign) == self.before, "a refused order left something behind"
            return swallowed

    return Refusal


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


# --- refusals: the right reason, and nothing written -----------------------------------------


def test_an_order_before_the_window_opens_is_refused(shop, refused):
    campaign = make_campaign(shop, opens_at=timezone.now() + timedelta(hours=1))
    with refused(CampaignNotOpen, "not open yet", campaign=campaign):
        order(campaign, (campaign.variants.get(), 1))


def test_an_order_after_the_window_closes_is_refused(open_campaign, refused):
    with refused(CampaignNotOpen, "closed"):
        order(
            open_campaign,
            (green(open_campaign), 1),
            now=open_campaign.closes_at + timedelta(seconds=1),
        )


def test_an_order_on_a_draft_is_refused(shop, refused):
    campaign = make_campaign(shop, status=Campaign.Status.DRAFT)
    with refused(CampaignNotOpen, "not published", campaign=campaign):
        order(campaign, (campaign.variants.get(), 1))


def test_an_order_on_a_sold_out_campaign_is_refused(open_campaign, refused):
    # given all 10 units are ordered
    order(open_campaign, (green(open_campaign), 10))
    # when the next buyer loads the campaign and orders
    campaign = Campaign.objects.get(pk=open_campaign.pk)
    # then the PO says it is sold out
    with refused(CampaignNotOpen, "Sold out"):
        order(campaign, (green(campaign), 1))


def test_an_order_for_more_than_the_units_left_is_refused(open_campaign, refused):
    # given 8 of 10 units are ordered
    order(open_campaign, (green(open_campaign), 8))
    # when a buyer asks for three
    # then it is sold out for that order and nothing is taken
    with refused(SoldOut, "Sold out"):
        order(open_campaign, (green(open_campaign), 3))
    assert reserved(open_campaign) == 8


def test_a_sold_out_variant_is_refused_while_the_campaign_has_room(open_campaign, refused):
    # given 3 of the 4 Navy are ordered (and 7 of the campaign's 10 units are left)
    order(open_campaign, (navy(open_campaign), 3))
    # when a buyer orders a Green and two Navy
    # then the order is refused and the campaign counter is given back too
    with refused(SoldOut, "Sold out"):
        order(open_campaign, (green(open_campaign), 1), (navy(open_campaign), 2))
    assert reserved(open_campaign) == 3
    assert reserved(navy(open_campaign)) == 3
    assert reserved(green(open_campaign)) == 0


def test_an_item_from_another_campaign_is_refused(open_campaign, refused):
    other = make_campaign(open_campaign.shop)
    with refused(InvalidLines, "not part of this PO"):
        order(open_campaign, (other.variants.get(), 1))


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused(open_campaign, refused, quantity):
    with refused(InvalidLines, "at least 1"):
        order(open_campaign, (green(open_campaign), quantity))


def test_an_order_with_no_lines_is_refused(open_campaign, refused):
    with refused(InvalidLines, "at least one item"):
        order(open_campaign)


@pytest.mark.parametrize("note", ["", "   \n"])
def test_a_missing_note_is_refused_when_the_campaign_asks_for_one(open_campaign, refused, note):
    with refused(InvalidLines, "Please fill in “Colour and name to print” for Green"):
        order(open_campaign, (green(open_campaign), 1, note))


def test_a_note_that_is_too_long_is_refused(open_campaign, refused):
    with refused(InvalidLines, f"at most {MAX_NOTE_LENGTH} characters"):
        order(open_campaign, (green(open_campaign), 1, "x" * (MAX_NOTE_LENGTH + 1)))


def test_a_note_of_exactly_the_limit_is_fine(open_campaign):
    placed = order(open_campaign, (green(open_campaign), 1, "x" * MAX_NOTE_LENGTH))
    assert len(placed.lines.get().note) == MAX_NOTE_LENGTH


def test_more_units_than_the_campaign_allows_per_order_is_refused(shop, refused):
    campaign = make_campaign(shop, max_per_order=2)
    with refused(LimitExceeded, "At most 2 units per order", campaign=campaign):
        order(campaign, (campaign.variants.get(), 3))
    assert order(campaign, (campaign.variants.get(), 2)).units == 2


@pytest.fixture
def two_per_buyer(shop):
    return make_campaign(shop, max_per_buyer=2)


def test_a_buyer_cannot_exceed_the_cap_with_a_second_order(two_per_buyer, refused):
    # given Sari already holds 2 units
    sari = make_buyer(1)
    order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=sari)
    # when she orders one more with the same details
    # then she is told the cap and how many she may still order
    with refused(LimitExceeded, "At most 2 units per buyer; you can order 0 more", two_per_buyer):
        order(two_per_buyer, (two_per_buyer.variants.get(), 1), buyer=sari)


def test_the_cap_counts_orders_with_the_same_phone_and_another_email(two_per_buyer, refused):
    order(two_per_buyer, (two_per_buyer.variants.get(), 1), buyer=make_buyer(1))
    same_phone = make_buyer(1, email="sari.other@example.com")
    with refused(LimitExceeded, "you can order 1 more", two_per_buyer):
        order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=same_phone)


def test_the_cap_counts_orders_with_the_same_email_in_any_case(two_per_buyer, refused):
    order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=make_buyer(1))
    same_email = make_buyer(2, email="BUYER1@Example.com")
    with refused(LimitExceeded, "per buyer", two_per_buyer):
        order(two_per_buyer, (two_per_buyer.variants.get(), 1), buyer=same_email)


def test_other_buyers_are_not_limited_by_someone_elses_orders(two_per_buyer):
    order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=make_buyer(1))
    assert order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=make_buyer(2)).units == 2


@pytest.mark.parametrize("gone", [Order.Status.EXPIRED, Order.Status.CANCELLED])
def test_an_expired_or_cancelled_order_no_longer_counts_toward_the_cap(two_per_buyer, gone):
    # given Sari's first order for 2 units expired (or was cancelled)
    sari = make_buyer(1)
    first = order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=sari)
    move_order(order=first, to=gone)
    # when she orders 2 again
    second = order(two_per_buyer, (two_per_buyer.variants.get(), 2), buyer=sari)
    # then it goes through
    assert second.pk != first.pk
    assert reserved(two_per_buyer) == 2


def test_every_refusal_is_an_order_refused_with_a_message():
    for kind in (CampaignNotOpen, SoldOut, InvalidLines, LimitExceeded):
        assert issubclass(kind, OrderRefused)
    assert "Sold out" in str(SoldOut())


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
