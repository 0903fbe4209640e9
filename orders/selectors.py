"""Reads for the order pages and the seller's figures, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Shop
from orders.models import Order, OrderEvent, OrderLine


def order_for_buyer(token: str) -> Order:
    return (
        Order.objects.select_related("campaign__shop")
        .prefetch_related("lines", "events")
        .get(token=token)
    )


@dataclass(frozen=True)
class Step:
    title: str
    when: datetime | date | None
    done: bool
    note: str = ""


def order_timeline(order: Order) -> list[Step]:
    """What has happened to the order, then what is still ahead with its planned dates."""
    steps = [
        Step(
            title=_("Order placed")
            if event.kind == OrderEvent.Kind.PLACED
            else event.get_to_status_display(),
            when=event.created_at,
            done=True,
            note=event.note,
        )
        for event in order.events.all()
    ]
    if order.status not in Order.ACTIVE:
        return steps
    campaign = order.campaign
    ahead = Order.ACTIVE.index(order.status)

    def before(status) -> bool:
        return ahead < Order.ACTIVE.index(status)

    if order.status == Order.Status.PENDING:
        steps.append(Step(_("Pay the deposit"), order.deposit_due_at, done=False))
    if campaign.closes_at > timezone.now():
        steps.append(Step(_("Order window closes"), campaign.closes_at, done=False))
    if before(Order.Status.AWAITING_BALANCE):
        steps.append(Step(_("Production finishes (estimate)"), campaign.production_ends_on, False))
    if order.balance_amount and before(Order.Status.PAID):
        note = _("Within %(days)d days after production finishes.") % {
            "days": campaign.balance_days
        }
        steps.append(Step(_("Pay the balance"), None, done=False, note=note))
    if before(Order.Status.SHIPPED):
        steps.append(Step(_("Shipping (estimate)"), campaign.ships_on, done=False))
    return steps


# How far an order's money has come, as the seller filters it. Until payments are recorded
# one by one (the payments issue) the order's status tells it.
PAYMENT_STATES = {
    "unpaid": Q(status=Order.Status.PENDING),
    "deposit_paid": Q(status__in=Order.DEPOSIT_ONLY, balance_amount__gt=0),
    "paid_in_full": Q(status__in=Order.PAID_IN_FULL)
    | Q(status__in=Order.DEPOSIT_ONLY, balance_amount=0),
}


def campaign_figures(campaign: Campaign) -> dict:
    """The overview's money and order figures, in one query."""
    active = Q(status__in=Order.ACTIVE)
    figures = Order.objects.filter(campaign=campaign).aggregate(
        orders=Count("id", filter=active),
        pending=Count("id", filter=Q(status=Order.Status.PENDING)),
        revenue=Sum("subtotal", filter=active, default=0),
        deposits=Sum("deposit_amount", filter=Q(status__in=Order.COUNTED), default=0),
        balances=Sum("balance_amount", filter=Q(status__in=Order.PAID_IN_FULL), default=0),
        outstanding=Sum("balance_amount", filter=Q(status__in=Order.DEPOSIT_ONLY), default=0),
    )
    figures["collected"] = figures.pop("deposits") + figures.pop("balances")
    return figures


def units_per_variant(campaign: Campaign) -> list[dict]:
    """Each variant with units ordered (held) and confirmed (counting toward the minimum)."""
    counts = {
        row["variant_id"]: row
        for row in OrderLine.objects.filter(order__campaign=campaign)
        .values("variant_id")
        .annotate(
            ordered=Sum("quantity", filter=Q(order__status__in=Order.ACTIVE), default=0),
            confirmed=Sum("quantity", filter=Q(order__status__in=Order.COUNTED), default=0),
        )
    }
    return [
        {
            "variant": variant,
            "ordered": counts.get(variant.pk, {}).get("ordered", 0),
            "confirmed": counts.get(variant.pk, {}).get("confirmed", 0),
        }
        for variant in campaign.variants.all()
    ]


def orders_per_day(campaign: Campaign, tz) -> dict:
    """Orders placed on each day of the shop's calendar, days without orders included."""
    rows = (
        Order.objects.filter(campaign=campaign)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


def shop_campaigns_with_progress(shop: Shop):
    """Every campaign of the shop, drafts included, with its confirmed units."""
    return (
        shop.campaigns.annotate(
            confirmed_units=Sum(
                "orders__lines__quantity",
                filter=Q(orders__status__in=Order.COUNTED),
                default=0,
            )
        )
        .prefetch_related("images")
        .order_by("-opens_at")
    )


def needs_attention(shop: Shop, now) -> dict:
    """What the seller should look at today, counted in SQL."""
    orders = Order.objects.filter(campaign__shop=shop)
    return {
        "waiting_for_deposit": orders.filter(status=Order.Status.PENDING).count(),
        "expiring_soon": orders.filter(
            status=Order.Status.PENDING, deposit_due_at__lte=now + EXPIRY_WARNING
        ).count(),
        "awaiting_decision": shop.campaigns.filter(
            status=Campaign.Status.PUBLISHED, closes_at__lte=now
        ),
    }


EXPIRY_WARNING = timedelta(hours=6)
