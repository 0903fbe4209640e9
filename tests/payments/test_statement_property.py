"""Any mix of statements, shuffled, imported twice, overlapping: each real transfer is credited at
most once, and no order is ever credited more than it owes (DESIGN.md, Money)."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from orders.models import Order
from payments.models import Payment, StatementLine
from payments.services.statements import confirm_statement, preview_statement, upload_statement
from tests.factories import make_campaign, make_order, make_shop
from tests.payments.statement_files import klikbca, upload

ORDERS = 4

# A real transfer: how many days ago, for which order (or none), and how it was sent: the exact
# amount the order waits for; part of it with the order code in the note; or anything else.
transfers = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=ORDERS - 1),
        st.sampled_from(["exact", "exact", "code", "other"]),
        st.integers(min_value=1, max_value=90),
    ),
    min_size=1,
    max_size=12,
)
# A statement: a stretch of the transfers (the bank's export of some days), in any order.
statements = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=12), st.randoms()
    ),
    min_size=1,
    max_size=4,
)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sent=transfers, imports=statements)
def test_statements_in_any_order_and_overlap_credit_each_transfer_once_within_what_is_owed(
    db, sent, imports
):
    # given a shop adding codes, four orders waiting for their down payment since five days ago
    shop = make_shop(unique_codes=True)
    five_days_ago = timezone.now() - timedelta(days=5)
    campaign = make_campaign(
        shop, capacity=None, min_quantity=100, opens_at=five_days_ago - timedelta(days=1)
    )
    orders = [make_order(campaign, now=five_days_ago) for _ in range(ORDERS)]
    told = {o.pk: o.transfer_amounts.get().amount for o in orders}  # what each buyer was told

    # and the transfers that really reached the bank, oldest first
    today = timezone.localdate()
    real = []
    for days_ago, which, how, thousands in sorted(sent, key=lambda t: -t[0]):
        order = orders[which]
        day = today - timedelta(days=days_ago)
        if how == "exact":
            real.append((day, told[order.pk], f"TRSF E-BANKING CR BUYER {which}"))
        elif how == "code":
            real.append((day, Decimal(thousands * 1000), f"TRSF E-BANKING CR DP {order.code}"))
        else:
            real.append((day, Decimal(thousands * 1000), f"SETORAN TUNAI {thousands % 2}"))

    # when the seller imports stretches of them, each shuffled, confirming every preview
    for start, length, shuffle in imports:
        lines = real[start : start + length]
        if not lines:
            continue
        shuffle.shuffle(lines)
        statement = upload_statement(
            shop=shop, layout="bca", upload=upload(klikbca(lines)), actor=shop.owner
        )
        preview = preview_statement(statement=statement)
        confirm_statement(statement=statement, digest=preview.digest, actor=shop.owner)

    # then no transfer is stored, or credited, more often than it really happened
    stored = Counter(
        StatementLine.objects.filter(shop=shop).values_list("booked_on", "amount", "description")
    )
    happened = Counter((day, Decimal(amount), text) for day, amount, text in real)
    for content, times in stored.items():
        assert times <= happened[content], content
    credited = Payment.objects.filter(order__campaign=campaign, statement_line__isnull=False)
    assert credited.count() == StatementLine.objects.filter(shop=shop, status="credited").count()
    # and no order got more than it owes (its price, plus the code it was asked for), and one
    # whose down payment is in is confirmed
    for order in orders:
        order.refresh_from_db()
        payments = list(order.payments.filter(status="verified"))
        total = sum((p.amount_received for p in payments), Decimal(0))
        codes = max((p.unique_code for p in payments), default=0)
        assert total <= order.subtotal + codes, (order.code, total)
        assert (total >= order.deposit_amount) == (order.status == Order.Status.CONFIRMED)
    # and every invariant check_integrity knows still holds
    call_command("check_integrity", stdout=StringIO())
