"""The seller's overdue balances: only those past due, with what cancelling would do; more time, or
cancelling as the PO terms say."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign
from orders.models import Order
from orders.services.transitions import move_order
from tests.factories import make_campaign
from tests.payments.conftest import send
from tests.payments.refund_screens.screens import BALANCES, paid_order, state
from tests.support import page_text

pytestmark = pytest.mark.django_db

S = Order.Status


@pytest.fixture
def overdue(confirmed_order, owner) -> Order:
    """Deposit in, balance due yesterday."""
    move_order(order=confirmed_order, to=S.IN_PRODUCTION)
    move_order(order=confirmed_order, to=S.AWAITING_BALANCE)
    Order.objects.filter(pk=confirmed_order.pk).update(
        balance_due_at=timezone.now() - timedelta(days=1)
    )
    confirmed_order.refresh_from_db()
    return confirmed_order


def test_overdue_balances_lists_only_those_past_due_with_what_cancelling_would_do(
    seller, overdue, open_campaign, owner
):
    # given another order whose balance is due tomorrow
    later = paid_order(open_campaign, owner, 2)
    move_order(order=later, to=S.IN_PRODUCTION)
    move_order(order=later, to=S.AWAITING_BALANCE)
    Order.objects.filter(pk=later.pk).update(balance_due_at=timezone.now() + timedelta(days=1))
    # when
    response = seller.get(BALANCES)
    # then only the overdue one is listed, with what it paid and the PO terms
    text = page_text(response)
    assert overdue.code in text and later.code not in text
    assert "Rp 75.000 of Rp 150.000" in text
    assert "The deposit is kept" in text
    assert "The deposit of Rp 75.000 is kept, as the PO terms say." in text
    assert "Give more time" in text and "Cancel the order</button>" in text


def test_overdue_balances_cost_the_same_for_one_order_or_twenty(
    seller, shop, owner, django_assert_num_queries
):
    campaign = make_campaign(shop, capacity=100)

    def overdue_order(n):
        order = paid_order(campaign, owner, n)
        move_order(order=order, to=S.IN_PRODUCTION)
        move_order(order=order, to=S.AWAITING_BALANCE)
        Order.objects.filter(pk=order.pk).update(balance_due_at=timezone.now() - timedelta(days=n))

    overdue_order(1)
    with CaptureQueriesContext(connection) as queries:
        assert seller.get(BALANCES).status_code == 200
    one = len(queries)
    for n in range(2, 21):
        overdue_order(n)
    with django_assert_num_queries(one):
        response = seller.get(BALANCES)
    assert len(response.context["rows"]) == 20
    assert one <= 7


def test_giving_more_time_moves_the_due_date(seller, overdue):
    due = timezone.localtime(timezone.now() + timedelta(days=3), timezone.get_default_timezone())
    response = seller.post(
        f"{BALANCES}{overdue.code}/extend/",
        {f"o{overdue.pk}-due_at": due.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    overdue.refresh_from_db()
    assert overdue.balance_due_at > timezone.now() + timedelta(days=2)
    shop_due = timezone.localtime(due, ZoneInfo("Asia/Jakarta"))
    assert f"now has until {shop_due.day} {shop_due:%b %Y, %H:%M} WIB to pay" in page_text(response)
    # and it is no longer overdue
    assert overdue.code not in page_text(seller.get(BALANCES))


def test_a_due_date_in_the_past_is_refused_beside_the_field(seller, overdue):
    before = state(overdue)
    past = timezone.localtime(timezone.now() - timedelta(days=3))
    response = seller.post(
        f"{BALANCES}{overdue.code}/extend/",
        {f"o{overdue.pk}-due_at": past.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "Choose a due date in the future." in page_text(response)
    assert state(overdue) == before


def test_cancelling_an_overdue_order_follows_the_po_terms(seller, overdue):
    Campaign.objects.filter(pk=overdue.campaign_id).update(
        late_balance=Campaign.LateBalance.REFUND_DEPOSIT
    )
    response = seller.post(f"{BALANCES}{overdue.code}/cancel/", follow=True)
    overdue.refresh_from_db()
    assert overdue.status == S.CANCELLED
    assert overdue.refunds.get().amount == Decimal(75000)
    assert "a refund of Rp 75.000 is on the refunds list" in page_text(response)


def test_an_overdue_order_with_a_payment_to_review_is_not_cancelled(seller, overdue):
    send(overdue, "75000")
    text = page_text(seller.get(BALANCES))
    assert "waiting for your review" in text
    assert "Cancel the order</button>" not in text
    before = state(overdue)
    response = seller.post(f"{BALANCES}{overdue.code}/cancel/", follow=True)
    assert "review it first" in page_text(response)
    assert state(overdue) == before
