"""An order whose deposit never came expires and gives its units back (DESIGN.md, Order life
and Time); a campaign that looks sold out releases its overdue orders before it says so."""

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Campaign, Variant
from kernel.clock import shop_time
from orders.exceptions import CampaignNotOpen, SoldOut
from orders.models import Order, OrderEvent
from orders.services.placing import expire_overdue
from orders.services.transitions import move_order
from payments.models import Payment
from tests.factories import (
    make_buyer,
    make_campaign,
    make_order,
    past_deadline,
    payment_in_review,
)
from tests.support import race

pytestmark = pytest.mark.django_db

S = Order.Status
NOTE = "Green, “SARI”"


def reserved(obj) -> int:
    obj.refresh_from_db(fields=["reserved"])
    return obj.reserved


def status_of(order: Order) -> str:
    order.refresh_from_db(fields=["status"])
    return order.status


def expiry_events(order: Order) -> list[tuple]:
    return list(
        order.events.filter(kind=OrderEvent.Kind.STATUS, to_status=S.EXPIRED).values_list(
            "from_status", "to_status", "actor_id", "note"
        )
    )


# --- expiring -----------------------------------------------------------------------------------


def test_an_overdue_order_expires_and_gives_its_units_back(open_campaign, overdue_order):
    # given Sari's two Green totes, the deposit deadline a minute ago
    green = open_campaign.variants.get(name="Green")
    assert reserved(open_campaign) == 2

    # when the deadlines are checked
    expired = expire_overdue(now=timezone.now())

    # then her order expired, and its two units are back on the campaign and on Green
    assert expired == 1
    assert status_of(overdue_order) == S.EXPIRED
    assert reserved(open_campaign) == 0
    assert reserved(green) == 0
    # and the timeline says why, with nobody named: the clock did it
    assert expiry_events(overdue_order) == [
        (S.PENDING, S.EXPIRED, None, "Deposit not received by the deadline.")
    ]


def test_an_order_still_within_its_deadline_stays_pending(open_campaign):
    # given an order placed just now, with 24 hours to pay
    order = make_order(open_campaign, note=NOTE)

    # when the deadlines are checked
    expired = expire_overdue(now=timezone.now())

    # then nothing moves
    assert expired == 0
    assert status_of(order) == S.PENDING
    assert reserved(open_campaign) == 1


def test_a_payment_waiting_for_review_protects_an_overdue_order(open_campaign, overdue_order):
    # given Sari sent her proof before the deadline and the seller has not looked yet
    payment_in_review(overdue_order)

    # when the deadline passes and the deadlines are checked
    expired = expire_overdue(now=timezone.now())

    # then her order is kept, with its units, for the seller to verify
    assert expired == 0
    assert status_of(overdue_order) == S.PENDING
    assert reserved(open_campaign) == 2


def test_a_rejected_payment_protects_nothing(open_campaign, overdue_order):
    # given Sari's only proof was rejected
    payment = payment_in_review(overdue_order)
    Payment.objects.filter(pk=payment.pk).update(status="rejected", reject_reason="Nothing came")

    # when the deadlines are checked
    expired = expire_overdue(now=timezone.now())

    # then the order expires like any other unpaid one
    assert expired == 1
    assert status_of(overdue_order) == S.EXPIRED


def test_only_pending_orders_expire(open_campaign, overdue_order):
    # given the seller confirmed Sari's order (the deadline then passed, which no longer matters)
    move_order(order=overdue_order, to=S.CONFIRMED)

    # when the deadlines are checked
    expired = expire_overdue(now=timezone.now())

    # then the confirmed order stays confirmed
    assert expired == 0
    assert status_of(overdue_order) == S.CONFIRMED


def test_expiring_twice_does_nothing_more(
    open_campaign, overdue_order, django_capture_on_commit_callbacks
):
    # given Sari's order was expired once
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_overdue(now=timezone.now()) == 1
    events = OrderEvent.objects.count()

    # when the deadlines are checked again
    with django_capture_on_commit_callbacks(execute=True):
        expired = expire_overdue(now=timezone.now())

    # then nothing more happens: no event, no units given back twice, no second email
    assert expired == 0
    assert OrderEvent.objects.count() == events
    assert reserved(open_campaign) == 0
    assert len(mail.outbox) == 1


def test_expiring_one_campaign_leaves_the_others_alone(open_campaign, overdue_order, shop):
    # given another campaign with an overdue order too
    other = make_campaign(shop)
    elsewhere = past_deadline(make_order(other))

    # when only the tote campaign is checked
    expired = expire_overdue(now=timezone.now(), campaign=open_campaign)

    # then only its order expired
    assert expired == 1
    assert status_of(overdue_order) == S.EXPIRED
    assert status_of(elsewhere) == S.PENDING


def test_the_buyer_is_emailed_that_the_order_expired(
    open_campaign, overdue_order, django_capture_on_commit_callbacks
):
    # when Sari's order expires
    with django_capture_on_commit_callbacks(execute=True):
        expire_overdue(now=timezone.now())

    # then she reads which order, why, and where to order again
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [overdue_order.buyer_email]
    assert email.subject == f"Order {overdue_order.code} has expired"
    assert "Hi Sari," in email.body
    assert "the down payment did not arrive in time" in email.body
    assert "Down payment: Rp 150.000" in email.body
    due = shop_time(overdue_order.campaign.shop, overdue_order.deposit_due_at, "en")
    assert f"It was due by: {due}" in email.body
    assert "http://127.0.0.1:8000/rajut/tote/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "/rajut/tote/" in html


def test_the_expired_email_renders_in_indonesian(open_campaign, django_capture_on_commit_callbacks):
    # given an overdue order placed from an Indonesian browser
    order = past_deadline(make_order(open_campaign, note=NOTE, buyer=make_buyer(language="id")))

    # when it expires
    with django_capture_on_commit_callbacks(execute=True):
        expire_overdue(now=timezone.now())

    # then the email went out, its code and link in it
    [email] = mail.outbox
    assert order.code in email.subject
    assert order.token in email.body


# --- sold out, until the overdue orders go ------------------------------------------------------


@pytest.fixture
def last_unit_held_by_an_overdue_order(shop):
    """A PO of one unit, held by Sari's order whose deposit deadline has passed."""
    campaign = make_campaign(shop, capacity=1, variants=[{"name": "Green", "price": "150000"}])
    sari = past_deadline(make_order(campaign, buyer=make_buyer(1)))
    return campaign, sari


def test_a_sold_out_campaign_sells_a_released_unit_to_a_new_buyer(
    last_unit_held_by_an_overdue_order,
):
    # given the PO shows sold out, its one unit held by Sari's overdue order
    campaign, sari = last_unit_held_by_an_overdue_order
    campaign = Campaign.objects.get(pk=campaign.pk)  # as the next page load sees it
    assert campaign.phase == Campaign.Phase.SOLD_OUT

    # when Budi orders
    budi = make_order(campaign, buyer=make_buyer(2))

    # then Sari's order expired and Budi has the unit
    assert status_of(sari) == S.EXPIRED
    assert budi.status == S.PENDING
    assert reserved(campaign) == 1
    assert Order.objects.filter(campaign=campaign, status__in=Order.ACTIVE).get() == budi


def test_a_page_loaded_before_the_sell_out_also_releases_the_overdue_unit(shop):
    # given Budi opened the PO while it had room, then Sari took the last unit and let it lapse
    campaign = make_campaign(shop, capacity=1, variants=[{"name": "Green", "price": "150000"}])
    page = Campaign.objects.get(pk=campaign.pk)
    sari = past_deadline(make_order(campaign, buyer=make_buyer(1)))

    # when Budi sends his order from the page he had open
    budi = make_order(page, buyer=make_buyer(2))

    # then the units counter said no, the overdue unit was released, and Budi has it
    assert status_of(sari) == S.EXPIRED
    assert budi.status == S.PENDING
    assert reserved(campaign) == 1


def test_a_sold_out_variant_releases_its_overdue_units(open_campaign):
    # given all 4 Navy are held by an overdue order (and the campaign has 6 units left)
    navy = open_campaign.variants.get(name="Navy")
    sari = past_deadline(make_order(open_campaign, quantity=4, note=NOTE, variant=navy))

    # when Budi orders a Navy
    budi = make_order(open_campaign, note=NOTE, variant=navy, buyer=make_buyer(2))

    # then he gets it and Sari's order expired
    assert budi.status == S.PENDING
    assert status_of(sari) == S.EXPIRED
    assert reserved(navy) == 1
    assert reserved(open_campaign) == 1


def test_a_sold_out_campaign_with_a_payment_in_review_stays_sold_out(
    last_unit_held_by_an_overdue_order,
):
    # given Sari's proof waits for the seller
    campaign, sari = last_unit_held_by_an_overdue_order
    payment_in_review(sari)
    campaign = Campaign.objects.get(pk=campaign.pk)

    # when Budi orders
    # then he is told it is sold out, as before, and Sari keeps her unit
    with pytest.raises(CampaignNotOpen, match="Sold out"):
        make_order(campaign, buyer=make_buyer(2))
    assert status_of(sari) == S.PENDING
    assert reserved(campaign) == 1


def test_releasing_too_few_units_is_still_sold_out(open_campaign):
    # given 9 of 10 units held on time and one by an overdue order
    make_order(open_campaign, quantity=9, note=NOTE)
    late = past_deadline(make_order(open_campaign, note=NOTE))

    # when Budi asks for three
    # then the overdue unit goes back but three do not fit: sold out, nothing taken for him
    with pytest.raises(SoldOut):
        make_order(open_campaign, quantity=3, note=NOTE, buyer=make_buyer(2))
    assert status_of(late) == S.EXPIRED
    assert reserved(open_campaign) == 9


# --- at the same moment, on PostgreSQL ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_runs_at_once_expire_each_overdue_order_once(shop):
    # given 12 overdue one-unit orders on a PO of 20
    campaign = make_campaign(shop, capacity=20, variants=[{"name": "Green", "price": "150000"}])
    orders = [past_deadline(make_order(campaign, buyer=make_buyer(100 + i))) for i in range(12)]
    mail.outbox.clear()  # the order emails

    # when four copies of the expiry run at the same moment
    results = race(4, lambda i: expire_overdue(now=timezone.now()))

    # then between them they expired each order exactly once
    assert sum(results) == 12, results
    for order in orders:
        assert status_of(order) == S.EXPIRED
        assert len(expiry_events(order)) == 1
    # and every unit came back exactly once
    assert reserved(campaign) == 0
    assert Variant.objects.get(campaign=campaign).reserved == 0
    # and each buyer got one email
    assert sorted(email.to[0] for email in mail.outbox) == sorted(o.buyer_email for o in orders)
