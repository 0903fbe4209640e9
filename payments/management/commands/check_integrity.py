"""`manage.py check_integrity`: every money and stock invariant of DESIGN.md, checked in SQL.

Exits 1 and names each breach; prints a one-line all-clear otherwise. Read-only, safe to run on
production at any time (CI runs it over the demo data).
"""

from datetime import UTC

from django.core.management.base import BaseCommand, CommandError
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncHour

from campaigns.models import Campaign, Variant
from orders import tally
from orders.models import (
    CampaignHour,
    CampaignTally,
    Order,
    OrderLine,
    TransferAmount,
    VariantTally,
    WaitlistEntry,
)
from orders.services.transfer_codes import WAITING
from payments.models import GatewayTransaction, Payment, Refund, StatementLine
from payments.services.ledger import paid_sql
from payments.services.ledger import target as ledger_target

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def held_units(**link):
    """Units held by active orders' lines, per campaign or variant (a correlated subquery)."""
    lines = OrderLine.objects.filter(order__status__in=Order.ACTIVE, **link)
    return Coalesce(
        Subquery(lines.values(*link).annotate(units=Sum("quantity")).values("units")[:1]),
        0,
    )


def units_on_hold(**link):
    """Units held for waiting-list offers still open, per campaign or variant."""
    holds = WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, **link)
    return Coalesce(
        Subquery(holds.values(*link).annotate(units=Sum("held")).values("units")[:1]), 0
    )


def money_sum(model, field, **filters):
    rows = model.objects.filter(order=OuterRef("pk"), **filters)
    return Coalesce(
        Subquery(rows.values("order").annotate(total=Sum(field)).values("total")[:1]), ZERO
    )


def breaches():
    for campaign in Campaign.objects.annotate(
        in_orders=held_units(order__campaign=OuterRef("pk"))
    ).exclude(reserved=F("in_orders")):
        yield (
            f"campaign {campaign.pk} holds {campaign.reserved} units; "
            f"its active orders hold {campaign.in_orders}"
        )
    for variant in Variant.objects.annotate(in_orders=held_units(variant=OuterRef("pk"))).exclude(
        reserved=F("in_orders")
    ):
        yield (
            f"variant {variant.pk} holds {variant.reserved} units; "
            f"its active orders hold {variant.in_orders}"
        )
    # The waiting list's holds: counted apart from the orders, within the same capacity.
    for model in (Campaign, Variant):
        name = model._meta.model_name
        for row in model.objects.annotate(on_hold=units_on_hold(**{name: OuterRef("pk")})).exclude(
            held=F("on_hold")
        ):
            yield (
                f"{name} {row.pk} keeps {row.held} units held for the waiting list; "
                f"its open offers hold {row.on_hold}"
            )
        for row in model.objects.filter(capacity__isnull=False).filter(
            reserved__gt=F("capacity") - F("held")
        ):
            yield (
                f"{name} {row.pk}: {row.reserved} ordered and {row.held} held is more than "
                f"its capacity {row.capacity}"
            )
    for entry in WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED).exclude(
        variant__campaign=F("campaign")
    ):
        yield f"waiting-list place {entry.pk} holds units of another campaign's variant"
    for order in Order.objects.filter(lines__isnull=True):
        yield f"order {order.code} has no lines"
    line_total = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=DecimalField())
    for order in Order.objects.annotate(
        lines_total=Coalesce(
            Subquery(
                OrderLine.objects.filter(order=OuterRef("pk"))
                .values("order")
                .annotate(total=Sum(line_total))
                .values("total")[:1]
            ),
            ZERO,
        )
    ).exclude(subtotal=F("lines_total")):
        yield (
            f"order {order.code}: subtotal {order.subtotal} "
            f"but its lines add up to {order.lines_total}"
        )
    for order in Order.objects.exclude(
        balance_amount=F("subtotal") + F("shipping_fee") - F("deposit_amount")
    ):
        yield f"order {order.code}: deposit + balance is not the subtotal + ongkir"
    for order in Order.objects.filter(shipping_pending=True, shipping_fee__gt=0):
        yield f"order {order.code}: ongkir {order.shipping_fee} charged while still to be set"
    for order in Order.objects.filter(
        shipping_pending=True, status__in=(Order.Status.AWAITING_BALANCE, *Order.PAID_IN_FULL)
    ):
        yield f"order {order.code}: its balance fell due before its ongkir was set"
    for order in Order.objects.annotate(
        received=money_sum(Payment, "amount_received", status=Payment.Status.VERIFIED),
        refunded=money_sum(Refund, "amount"),
    ).filter(Q(refunded__gt=F("received"))):
        yield f"order {order.code}: refunds {order.refunded} exceed payments {order.received}"


def tally_breaches():
    """The running totals (orders/tally.py) against the same figures summed from the orders."""
    names = [*tally.FIGURES, "confirmed_units"]
    summed = by_campaign(Order.objects.values("campaign_id").annotate(**tally.FIGURES))
    for campaign_id, units in (
        OrderLine.objects.values("order__campaign_id")
        .annotate(units=tally.CONFIRMED_UNITS)
        .values_list("order__campaign_id", "units")
    ):
        summed[campaign_id, "confirmed_units"] = units
    kept = by_campaign(CampaignTally.objects.values("campaign_id", *names))
    for (campaign_id, name), have, want in differences(kept, summed):
        yield f"campaign {campaign_id}: running total {name} is {have}; its orders make {want}"

    confirmed = (
        OrderLine.objects.values("variant_id")
        .annotate(units=tally.CONFIRMED_UNITS)
        .values_list("variant_id", "units")
    )
    kept = VariantTally.objects.values_list("variant_id", "confirmed_units")
    for variant_id, have, want in differences(dict(kept), dict(confirmed)):
        yield f"variant {variant_id}: {have} confirmed units counted; its orders have {want}"

    placed = (
        Order.objects.annotate(hour=TruncHour("created_at", tzinfo=UTC))
        .values("campaign_id", "hour")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "hour", "n")
    )
    kept = CampaignHour.objects.values_list("campaign_id", "hour", "orders")
    per_hour = {(c, h): n for c, h, n in placed}
    for (campaign_id, hour), have, want in differences({(c, h): n for c, h, n in kept}, per_hour):
        yield (
            f"campaign {campaign_id}: {have} orders counted in the hour from "
            f"{hour:%Y-%m-%d %H}:00 UTC; {want} were placed"
        )


def by_campaign(rows) -> dict:
    """{(campaign id, figure): value} from rows of {"campaign_id": ..., figure: value, ...}."""
    return {
        (row["campaign_id"], name): value
        for row in rows
        for name, value in row.items()
        if name != "campaign_id"
    }


def differences(kept: dict, summed: dict):
    """(key, kept, summed) wherever the two disagree; a missing key counts as zero."""
    for key in kept.keys() | summed.keys():
        if kept.get(key, 0) != summed.get(key, 0):
            yield key, kept.get(key, 0), summed.get(key, 0)


def money_in_breaches():
    """The kode unik and the bank statement: DESIGN.md, Money."""
    for row in (
        TransferAmount.objects.filter(released_at__isnull=True, code__gt=0)
        .values("shop_id", "amount")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ):
        yield (
            f"shop {row['shop_id']}: {row['n']} orders waiting for money expect the same "
            f"amount {row['amount']}"
        )
    live = TransferAmount.objects.filter(released_at__isnull=True).select_related("order")
    for claim in live.exclude(order__status__in=WAITING):
        yield (
            f"order {claim.order.code} is {claim.order.status} but still holds the transfer "
            f"amount {claim.amount}"
        )
    for claim in live.filter(order__status__in=WAITING).annotate(paid=paid_sql("order_id")):
        order = claim.order
        target = ledger_target(order, claim.kind)
        # (An order that owes nothing more is moved on by whoever credited it last.)
        if 0 < target - claim.paid != claim.amount - claim.code:
            yield (
                f"order {order.code} waits for {claim.amount - claim.code} plus its code, but "
                f"owes {target - claim.paid} for its {claim.kind}"
            )
    for line in StatementLine.objects.filter(status=StatementLine.Status.CREDITED, payment=None):
        yield f"statement line {line.pk} is marked credited but no payment names it"
    for line in StatementLine.objects.exclude(status=StatementLine.Status.CREDITED).exclude(
        payment=None
    ):
        yield f"statement line {line.pk} is {line.status} but a payment names it"
    # Money found in the bank or recorded by hand is credited within what the order owed: it
    # never makes an order paid beyond its price (plus the unique code it was asked for).
    unseen = Q(payments__status=Payment.Status.VERIFIED) & (
        Q(payments__statement_line__isnull=False) | Q(payments__source=Payment.Source.RECORDED)
    )
    for order in (
        Order.objects.annotate(
            unseen=Coalesce(Sum("payments__amount_received", filter=unseen), ZERO),
            unseen_code=Coalesce(Max("payments__unique_code", filter=unseen), 0),
        )
        .filter(unseen__gt=0)
        .filter(unseen__gt=F("subtotal") + F("unseen_code"))
    ):
        yield (
            f"order {order.code}: {order.unseen} credited from statements and recorded "
            f"payments, more than its subtotal {order.subtotal} and code {order.unseen_code}"
        )


def gateway_breaches():
    """Gateway transactions: paid means exactly one payment came through it, credited at most
    the order's part of what it asked; an open one per order step."""
    for txn in GatewayTransaction.objects.filter(
        status=GatewayTransaction.Status.PAID, payment=None
    ):
        yield f"gateway transaction {txn.reference} is paid but no payment names it"
    for txn in GatewayTransaction.objects.exclude(status=GatewayTransaction.Status.PAID).exclude(
        payment=None
    ):
        yield f"gateway transaction {txn.reference} is {txn.status} but a payment names it"
    for payment in Payment.objects.filter(
        status=Payment.Status.VERIFIED,
        gateway_transaction__isnull=False,
        reviewed_by=None,
        amount_received__gt=F("gateway_transaction__amount"),
    ).select_related("gateway_transaction"):
        yield (
            f"payment {payment.pk} credited {payment.amount_received} without review from gateway "
            f"transaction {payment.gateway_transaction.reference} asking "
            f"{payment.gateway_transaction.amount}"
        )


class Command(BaseCommand):
    help = "Check every stock and money invariant; exit 1 on any breach."

    def handle(self, *args, **options):
        found = [*breaches(), *tally_breaches(), *money_in_breaches(), *gateway_breaches()]
        for breach in found:
            self.stderr.write(breach)
        if found:
            raise CommandError(f"{len(found)} integrity breach(es).")
        self.stdout.write(self.style.SUCCESS("Integrity: every invariant holds."))
