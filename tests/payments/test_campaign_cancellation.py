"""A campaign that misses its minimum fails, or the seller cancels it before shipping: every order
still going is cancelled and what each paid is refunded, in one transaction (DESIGN.md, Campaign
life). The overview offers each decision only when it applies, and asks twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from campaigns.services.transitions import move_campaign
from orders.models import Order, OrderEvent
from orders.services.transitions import move_order
from payments.exceptions import CancelRefused, InvalidReason
from payments.models import Payment, Refund
from payments.services.decisions import cancel_campaign, fail_campaign
from payments.services.ledger import amount_paid
from payments.services.payments import verify_payment
from tests.factories import make_buyer, make_campaign, make_order
from tests.payments.conftest import NOTE, send
from tests.support import page_text, race

S = Order.Status
C = Campaign.Status


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


def snapshot(campaign: Campaign):
    campaign.refresh_from_db()
    return (
        campaign.status,
        campaign.reserved,
        campaign.events.count(),
        sorted(campaign.orders.values_list("code", "status")),
        OrderEvent.objects.filter(order__campaign=campaign).count(),
        list(Refund.objects.filter(order__campaign=campaign).values_list("order_id", "amount")),
    )


def refunds_by_buyer(campaign: Campaign) -> dict[str, Decimal]:
    return {
        refund.order.buyer_name: refund.amount
        for refund in Refund.objects.filter(order__campaign=campaign).select_related("order")
    }


# --- fail_campaign --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_closed_campaign_below_its_minimum_fails_and_every_buyer_gets_back_what_they_paid(
    missed_minimum, orders, owner, django_capture_on_commit_callbacks
):
    paid_before = {o.buyer_name: amount_paid(o) for o in orders.values()}

    # when the seller marks it failed
    with django_capture_on_commit_callbacks(execute=True):
        stopped = fail_campaign(campaign=missed_minimum, actor=owner, reason="Minimum not reached")

    # then the campaign failed, by whom and why, with a summary on its timeline
    missed_minimum.refresh_from_db()
    assert missed_minimum.status == C.FAILED
    decision, summary = missed_minimum.events.order_by("-id")[:2][::-1]
    assert (decision.from_status, decision.to_status, decision.actor, decision.note) == (
        C.PUBLISHED,
        C.FAILED,
        owner,
        "Minimum not reached",
    )
    assert summary.kind == CampaignEvent.Kind.NOTE
    assert summary.note == "3 orders cancelled; 2 refunds of Rp 105.000 in all to send."
    # and every order is cancelled, its units back, with the reason on its timeline
    assert set(missed_minimum.orders.values_list("status", flat=True)) == {S.CANCELLED}
    assert missed_minimum.reserved == 0
    for order in orders.values():
        event = order.events.filter(kind=OrderEvent.Kind.STATUS).latest("id")
        assert (event.to_status, event.actor, event.note) == (
            S.CANCELLED,
            owner,
            "Minimum not reached",
        )
    # and each buyer who paid has exactly that waiting to be sent back
    assert refunds_by_buyer(missed_minimum) == {
        "Buyer 1": Decimal(75000),
        "Buyer 2": Decimal(30000),
    }
    assert {k: v for k, v in paid_before.items() if v} == refunds_by_buyer(missed_minimum)
    assert stopped.refund_total == Decimal(105000)
    assert {r.status for r in stopped.refunds} == {Refund.Status.PENDING}
    # and every buyer is emailed once, in the one transaction's wake
    cancelled = [m for m in mail.outbox if "is cancelled" in m.subject]
    assert sorted(m.to[0] for m in cancelled) == sorted(o.buyer_email for o in orders.values())
    by_buyer = {m.to[0]: m for m in cancelled}
    assert "Rp 75.000, will be refunded" in by_buyer[orders["ani"].buyer_email].body
    assert "will be refunded" not in by_buyer[orders["citra"].buyer_email].body
    assert all("Minimum not reached" in m.body for m in cancelled)


@pytest.mark.django_db
def test_a_sold_out_campaign_below_its_minimum_can_fail_too(open_campaign, owner):
    # given every unit held, but only 1 confirmed of the 5 needed
    Campaign.objects.filter(pk=open_campaign.pk).update(capacity=3, min_quantity=3)
    order_for(open_campaign, 1, paid=75000, owner=owner)
    order_for(open_campaign, 2)
    order_for(open_campaign, 3)
    open_campaign.refresh_from_db()
    assert open_campaign.phase == Campaign.Phase.SOLD_OUT
    # when / then
    fail_campaign(campaign=open_campaign, actor=owner, reason="Deposits did not come")
    assert open_campaign.status == C.FAILED


@pytest.mark.django_db
def test_a_campaign_still_open_cannot_fail(open_campaign, orders, owner):
    before = snapshot(open_campaign)
    with pytest.raises(CancelRefused, match="order window has closed"):
        fail_campaign(campaign=open_campaign, actor=owner, reason="Impatient")
    assert snapshot(open_campaign) == before


@pytest.mark.django_db
def test_a_campaign_that_reached_its_minimum_cannot_fail(
    open_campaign, owner, django_capture_on_commit_callbacks
):
    # given 5 confirmed units, the minimum
    for n in range(5):
        order_for(open_campaign, n + 1, paid=75000, owner=owner)
    close(open_campaign)
    before = snapshot(open_campaign)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        mail.outbox.clear()
        with pytest.raises(CancelRefused, match="5 units are confirmed and the minimum is 5"):
            fail_campaign(campaign=open_campaign, actor=owner, reason="Oops")
    # then nothing changed and nobody was emailed
    assert snapshot(open_campaign) == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_campaign_already_decided_cannot_fail(missed_minimum, owner):
    move_campaign(campaign=missed_minimum, to=C.IN_PRODUCTION)
    before = snapshot(missed_minimum)
    with pytest.raises(CancelRefused):
        fail_campaign(campaign=missed_minimum, actor=owner, reason="Changed my mind")
    assert snapshot(missed_minimum) == before


@pytest.mark.django_db
@pytest.mark.parametrize("decide", [fail_campaign, cancel_campaign], ids=["fail", "cancel"])
def test_a_decision_that_stops_a_campaign_needs_a_reason(missed_minimum, owner, decide):
    before = snapshot(missed_minimum)
    with pytest.raises(InvalidReason):
        decide(campaign=missed_minimum, actor=owner, reason="  ")
    assert snapshot(missed_minimum) == before


# --- cancel_campaign ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_an_open_campaign_cancels_and_refunds_every_order(open_campaign, orders, owner):
    stopped = cancel_campaign(campaign=open_campaign, actor=owner, reason="Vendor closed")
    open_campaign.refresh_from_db()
    assert open_campaign.status == C.CANCELLED
    assert open_campaign.reserved == 0
    assert len(stopped.cancellations) == 3
    assert refunds_by_buyer(open_campaign) == {"Buyer 1": Decimal(75000), "Buyer 2": Decimal(30000)}


@pytest.mark.django_db
def test_cancelling_in_production_refunds_deposits_and_balances_alike(open_campaign, owner):
    # given one order paid in full and one with its deposit only, in production
    full = order_for(open_campaign, 1, paid=75000, owner=owner)
    deposit = order_for(open_campaign, 2, paid=75000, owner=owner)
    move_campaign(campaign=open_campaign, to=C.IN_PRODUCTION)
    for order in (full, deposit):
        move_order(order=order, to=S.IN_PRODUCTION)
    move_order(order=full, to=S.AWAITING_BALANCE)
    verify_payment(payment=send(full, "75000"), amount_received=Decimal(75000), actor=owner)
    full.refresh_from_db()
    assert full.status == S.PAID

    # when the seller cancels the campaign
    cancel_campaign(campaign=open_campaign, actor=owner, reason="Factory fire")

    # then each gets back all it paid
    assert refunds_by_buyer(open_campaign) == {
        "Buyer 1": Decimal(150000),
        "Buyer 2": Decimal(75000),
    }
    assert set(open_campaign.orders.values_list("status", flat=True)) == {S.CANCELLED}


@pytest.mark.django_db
def test_orders_that_stopped_before_are_left_as_they_are(open_campaign, orders, owner):
    # given Citra's order expired earlier
    move_order(order=orders["citra"], to=S.EXPIRED)
    expired_events = orders["citra"].events.count()
    # when
    stopped = cancel_campaign(campaign=open_campaign, actor=owner, reason="Vendor closed")
    # then it is neither cancelled again nor on the timeline twice
    orders["citra"].refresh_from_db()
    assert orders["citra"].status == S.EXPIRED
    assert orders["citra"].events.count() == expired_events
    assert len(stopped.cancellations) == 2


@pytest.mark.django_db
def test_a_campaign_with_a_shipped_order_cannot_be_cancelled(open_campaign, owner):
    # given one order already shipped while the campaign collects balances
    order = order_for(open_campaign, 1, paid=75000, owner=owner)
    other = order_for(open_campaign, 2, paid=75000, owner=owner)
    move_campaign(campaign=open_campaign, to=C.IN_PRODUCTION)
    move_campaign(campaign=open_campaign, to=C.READY)
    for step in (S.IN_PRODUCTION, S.PAID, S.SHIPPED):
        move_order(order=order, to=step)
    before = snapshot(open_campaign)
    # when
    with pytest.raises(CancelRefused, match=f"Orders {order.code} have already shipped"):
        cancel_campaign(campaign=open_campaign, actor=owner, reason="Too late")
    # then nothing changed, the other order included
    assert snapshot(open_campaign) == before
    other.refresh_from_db()
    assert other.status == S.CONFIRMED


@pytest.mark.django_db
@pytest.mark.parametrize("status", [C.DRAFT, C.FAILED, C.CANCELLED])
def test_only_a_campaign_before_shipping_can_be_cancelled(shop, owner, status):
    campaign = make_campaign(shop, status=status)
    before = snapshot(campaign)
    with pytest.raises(CancelRefused, match="cannot be cancelled"):
        cancel_campaign(campaign=campaign, actor=owner, reason="Again")
    assert snapshot(campaign) == before


@pytest.mark.django_db
def test_a_shipping_campaign_cannot_be_cancelled(open_campaign, owner):
    for step in (C.IN_PRODUCTION, C.READY, C.SHIPPING):
        move_campaign(campaign=open_campaign, to=step)
    with pytest.raises(CancelRefused):
        cancel_campaign(campaign=open_campaign, actor=owner, reason="Too late")
    open_campaign.refresh_from_db()
    assert open_campaign.status == C.SHIPPING


# --- on the overview ------------------------------------------------------------------------------


def overview(seller, campaign) -> str:
    return page_text(seller.get(f"/dashboard/rajut/campaigns/{campaign.pk}/"))


@pytest.mark.django_db
def test_the_overview_offers_to_fail_only_a_closed_campaign_below_its_minimum(
    seller, open_campaign, orders
):
    # while open: cancel only
    text = overview(seller, open_campaign)
    assert "Mark failed and refund" not in text
    assert "Cancel and refund" in text
    # closed below the minimum: both, each with a reason to give
    close(open_campaign)
    text = overview(seller, open_campaign)
    assert "Mark failed and refund" in text and "Cancel and refund" in text
    assert f'action="/dashboard/rajut/campaigns/{open_campaign.pk}/fail/"' in text
    assert text.count('name="reason"') >= 2


@pytest.mark.django_db
def test_the_overview_offers_no_refund_decision_once_shipping(seller, open_campaign):
    for step in (C.IN_PRODUCTION, C.READY, C.SHIPPING):
        move_campaign(campaign=open_campaign, to=step)
    text = overview(seller, open_campaign)
    assert "Mark failed and refund" not in text
    assert "Cancel and refund" not in text


@pytest.mark.django_db
def test_the_first_press_shows_what_will_happen_and_changes_nothing(
    seller, missed_minimum, django_assert_max_num_queries
):
    before = snapshot(missed_minimum)
    # when the seller gives a reason and presses "Mark failed and refund…"
    with django_assert_max_num_queries(6):
        response = seller.post(
            f"/dashboard/rajut/campaigns/{missed_minimum.pk}/fail/", {"reason": "Too few"}
        )
    # then she sees the orders to cancel and the money to send back, and a button to confirm
    assert response.status_code == 200
    text = page_text(response)
    assert 'class="stop-orders">3<' in text
    assert 'class="stop-refunds">2<' in text
    assert "Rp 105.000" in text
    assert "Yes, mark failed and refund" in text
    assert 'name="confirm" value="on"' in text and "Too few" in text
    # and nothing happened yet
    assert snapshot(missed_minimum) == before


@pytest.mark.django_db
def test_no_reason_is_asked_for_again_and_changes_nothing(seller, missed_minimum):
    before = snapshot(missed_minimum)
    response = seller.post(
        f"/dashboard/rajut/campaigns/{missed_minimum.pk}/cancel/", {"reason": "", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    assert snapshot(missed_minimum) == before


@pytest.mark.django_db
def test_confirming_fails_the_campaign_and_says_what_was_done(seller, missed_minimum):
    response = seller.post(
        f"/dashboard/rajut/campaigns/{missed_minimum.pk}/fail/",
        {"reason": "Too few", "confirm": "on"},
        follow=True,
    )
    missed_minimum.refresh_from_db()
    assert missed_minimum.status == C.FAILED
    text = page_text(response)
    assert "The campaign is marked failed." in text
    assert "3 orders cancelled; 2 refunds of Rp 105.000 in all to send." in text
    # and the decision is no longer offered
    assert "Mark failed and refund" not in text


@pytest.mark.django_db
def test_a_refused_confirmation_says_why_and_changes_nothing(seller, open_campaign, orders):
    before = snapshot(open_campaign)
    response = seller.post(
        f"/dashboard/rajut/campaigns/{open_campaign.pk}/fail/",
        {"reason": "Too few", "confirm": "on"},
        follow=True,
    )
    assert "order window has closed" in page_text(response)
    assert snapshot(open_campaign) == before


@pytest.mark.django_db
def test_cancelling_from_the_overview_cancels_and_refunds(seller, open_campaign, orders):
    response = seller.post(
        f"/dashboard/rajut/campaigns/{open_campaign.pk}/cancel/",
        {"reason": "Vendor closed", "confirm": "on"},
    )
    assert response.status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.status == C.CANCELLED
    assert len(refunds_by_buyer(open_campaign)) == 2


@pytest.mark.django_db
def test_a_decision_needs_post(seller, missed_minimum):
    assert seller.get(f"/dashboard/rajut/campaigns/{missed_minimum.pk}/fail/").status_code == 405


# --- at the same moment, on PostgreSQL ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_members_deciding_at_once_stop_the_campaign_once(missed_minimum, owner):
    # when five members press "Mark failed" or "Cancel" at the same moment
    def decide(i):
        stale = Campaign.objects.get(pk=missed_minimum.pk)
        service = fail_campaign if i % 2 else cancel_campaign
        return service(campaign=stale, actor=owner, reason=f"Member {i}")

    results = race(5, decide)

    # then one decided, the others were told; one refund per buyer who paid
    decided = [r for r in results if not isinstance(r, Exception)]
    assert len(decided) == 1, results
    assert all(isinstance(r, CancelRefused) for r in results if isinstance(r, Exception)), results
    assert sorted(refunds_by_buyer(missed_minimum).values()) == [Decimal(30000), Decimal(75000)]
    assert Refund.objects.filter(order__campaign=missed_minimum).count() == 2
    missed_minimum.refresh_from_db()
    assert missed_minimum.reserved == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deposit_verified_while_the_campaign_fails_is_refunded_either_way(
    missed_minimum, orders, owner
):
    # given Citra's proof waiting when the seller marks the campaign failed
    payment = send(orders["citra"], "75000")

    def act(i):
        if i == 0:
            return fail_campaign(
                campaign=Campaign.objects.get(pk=missed_minimum.pk), actor=owner, reason="Too few"
            )
        return verify_payment(
            payment=Payment.objects.get(pk=payment.pk), amount_received=Decimal(75000), actor=owner
        )

    results = race(2, act)

    # then both went through, and Citra's money waits to go back whichever came first
    assert not any(isinstance(r, Exception) for r in results), results
    orders["citra"].refresh_from_db()
    assert orders["citra"].status == S.CANCELLED
    assert refunds_by_buyer(missed_minimum)["Buyer 3"] == Decimal(75000)
