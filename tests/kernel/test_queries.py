"""kernel/queries.py: a flag read in the query a page makes anyway (HasRows), and a small query
whose SQL is written once per process (rows_of). Both on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from django.db.models import Exists, F, OuterRef

from kernel.queries import HasRows, rows_of
from orders.models import Order, OrderEvent, OrderLine
from payments.models import Payment, PaymentAccount
from tests.factories import make_buyer, make_campaign, make_order, make_shop
from tests.orders.production import sent

pytestmark = pytest.mark.django_db


def flags(queryset, expression) -> dict:
    return dict(queryset.annotate(flag=expression).values_list("pk", "flag"))


def test_has_rows_says_which_rows_have_rows_pointing_at_them(open_campaign):
    # given two orders, one with a payment sent
    paid = make_order(open_campaign, note="Sari", buyer=make_buyer(1))
    unpaid = make_order(open_campaign, note="Budi", buyer=make_buyer(2))
    sent(paid, "75000")

    # then the flag says so for each, as Exists does
    assert flags(Order.objects.all(), HasRows(Payment, order=F("pk"))) == {
        paid.pk: True,
        unpaid.pk: False,
    }
    exists = Exists(Payment.objects.filter(order=OuterRef("pk")))
    assert flags(Order.objects.all(), exists) == {paid.pk: True, unpaid.pk: False}


def test_has_rows_follows_a_relation_of_the_outer_query_and_matches_values_too(open_campaign, shop):
    # given orders of two shops, each with one payment account, the other's inactive
    other = make_shop(name="Other", slug="other")
    PaymentAccount.objects.create(shop=shop, provider="BCA", number="1", holder="Rajut")
    PaymentAccount.objects.create(
        shop=other, provider="BCA", number="2", holder="Other", is_active=False
    )
    ours = make_order(open_campaign, note="Sari")
    theirs = make_order(make_campaign(other, slug="bag"))
    shop_accounts = F("campaign__shop_id")

    # then any account counts, or only an active one where asked
    assert flags(Order.objects.all(), HasRows(PaymentAccount, shop=shop_accounts)) == {
        ours.pk: True,
        theirs.pk: True,
    }
    active = HasRows(PaymentAccount, shop=shop_accounts, is_active=True)
    assert flags(Order.objects.all(), active) == {ours.pk: True, theirs.pk: False}
    # and the flag sits beside select_related's join of the same table
    order = Order.objects.select_related("campaign__shop").annotate(flag=active).get(pk=theirs.pk)
    assert order.flag is False and order.campaign.shop == other


def test_rows_of_reads_a_values_rows_in_the_models_order_with_their_types(open_campaign):
    # given an order with two lines, and another order
    order = make_order(open_campaign, note="Sari", buyer=make_buyer(1))
    navy = open_campaign.variants.get(name="Navy")
    OrderLine.objects.create(
        order=order, variant=navy, variant_name="Navy", unit_price=Decimal(165000), quantity=2
    )
    other = make_order(open_campaign, note="Budi", buyer=make_buyer(2))

    # then each order gets its own lines, as the ORM reads them
    lines = rows_of(OrderLine, "order", order.pk)
    assert [line.pk for line in lines] == [line.pk for line in order.lines.all()]
    assert [(line.variant_name, line.unit_price, line.quantity) for line in lines] == [
        ("Green", Decimal(150000), 1),
        ("Navy", Decimal(165000), 2),
    ]
    assert [line.pk for line in rows_of(OrderLine, "order", other.pk)] == [
        line.pk for line in other.lines.all()
    ]


def test_rows_of_sees_rows_written_after_its_sql_was(open_campaign):
    # given an order's events read once
    order = make_order(open_campaign, note="Sari")
    assert [event.kind for event in rows_of(OrderEvent, "order", order.pk)] == ["placed"]

    # when the seller writes a note
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.NOTE, note="Fabric is in")

    # then the next read has it, oldest first, its note a sentence as the ORM gives it
    events = rows_of(OrderEvent, "order", order.pk)
    assert [event.kind for event in events] == ["placed", "note"]
    assert events[1].note == list(order.events.all())[1].note
    assert str(events[1].note) == "Fabric is in"
