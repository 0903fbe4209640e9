"""Running totals of each campaign's orders (CampaignTally, VariantTally, CampaignHour).

The dashboard reads these few rows instead of summing every order, so its pages cost the same at
100,000 orders as at 1,000 (bench/big.py). They change only here, in the transaction that places
(orders/services/placing.py), moves (orders/services/transitions.py) or re-prices (its ongkir) an
order, by an UPDATE per
row that adds the difference (an upsert, for a placed order): two orders at once each add their
own, and no row is read first.
`recount` rebuilds them from the orders (bulk loads, the migration); `check_integrity` compares the
two."""

from collections import Counter
from copy import copy
from datetime import UTC
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncHour

from orders.models import CampaignHour, CampaignTally, Order, OrderLine, VariantTally

ZERO = Decimal(0)


def order_placed(order: Order) -> list[tuple[str, list]]:
    """What a new order adds to its campaign's rows, as statements (SQL, parameters) for
    placing to run with the order's other writes (kernel/batch.py)."""
    hour = order.created_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    campaign = {"campaign_id": order.campaign_id}
    # A placed order only adds, so both rows are upserted outright: an upsert's INSERT is held
    # to the CHECK constraints before it finds the row, which a figure going down would fail.
    return [
        _upsert(CampaignTally, campaign, _weights(order, order.status, 0)),
        _upsert(CampaignHour, {**campaign, "hour": hour}, {"orders": 1}),
    ]


def order_moved(order: Order, old: str, new: str) -> None:
    """`order` (its lines loadable) went from status `old` to `new`."""
    confirmed = (new in Order.COUNTED) - (old in Order.COUNTED)
    units = Counter()
    if confirmed:
        for variant_id, quantity in order.lines.values_list("variant_id", "quantity"):
            units[variant_id] += quantity
    total = sum(units.values())
    before, after = _weights(order, old, total), _weights(order, new, total)
    _add(
        CampaignTally,
        {"campaign_id": order.campaign_id},
        {name: after[name] - before[name] for name in after},
    )
    for variant_id, quantity in sorted(units.items()):
        _add(VariantTally, {"variant_id": variant_id}, {"confirmed_units": confirmed * quantity})


def amounts_changed(order: Order, *, deposit: Decimal, balance: Decimal) -> None:
    """`order`'s deposit and balance were `deposit` and `balance` until now (its ongkir changed,
    payments/services/shipping_fees.py); its status has not moved."""
    old = copy(order)
    old.deposit_amount, old.balance_amount = deposit, balance
    before, after = _weights(old, order.status, 0), _weights(order, order.status, 0)
    _add(
        CampaignTally,
        {"campaign_id": order.campaign_id},
        {name: after[name] - before[name] for name in after},
    )


def _weights(order: Order, status: str, units: int) -> dict:
    """What one order in `status` adds to its campaign's tally (`units`: its units in all)."""
    return {
        "orders": int(status in Order.ACTIVE),
        "pending": int(status == Order.Status.PENDING),
        "confirmed_units": units if status in Order.COUNTED else 0,
        "revenue": order.subtotal if status in Order.ACTIVE else ZERO,
        "collected": (order.deposit_amount if status in Order.COUNTED else ZERO)
        + (order.balance_amount if status in Order.PAID_IN_FULL else ZERO),
        "outstanding": order.balance_amount if status in Order.DEPOSIT_ONLY else ZERO,
    }


def _add(model, key: dict, deltas: dict) -> None:
    """Add `deltas` to the row at `key`; the first time, insert it with them.

    The insert is INSERT ... ON CONFLICT DO UPDATE (the same on SQLite and PostgreSQL): two
    first orders at once both add theirs. Django's bulk_create(update_conflicts=...) can only
    overwrite a column, not add to it.
    """
    deltas = {name: value for name, value in deltas.items() if value}
    if not deltas or model.objects.filter(**key).update(
        **{name: F(name) + value for name, value in deltas.items()}
    ):
        return
    sql, params = _upsert(model, key, deltas)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _upsert(model, key: dict, deltas: dict) -> tuple[str, list]:
    """INSERT ... ON CONFLICT DO UPDATE adding `deltas` (those not zero; one at least) to the
    row at `key`: the SQL and its parameters."""
    deltas = {name: value for name, value in deltas.items() if value}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = {name: quote(model._meta.get_field(name).column) for name in [*key, *deltas]}
    keys = ", ".join(columns[name] for name in key)
    sums = ", ".join(
        f"{columns[name]} = {table}.{columns[name]} + excluded.{columns[name]}" for name in deltas
    )
    # Table and column names come from the models; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns.values())}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({keys}) DO UPDATE SET {sums}"
    )
    params = [
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in {**key, **deltas}.items()
    ]
    return sql, params


# Each campaign's tally summed from its orders: what _weights adds up one order at a time.
FIGURES = {
    "orders": Count("id", filter=Q(status__in=Order.ACTIVE)),
    "pending": Count("id", filter=Q(status=Order.Status.PENDING)),
    "revenue": Sum("subtotal", filter=Q(status__in=Order.ACTIVE), default=ZERO),
    "collected": Sum("deposit_amount", filter=Q(status__in=Order.COUNTED), default=ZERO)
    + Sum("balance_amount", filter=Q(status__in=Order.PAID_IN_FULL), default=ZERO),
    "outstanding": Sum("balance_amount", filter=Q(status__in=Order.DEPOSIT_ONLY), default=ZERO),
}
CONFIRMED_UNITS = Sum("quantity", filter=Q(order__status__in=Order.COUNTED), default=0)


@transaction.atomic
def recount(campaign_ids) -> None:
    """Rebuild the tallies of these campaigns from their orders."""
    orders = Order.objects.filter(campaign_id__in=campaign_ids)
    lines = OrderLine.objects.filter(order__campaign_id__in=campaign_ids)
    CampaignTally.objects.filter(campaign_id__in=campaign_ids).delete()
    VariantTally.objects.filter(variant__campaign_id__in=campaign_ids).delete()
    CampaignHour.objects.filter(campaign_id__in=campaign_ids).delete()

    confirmed = dict(
        lines.values("order__campaign_id")
        .annotate(units=CONFIRMED_UNITS)
        .values_list("order__campaign_id", "units")
    )
    tallies = []
    for row in orders.values("campaign_id").annotate(**FIGURES):
        campaign_id = row.pop("campaign_id")
        tallies.append(
            CampaignTally(
                campaign_id=campaign_id, confirmed_units=confirmed.get(campaign_id, 0), **row
            )
        )
    CampaignTally.objects.bulk_create(tallies)
    VariantTally.objects.bulk_create(
        VariantTally(variant_id=variant_id, confirmed_units=units)
        for variant_id, units in lines.values("variant_id")
        .annotate(units=CONFIRMED_UNITS)
        .values_list("variant_id", "units")
    )
    CampaignHour.objects.bulk_create(
        CampaignHour(campaign_id=campaign_id, hour=hour, orders=n)
        for campaign_id, hour, n in orders.annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("campaign_id", "hour")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "hour", "n")
    )
