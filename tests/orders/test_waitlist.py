"""The waiting list of a sold-out PO: buyers join in order, units that come back are held for
the next in line (really held: nobody else can take them), and a hold that is not used passes on.

README, Waiting list; orders/services/waitlist.py.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign, Variant
from orders.exceptions import CampaignNotOpen, LimitExceeded, SoldOut, WaitlistRefused
from orders.models import Order, WaitlistEntry
from orders.selectors import campaign_waitlist, place_in_line
from orders.services.placing import LineRequest, expire_overdue, place_order
from orders.services.waitlist import (
    join_waitlist,
    lapse_offers,
    leave_waitlist,
    update_campaign_terms,
)
from payments.services.cancellations import cancel_order
from payments.services.tick import run_tick
from tests.factories import make_buyer, make_campaign, make_order, past_deadline

E = WaitlistEntry.Status


@pytest.fixture
def sold_out(shop):
    """Two units, both ordered (pending): sold out."""
    campaign = make_campaign(
        shop,
        slug="sold-out",
        capacity=2,
        min_quantity=1,
        variants=[{"name": "Tote", "price": "150000"}],
    )
    first = make_order(campaign, buyer=make_buyer(1, name="Sari"))
    second = make_order(campaign, buyer=make_buyer(2, name="Budi"))
    campaign.refresh_from_db()
    assert campaign.phase == Campaign.Phase.SOLD_OUT
    campaign.first_order, campaign.second_order = first, second
    return campaign


def join(campaign, n: int, quantity: int = 1, variant=None, **fields) -> WaitlistEntry:
    variant = variant or campaign.variants.first()
    buyer = make_buyer(100 + n)
    entry, created = join_waitlist(
        campaign=campaign,
        variant_id=variant.pk,
        quantity=quantity,
        name=fields.get("name", f"Waiting {n}"),
        phone=fields.get("phone", buyer.phone),
        email=fields.get("email", buyer.email),
        language=fields.get("language", "en"),
    )
    assert created
    return entry


def fresh(obj):
    obj.refresh_from_db()
    return obj


def order_from(entry: WaitlistEntry, quantity: int | None = None, buyer=None, key="offer-form"):
    entry = fresh(entry)
    return place_order(
        campaign=Campaign.objects.select_related("shop").get(pk=entry.campaign_id),
        lines=[LineRequest(entry.variant_id, quantity or entry.held)],
        buyer=buyer or make_buyer(500, name=entry.name),
        idempotency_key=key,
        offer=entry,
    )


def public_order(campaign, n=900):
    campaign = Campaign.objects.select_related("shop").get(pk=campaign.pk)
    return place_order(
        campaign=campaign,
        lines=[LineRequest(campaign.variants.first().pk, 1)],
        buyer=make_buyer(n),
        idempotency_key=f"public-{n}",
    )


# --- joining ------------------------------------------------------------------------------------


def test_buyers_join_a_sold_out_po_in_the_order_they_came(
    sold_out, django_capture_on_commit_callbacks
):
    # when two buyers join the waiting list of a sold-out PO
    with django_capture_on_commit_callbacks(execute=True):
        ani = join(sold_out, 1, name="Ani")
        dewi = join(sold_out, 2, quantity=2, name="Dewi")
    # then they are first and second in line
    assert (place_in_line(ani), place_in_line(dewi)) == (1, 2)
    # and each got an e-mail with the private link to their place
    assert [m.to for m in mail.outbox] == [[ani.email], [dewi.email]]
    assert ani.get_absolute_url() in mail.outbox[0].body
    assert "waiting list" in mail.outbox[0].subject


def test_a_po_with_units_left_has_no_waiting_list(open_campaign):
    # when a buyer tries to join while units are left
    with pytest.raises(WaitlistRefused, match="not sold out"):
        join(open_campaign, 1)
    # then nothing is stored
    assert not WaitlistEntry.objects.exists()


def test_a_sold_out_variant_has_a_waiting_list_while_the_po_is_open(open_campaign):
    # given all 4 Navy totes ordered, Green still open
    navy = open_campaign.variants.get(name="Navy")
    make_order(open_campaign, quantity=4, note="x", variant=navy)
    # when a buyer joins for Navy
    entry = join(open_campaign, 1, variant=navy)
    # then they wait for Navy; Green has no list
    assert entry.variant == navy
    with pytest.raises(WaitlistRefused, match="Green is not sold out"):
        join(open_campaign, 2, variant=open_campaign.variants.get(name="Green"))


def test_a_closed_po_takes_nobody_on_its_waiting_list(sold_out):
    Campaign.objects.filter(pk=sold_out.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(WaitlistRefused, match="not taking orders"):
        join(fresh(sold_out), 1)
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize("quantity", [0, 4])
def test_asking_for_more_than_one_order_may_hold_is_refused(sold_out, quantity):
    Campaign.objects.filter(pk=sold_out.pk).update(max_per_order=3)
    with pytest.raises(WaitlistRefused, match="1 to 3"):
        join(fresh(sold_out), 1, quantity=quantity)
    assert not WaitlistEntry.objects.exists()


def test_joining_twice_keeps_one_place_and_sends_its_link_again(
    sold_out, django_capture_on_commit_callbacks
):
    # given Ani is on the list
    ani = join(sold_out, 1, name="Ani")
    mail.outbox.clear()
    # when the same number joins again (with another e-mail)
    with django_capture_on_commit_callbacks(execute=True):
        again, created = join_waitlist(
            campaign=sold_out,
            variant_id=ani.variant_id,
            quantity=3,
            name="Ani",
            phone=ani.phone,
            email="someone-else@example.com",
            language="en",
        )
    # then she keeps her one place, unchanged, and the link goes to the e-mail she gave first
    assert (again.pk, created) == (ani.pk, False)
    assert WaitlistEntry.objects.count() == 1
    assert fresh(ani).quantity == 1
    assert [m.to for m in mail.outbox] == [[ani.email]]


# --- units come back ------------------------------------------------------------------------------


def test_units_of_an_expired_order_are_held_for_the_first_in_line(
    sold_out, django_capture_on_commit_callbacks
):
    # given Ani then Dewi wait, and Sari's order is past its deposit deadline
    ani, dewi = join(sold_out, 1, name="Ani"), join(sold_out, 2, name="Dewi")
    past_deadline(sold_out.first_order)
    mail.outbox.clear()
    # when the order expires
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_overdue(now=timezone.now()) == 1
    # then its unit is held for Ani, for the shop's 12 hours, and she is told by e-mail
    ani, dewi = fresh(ani), fresh(dewi)
    assert ani.status == E.OFFERED and ani.held == 1
    assert ani.offer_expires_at - ani.offered_at == timedelta(hours=12)
    assert dewi.status == E.WAITING and place_in_line(dewi) == 1
    offer = next(m for m in mail.outbox if m.to == [ani.email])
    assert "we hold it for you" in offer.body and ani.get_absolute_url() in offer.body
    # and the unit is held, not free: a buyer from the public page finds the PO sold out
    campaign = fresh(sold_out)
    assert (campaign.reserved, campaign.held, campaign.units_left) == (1, 1, 0)
    with pytest.raises((SoldOut, CampaignNotOpen)):
        public_order(campaign)


def test_units_of_a_cancelled_order_go_to_the_waiting_list(sold_out):
    ani = join(sold_out, 1)
    cancel_order(order=sold_out.first_order, actor=None, reason="Changed my mind")
    assert fresh(ani).status == E.OFFERED
    assert fresh(sold_out).held == 1


def test_a_raised_capacity_goes_to_the_waiting_list_first(sold_out):
    # given two buyers wait for one unit each
    ani, dewi = join(sold_out, 1), join(sold_out, 2)
    # when the seller raises the capacity from 2 to 5
    variant = sold_out.variants.get()
    from campaigns.services.campaigns import TERM_FIELDS, VariantSpec

    terms = {name: getattr(sold_out, name) for name in TERM_FIELDS} | {"capacity": 5}
    update_campaign_terms(
        campaign=sold_out,
        terms=terms,
        variants=[VariantSpec(id=variant.pk, name=variant.name, price=variant.price)],
        actor=sold_out.shop.owner,
    )
    # then both hold their unit, and one unit is left for the public page
    assert fresh(ani).status == fresh(dewi).status == E.OFFERED
    campaign = fresh(sold_out)
    assert (campaign.held, campaign.units_left) == (2, 1)
    assert public_order(campaign).status == Order.Status.PENDING
    with pytest.raises((SoldOut, CampaignNotOpen)):
        public_order(campaign, n=901)


def test_fewer_units_than_wanted_are_held_as_far_as_they_go(sold_out):
    # given Dewi wants 2, Ani 1 behind her, and one order of 1 is cancelled
    dewi = join(sold_out, 1, quantity=2)
    ani = join(sold_out, 2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    # then Dewi holds the 1 that came back
    dewi = fresh(dewi)
    assert (dewi.status, dewi.held, dewi.quantity) == (E.OFFERED, 1, 2)
    until = dewi.offer_expires_at
    # and the next unit back tops her hold up (she is first in line), until the same time
    cancel_order(order=sold_out.second_order, actor=None, reason="x")
    dewi = fresh(dewi)
    assert (dewi.held, dewi.offer_expires_at) == (2, until)
    assert fresh(ani).status == E.WAITING


def test_a_variant_s_units_go_to_those_waiting_for_that_variant(open_campaign):
    # given the 4 Navy totes are ordered and Ani waits for Navy
    navy = open_campaign.variants.get(name="Navy")
    navy_order = make_order(open_campaign, quantity=4, note="x", variant=navy)
    ani = join(open_campaign, 1, variant=navy)
    # when a Green order is cancelled, Ani still waits: Green is not what she asked for
    green_order = make_order(open_campaign, note="x")
    cancel_order(order=green_order, actor=None, reason="x")
    assert fresh(ani).status == E.WAITING
    # when the Navy order is cancelled, she holds a Navy tote
    cancel_order(order=navy_order, actor=None, reason="x")
    ani = fresh(ani)
    assert (ani.status, ani.held) == (E.OFFERED, 1)
    assert Variant.objects.get(pk=navy.pk).held == 1


def test_the_hold_time_is_the_shop_s_and_never_outlasts_the_window(sold_out):
    # given a shop holding for 3 hours, and a PO closing in 2
    sold_out.shop.hold_hours = 3
    sold_out.shop.save()
    closes = timezone.now() + timedelta(hours=2)
    Campaign.objects.filter(pk=sold_out.pk).update(closes_at=closes)
    ani = join(fresh(sold_out), 1)
    # when a unit comes back, the hold ends when the window closes
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    assert fresh(ani).offer_expires_at == closes
    # and with a window open for days, after the shop's 3 hours
    Campaign.objects.filter(pk=sold_out.pk).update(closes_at=closes + timedelta(days=3))
    dewi = join(fresh(sold_out), 2)
    cancel_order(order=sold_out.second_order, actor=None, reason="x")
    dewi = fresh(dewi)
    assert dewi.offer_expires_at - dewi.offered_at == timedelta(hours=3)


# --- ordering from a hold -----------------------------------------------------------------------


def test_the_buyer_orders_the_units_held_for_them(sold_out, django_capture_on_commit_callbacks):
    # given a unit came back and is held for Ani
    ani = join(sold_out, 1, name="Ani")
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    # when she orders it, while the PO looks sold out to everybody else
    with django_capture_on_commit_callbacks(execute=True):
        order = order_from(ani)
    # then the order holds the unit the hold had, and the timeline says where it came from
    assert order.status == Order.Status.PENDING and order.units == 1
    ani = fresh(ani)
    assert (ani.status, ani.held, ani.order) == (E.ORDERED, 0, order)
    campaign = fresh(sold_out)
    assert (campaign.reserved, campaign.held) == (2, 0)
    assert str(order.events.get().note) == "Ordered from the waiting list."
    # and she got the order e-mail with her order's private link
    assert any(order.get_absolute_url() in m.body for m in mail.outbox)


def test_ordering_fewer_than_held_passes_the_rest_on(sold_out):
    # given both orders are cancelled: Dewi (wanting 2) holds both, Ani waits behind her
    dewi = join(sold_out, 1, quantity=2)
    ani = join(sold_out, 2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    cancel_order(order=sold_out.second_order, actor=None, reason="x")
    assert fresh(dewi).held == 2 and fresh(ani).status == E.WAITING
    # when Dewi orders only 1
    order_from(dewi, quantity=1)
    # then the other unit is held for Ani at once
    ani = fresh(ani)
    assert (ani.status, ani.held) == (E.OFFERED, 1)
    campaign = fresh(sold_out)
    assert (campaign.reserved, campaign.held) == (1, 1)


def test_a_hold_orders_no_more_than_it_holds(sold_out):
    dewi = join(sold_out, 1, quantity=2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    with pytest.raises(WaitlistRefused, match="1 units are held for you"):
        order_from(dewi, quantity=2)
    assert fresh(dewi).held == 1
    assert Order.objects.filter(campaign=sold_out).count() == 2


def test_an_order_from_a_hold_keeps_the_per_buyer_cap(sold_out):
    # given a cap of 1 per buyer, and Sari (who has 1 already) holds a unit
    Campaign.objects.filter(pk=sold_out.pk).update(max_per_buyer=1)
    sari = make_buyer(1, name="Sari")
    entry = join(fresh(sold_out), 1, phone="+6281200009999", email="sari-alt@example.com")
    cancel_order(order=sold_out.second_order, actor=None, reason="x")
    # when she orders it with the number of her first order, the cap says no
    with pytest.raises(LimitExceeded):
        order_from(entry, buyer=sari)
    # and the unit stays held for her
    assert fresh(entry).status == E.OFFERED and fresh(sold_out).held == 1


def test_the_same_offer_form_sent_twice_makes_one_order(sold_out):
    ani = join(sold_out, 1)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    first = order_from(ani)
    assert order_from(ani) == first
    assert fresh(sold_out).reserved == 2


# --- holds that lapse, buyers who leave ---------------------------------------------------------


def test_a_hold_not_used_in_time_passes_to_the_next_in_line(sold_out):
    # given Ani holds a unit and Dewi waits behind her
    ani, dewi = join(sold_out, 1), join(sold_out, 2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    # when Ani's hold time passes
    later = fresh(ani).offer_expires_at + timedelta(seconds=1)
    assert lapse_offers(now=later) == 1
    # then the unit is held for Dewi, and Ani's place has ended
    ani, dewi = fresh(ani), fresh(dewi)
    assert (ani.status, ani.held) == (E.LAPSED, 0)
    assert (dewi.status, dewi.held) == (E.OFFERED, 1)
    assert fresh(sold_out).held == 1
    # and Ani can no longer order it
    with pytest.raises(WaitlistRefused, match="hold has ended"):
        order_from(ani, quantity=1)


def test_a_lapsed_hold_with_nobody_waiting_goes_back_on_sale(sold_out):
    ani = join(sold_out, 1)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    later = fresh(ani).offer_expires_at + timedelta(seconds=1)
    # the tick lapses it, twice as safely as once
    assert run_tick(now=later).holds_lapsed == 1
    assert run_tick(now=later).holds_lapsed == 0
    campaign = fresh(sold_out)
    assert (campaign.held, campaign.units_left) == (0, 1)


def test_the_tick_command_lapses_holds_and_says_so(sold_out, capsys):
    ani = join(sold_out, 1)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    WaitlistEntry.objects.filter(pk=ani.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("tick")
    assert "Waiting-list holds lapsed: 1." in capsys.readouterr().out
    assert fresh(ani).status == E.LAPSED


def test_a_buyer_who_leaves_while_holding_passes_the_units_on(sold_out):
    ani, dewi = join(sold_out, 1), join(sold_out, 2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    leave_waitlist(entry=ani)
    assert fresh(ani).status == E.LEFT
    assert fresh(dewi).status == E.OFFERED
    assert fresh(sold_out).held == 1


def test_a_buyer_who_leaves_while_waiting_is_never_offered_units(sold_out):
    ani = join(sold_out, 1)
    leave_waitlist(entry=ani)
    leave_waitlist(entry=ani)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    assert fresh(ani).status == E.LEFT
    campaign = fresh(sold_out)
    assert (campaign.held, campaign.units_left) == (0, 1)


def test_holds_of_a_cancelled_campaign_are_given_back(sold_out):
    ani = join(sold_out, 1)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    Campaign.objects.filter(pk=sold_out.pk).update(status=Campaign.Status.CANCELLED)
    assert lapse_offers(now=timezone.now()) == 1
    assert fresh(ani).status == E.LAPSED and fresh(sold_out).held == 0


# --- the seller's view --------------------------------------------------------------------------


def test_the_seller_s_list_counts_the_waiting_and_the_holds(sold_out):
    ani, dewi = join(sold_out, 1), join(sold_out, 2, quantity=2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    waitlist = campaign_waitlist(sold_out)
    assert [e.pk for e in waitlist.entries] == [ani.pk, dewi.pk]
    assert (waitlist.waiting, waitlist.units_wanted) == (1, 2)
    assert (waitlist.offers, waitlist.units_held) == (1, 1)
    assert waitlist.entries[1].place == 1


def test_a_hold_past_its_time_is_not_topped_up(sold_out):
    # given Dewi (wanting 2) holds 1, and her hold's time has passed but no tick ran yet
    dewi = join(sold_out, 1, quantity=2)
    ani = join(sold_out, 2)
    cancel_order(order=sold_out.first_order, actor=None, reason="x")
    WaitlistEntry.objects.filter(pk=dewi.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    # when the next unit comes back, it goes to Ani, not to Dewi's lapsed hold
    cancel_order(order=sold_out.second_order, actor=None, reason="x")
    assert fresh(dewi).held == 1
    assert (fresh(ani).status, fresh(ani).held) == (E.OFFERED, 1)


def test_a_variant_with_units_held_for_the_list_cannot_be_removed(shop):
    # given a PO sold out on Green, and Ani holding a Navy tote after a capacity raise
    campaign = make_campaign(
        shop,
        capacity=1,
        min_quantity=1,
        variants=[{"name": "Green", "price": "150000"}, {"name": "Navy", "price": "150000"}],
    )
    make_order(campaign, variant=campaign.variants.get(name="Green"))
    navy = campaign.variants.get(name="Navy")
    ani = join(fresh(campaign), 1, variant=navy)
    from campaigns.exceptions import CampaignRuleBroken
    from campaigns.services.campaigns import TERM_FIELDS, VariantSpec

    def edit(capacity, delete_navy=False):
        campaign.refresh_from_db()
        update_campaign_terms(
            campaign=campaign,
            terms={name: getattr(campaign, name) for name in TERM_FIELDS} | {"capacity": capacity},
            variants=[
                VariantSpec(id=v.pk, name=v.name, price=v.price, delete=delete_navy and v == navy)
                for v in campaign.variants.all()
            ],
            actor=shop.owner,
        )

    edit(2)
    assert fresh(ani).held == 1
    # when the seller removes Navy, it is refused and nothing changes
    with pytest.raises(CampaignRuleBroken, match="held for buyers on the waiting list"):
        edit(2, delete_navy=True)
    assert Variant.objects.filter(pk=navy.pk).exists()
    assert fresh(ani).held == 1 and fresh(campaign).held == 1
