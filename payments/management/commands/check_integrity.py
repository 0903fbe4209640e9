"""`manage.py check_integrity`: every money and stock invariant of DESIGN.md, checked in SQL.

Exits 1 and names each breach; prints a one-line all-clear otherwise. Read-only, safe to run on
production at any time (CI runs it over the demo data).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from campaigns.models import Campaign, Variant
from orders.models import Order, OrderLine
from payments.models import Payment, Refund

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def held_units(**link):
    """Units held by active orders' lines, per campaign or variant (a correlated subquery)."""
    lines = OrderLine.objects.filter(order__status__in=Order.ACTIVE, **link)
    return Coalesce(
        Subquery(lines.values(*link).annotate(units=Sum("quantity")).values("units")[:1]),
        0,
    )


def money_sum(model, field, **filters):
    rows = model.objects.filter(order=OuterRef("pk"), **filters)
    return Coalesce(
        Subquery(rows.values("order").annotate(total=Sum(field)).values("total")[:1]), ZERO
    )


def breaches():
    for campaign in Campaign.objects.annotate(
        held=held_units(order__campaign=OuterRef("pk"))
    ).exclude(reserved=F("held")):
        yield (
            f"campaign {campaign.pk} holds {campaign.reserved} units; "
            f"its active orders hold {campaign.held}"
        )
    for variant in Variant.objects.annotate(held=held_units(variant=OuterRef("pk"))).exclude(
        reserved=F("held")
    ):
        yield (
            f"variant {variant.pk} holds {variant.reserved} units; "
            f"its active orders hold {variant.held}"
        )
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
    for order in Order.objects.exclude(subtotal=F("deposit_amount") + F("balance_amount")):
        yield f"order {order.code}: deposit + balance is not the subtotal"
    for order in Order.objects.annotate(
        received=money_sum(Payment, "amount_received", status=Payment.Status.VERIFIED),
        refunded=money_sum(Refund, "amount"),
    ).filter(Q(refunded__gt=F("received"))):
        yield f"order {order.code}: refunds {order.refunded} exceed payments {order.received}"


class Command(BaseCommand):
    help = "Check every stock and money invariant; exit 1 on any breach."

    def handle(self, *args, **options):
        found = list(breaches())
        for breach in found:
            self.stderr.write(breach)
        if found:
            raise CommandError(f"{len(found)} integrity breach(es).")
        self.stdout.write(self.style.SUCCESS("Integrity: every invariant holds."))
