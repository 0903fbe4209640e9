"""A campaign that misses its minimum fails: every order still going is cancelled and what each
paid is refunded, in one transaction, once (DESIGN.md, Campaign life)."""

from decimal import Decimal

import pytest
from django.core import mail

from campaigns.models import Campaign, CampaignEvent
from campaigns.services.transitions import move_campaign
from orders.models import Order, OrderEvent
from payments.exceptions import CancelRefused, InvalidReason
from payments.models import Payment, Refund
from payments.services.decisions import cancel_campaign, fail_campaign
from payments.services.ledger import amount_paid
from payments.services.payments import verify_payment
from tests.payments.conftest import close, order_for, send
from tests.payments.stopping import refunds_by_buyer, snapshot
from tests.support import race

S = Order.Status
C = Campaign.Status


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
