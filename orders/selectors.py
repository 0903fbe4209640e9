"""Reads for the order pages and the seller's figures, each in a fixed number of queries."""

import re
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Announcement, Campaign, Shop, Variant
from campaigns.selectors import CONFIRMED_UNITS
from campaigns.services.timing import in_payday_span
from kernel.phones import to_e164
from kernel.queries import HasRows, rows_of
from orders.models import (
    CampaignHour,
    CampaignTally,
    Order,
    OrderEvent,
    OrderLine,
    VariantTally,
    WaitlistEntry,
)


def order_for_buyer(token: str, **hints) -> Order:
    """The order behind a secret link, with its campaign and shop, and whether the campaign has
    announcements (`has_announcements`), so that a page reads them (buyer_announcements) only
    when there are some. `hints`: more such flags to read in the same query
    (payments.selectors.order_page_hints). Its lines and events: order_lines, order_events."""
    return (
        Order.objects.select_related("campaign__shop")
        .annotate(
            has_announcements=HasRows(Announcement, campaign=F("campaign_id")),
            **hints,
        )
        .get(token=token)
    )


def order_lines(order: Order) -> list[OrderLine]:
    """The order's lines, in one query of SQL written once (kernel.queries.rows_of)."""
    return rows_of(OrderLine, "order", order.pk)


def order_events(order: Order) -> list[OrderEvent]:
    """The order's timeline events, oldest first, in one query of SQL written once."""
    return rows_of(OrderEvent, "order", order.pk)


def buyer_announcements(order: Order) -> list[Announcement]:
    """The campaign's updates, newest first, for an order from order_for_buyer."""
    if not order.has_announcements:
        return []
    return list(order.campaign.announcements.all())


@dataclass(frozen=True)
class Step:
    title: str
    when: datetime | date | None
    done: bool
    note: str = ""
    original: date | None = None  # the first estimate, where the seller revised it


def _estimate(title, campaign: Campaign, current: date, original: date, revised: bool) -> Step:
    if not revised:
        return Step(title, current, done=False)
    note = _("New estimate: %(reason)s") % {"reason": campaign.revision_reason}
    return Step(title, current, done=False, note=note, original=original)


def order_timeline(
    order: Order, *, payment_waiting: bool = False, events: list[OrderEvent] | None = None
) -> list[Step]:
    """What has happened to the order, then what is still ahead with its planned dates.

    `payment_waiting`: a payment sent waits for the seller's review, so paying is not ahead any
    more (the payments card shows it with its state). `events`: the order's, where already read
    (order_events); by default `order.events.all()`."""
    steps = [
        Step(
            title=_("Order placed")
            if event.kind == OrderEvent.Kind.PLACED
            else event.get_to_status_display()
            if event.kind == OrderEvent.Kind.STATUS
            else event.get_kind_display(),
            when=event.created_at,
            done=True,
            note=event.note,
        )
        for event in (order.events.all() if events is None else events)
    ]
    if order.status not in Order.ACTIVE:
        return steps
    campaign = order.campaign
    ahead = Order.ACTIVE.index(order.status)

    def before(status) -> bool:
        return ahead < Order.ACTIVE.index(status)

    if order.status == Order.Status.PENDING and not payment_waiting:
        steps.append(Step(_("Pay the deposit"), order.deposit_due_at, done=False))
    if campaign.closes_at > timezone.now():
        steps.append(Step(_("Order window closes"), campaign.closes_at, done=False))
    if before(Order.Status.AWAITING_BALANCE):
        steps.append(
            _estimate(
                _("Production finishes (estimate)"),
                campaign,
                campaign.current_production_ends_on,
                campaign.production_ends_on,
                campaign.production_end_revised,
            )
        )
    if (
        order.balance_amount
        and before(Order.Status.PAID)
        and not (payment_waiting and order.status == Order.Status.AWAITING_BALANCE)
    ):
        if order.balance_due_at:
            # Set when production finished: the real deadline replaces the rule of thumb.
            steps.append(Step(_("Pay the balance"), order.balance_due_at, done=False))
        else:
            note = _("Within %(days)d days after production finishes.") % {
                "days": campaign.balance_days
            }
            steps.append(Step(_("Pay the balance"), None, done=False, note=note))
    if before(Order.Status.SHIPPED):
        steps.append(
            _estimate(
                _("Shipping (estimate)"),
                campaign,
                campaign.current_ships_on,
                campaign.ships_on,
                campaign.shipping_revised,
            )
        )
    return steps


# How far an order's money has come, as the seller filters it. Until payments are recorded
# one by one (the payments issue) the order's status tells it.
PAYMENT_STATES = {
    "unpaid": Q(status=Order.Status.PENDING),
    "deposit_paid": Q(status__in=Order.DEPOSIT_ONLY, balance_amount__gt=0),
    "paid_in_full": Q(status__in=Order.PAID_IN_FULL)
    | Q(status__in=Order.DEPOSIT_ONLY, balance_amount=0),
    # Where the shop sets each order's ongkir by hand: those still without one.
    "ongkir_unset": Q(status__in=Order.ACTIVE, shipping_pending=True),
}


def campaign_figures(campaign: Campaign) -> dict:
    """The overview's money and order figures: the campaign's running totals (orders/tally.py)."""
    tally = CampaignTally.objects.filter(campaign=campaign).first() or CampaignTally()
    return {
        "orders": tally.orders,
        "pending": tally.pending,
        "revenue": tally.revenue,
        "collected": tally.collected,
        "outstanding": tally.outstanding,
    }


def units_per_variant(campaign: Campaign) -> list[dict]:
    """Each variant with units ordered (held) and confirmed (counting toward the minimum)."""
    confirmed = dict(
        VariantTally.objects.filter(variant__campaign=campaign).values_list(
            "variant_id", "confirmed_units"
        )
    )
    return [
        {
            "variant": variant,
            "ordered": variant.reserved,
            "confirmed": confirmed.get(variant.pk, 0),
        }
        for variant in campaign.variants.all()
    ]


def orders_per_day(campaign: Campaign, tz) -> Counter:
    """Orders placed on each day of the shop's calendar (days without orders are not listed).

    Added up from the hourly counts: a shop in a half-hour time zone sees its midnight rounded
    to the hour.
    """
    days = Counter()
    for hour, orders in CampaignHour.objects.filter(campaign=campaign).values_list(
        "hour", "orders"
    ):
        days[timezone.localtime(hour, tz).date()] += orders
    return days


def shop_campaigns_with_progress(shop: Shop):
    """Every campaign of the shop, drafts included, with its confirmed units."""
    return (
        shop.campaigns.annotate(confirmed_units=CONFIRMED_UNITS)
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


# --- the seller's order screens -------------------------------------------------------------


@dataclass(frozen=True)
class OrderFilters:
    """What the seller narrowed the orders list to; empty values filter nothing."""

    status: str = ""
    payment: str = ""  # a key of PAYMENT_STATES
    variant_id: int | None = None
    search: str = ""


def seller_orders(
    shop: Shop, *, campaign: Campaign | None = None, filters: OrderFilters | None = None
) -> QuerySet[Order]:
    """The shop's orders (or one campaign's), newest first, with their lines: one query a page.

    Lines are prefetched, so a page of rows costs the same whatever the number of orders.
    """
    filters = filters or OrderFilters()
    if campaign is None:
        orders = Order.objects.filter(campaign__shop=shop)
    elif campaign.shop_id == shop.pk:
        # The page's count then reads the orders alone, with no join to campaigns.
        orders = Order.objects.filter(campaign=campaign)
    else:
        orders = Order.objects.none()
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.payment:
        orders = orders.filter(PAYMENT_STATES[filters.payment])
    if filters.variant_id is not None:
        # EXISTS rather than a join: an order with two lines of the variant appears once.
        lines = OrderLine.objects.filter(order=OuterRef("pk"), variant_id=filters.variant_id)
        orders = orders.filter(Exists(lines))
    if filters.search:
        orders = orders.filter(_search(filters.search))
    return (
        orders.select_related("campaign").prefetch_related("lines").order_by("-created_at", "-id")
    )


def _search(text: str) -> Q:
    """Code, name, email or WhatsApp number; `0812...` finds the `+62812...` stored in E.164."""
    text = text.strip()
    match = Q(code__icontains=text) | Q(buyer_name__icontains=text) | Q(buyer_email__icontains=text)
    with suppress(ValidationError):  # not a whole number: the other fields may still match
        match |= Q(buyer_phone=to_e164(text))
    # Part of a number, as typed locally: the trunk 0 is not in the stored form.
    digits = re.sub(r"\D", "", text).lstrip("0")
    if len(digits) >= 4:
        match |= Q(buyer_phone__contains=digits)
    return match


def seller_order(shop: Shop, code: str) -> Order:
    """One order of the shop with everything its page shows; DoesNotExist for another shop's."""
    return (
        Order.objects.select_related("campaign__shop")
        .prefetch_related(
            "lines", Prefetch("events", queryset=OrderEvent.objects.select_related("actor"))
        )
        .get(campaign__shop=shop, code=code)
    )


@dataclass(frozen=True)
class RecapNote:
    note: str  # as one of the buyers wrote it; empty: no customisation
    units: int


@dataclass(frozen=True)
class RecapVariant:
    variant: Variant
    units: int
    notes: list[RecapNote]


def campaign_recap(campaign: Campaign, *, include_pending: bool = False) -> list[RecapVariant]:
    """Units per variant and, within it, per customisation note: what the vendor must make.

    Notes that differ only in case or surrounding spaces are one group. Confirmed orders only
    unless `include_pending` (orders still waiting for their deposit hold units too).
    Summed in SQL, in one query whatever the number of orders.
    """
    statuses = Order.ACTIVE if include_pending else Order.COUNTED
    rows = (
        OrderLine.objects.filter(order__campaign=campaign, order__status__in=statuses)
        .annotate(key=Lower(Trim("note")))
        .values("variant_id", "key")
        .annotate(units=Sum("quantity"), note=Min(Trim("note")))
        .order_by("variant_id", "-units", "key")
    )
    notes: dict[int, list[RecapNote]] = {}
    for row in rows:
        notes.setdefault(row["variant_id"], []).append(RecapNote(row["note"], row["units"]))
    return [
        RecapVariant(
            variant=variant,
            units=sum(group.units for group in notes.get(variant.pk, [])),
            notes=notes.get(variant.pk, []),
        )
        for variant in campaign.variants.all()
    ]


@dataclass(frozen=True)
class RecapDestination:
    place: str  # "Kota Bandung, Jawa Barat", a pickup point, or "" where none was asked
    pickup: bool
    orders: int
    units: int


def destination_recap(campaign: Campaign, *, include_pending: bool = False):
    """Orders and units per destination and pickup point, for the courier: most first."""
    statuses = Order.ACTIVE if include_pending else Order.COUNTED
    rows = (
        Order.objects.filter(campaign=campaign, status__in=statuses)
        .values("destination_name", "pickup")
        .annotate(orders=Count("pk", distinct=True), units=Sum("lines__quantity"))
        .order_by("-units", "destination_name", "pickup")
    )
    return [
        RecapDestination(
            place=row["pickup"] or row["destination_name"],
            pickup=bool(row["pickup"]),
            orders=row["orders"],
            units=row["units"] or 0,
        )
        for row in rows
    ]


def lines_for_export(campaign: Campaign):
    """Every line of the campaign's orders with its order, oldest order first, read in chunks
    so an export never holds all orders in memory."""
    return (
        OrderLine.objects.filter(order__campaign=campaign)
        .select_related("order")
        .order_by("order__created_at", "order_id", "id")
        .iterator(chunk_size=2000)
    )


def confirmed_units(campaign: Campaign) -> int:
    """Units of the orders whose deposit is in: what counts toward the minimum."""
    return OrderLine.objects.filter(
        order__campaign=campaign, order__status__in=Order.COUNTED
    ).aggregate(units=Sum("quantity", default=0))["units"]


# --- the shop's history: when its buyers order (campaigns/views/history.py) -----------------

DAYS = range(1, 32)
HOURS = range(24)


@dataclass(frozen=True)
class OrderHistory:
    by_day: dict[int, int]  # day of the month (1–31) → orders placed on it; missing days had none
    by_hour: dict[int, int]  # hour of the day (0–23) → orders placed within it
    campaigns: int  # campaigns with at least one order

    @property
    def total(self) -> int:
        return sum(self.by_day.values())

    def busiest_days(self, n: int = 3) -> list[int]:
        return _busiest(self.by_day, n)

    def busiest_hours(self, n: int = 3) -> list[int]:
        return _busiest(self.by_hour, n)

    @property
    def payday_percent(self) -> int:
        """The share of orders placed inside a pay-day window (the 25th to the 2nd), in percent."""
        if not self.total:
            return 0
        around_payday = sum(n for day, n in self.by_day.items() if in_payday_span(day))
        return round(100 * around_payday / self.total)


def _busiest(counts: dict[int, int], n: int) -> list[int]:
    # Most orders first; a tie goes to the earlier day or hour, so the page does not reshuffle.
    busy = [key for key, count in counts.items() if count]
    return sorted(busy, key=lambda key: (-counts[key], key))[:n]


def order_history(shop: Shop) -> OrderHistory:
    """Every order placed in the shop's campaigns, counted by day and hour in its time zone.

    Every order counts, whatever became of it since: one that later expired or was cancelled
    still tells when buyers come to order. Read from the hourly counts (orders/tally.py), one
    query whatever the number of orders; a shop in a half-hour time zone sees its hours rounded.
    """
    tz = ZoneInfo(shop.time_zone)
    by_day, by_hour, campaigns = Counter(), Counter(), set()
    for campaign_id, hour, orders in CampaignHour.objects.filter(campaign__shop=shop).values_list(
        "campaign_id", "hour", "orders"
    ):
        local = timezone.localtime(hour, tz)
        by_day[local.day] += orders
        by_hour[local.hour] += orders
        campaigns.add(campaign_id)
    return OrderHistory(by_day=dict(by_day), by_hour=dict(by_hour), campaigns=len(campaigns))


# --- the waiting list ----------------------------------------------------------------------------


def waitlist_entry_for_buyer(token: str) -> WaitlistEntry:
    """The place behind a private waiting-list link (WaitlistEntry.DoesNotExist otherwise)."""
    return WaitlistEntry.objects.select_related("campaign__shop", "variant", "order").get(
        token=token
    )


def place_in_line(entry: WaitlistEntry) -> int | None:
    """1 for the next to be offered units of its variant; None once off the waiting line."""
    if entry.status != WaitlistEntry.Status.WAITING:
        return None
    ahead = WaitlistEntry.objects.filter(
        variant_id=entry.variant_id, status=WaitlistEntry.Status.WAITING
    ).filter(Q(joined_at__lt=entry.joined_at) | Q(joined_at=entry.joined_at, pk__lt=entry.pk))
    return ahead.count() + 1


@dataclass(frozen=True)
class Waitlist:
    """A campaign's waiting list as the seller reads it: figures, then every place in order."""

    entries: list
    waiting: int
    units_wanted: int
    offers: int
    units_held: int


def campaign_waitlist(campaign: Campaign) -> Waitlist:
    """Every place on the campaign's list, first joined first, with the order each made; one
    query whatever their number."""
    entries = list(
        WaitlistEntry.objects.filter(campaign=campaign)
        .select_related("variant", "order")
        .order_by("joined_at", "pk")
    )
    waiting = [e for e in entries if e.status == WaitlistEntry.Status.WAITING]
    offers = [e for e in entries if e.status == WaitlistEntry.Status.OFFERED]
    line = Counter()
    for entry in waiting:
        line[entry.variant_id] += 1
        entry.place = line[entry.variant_id]
    return Waitlist(
        entries=entries,
        waiting=len(waiting),
        units_wanted=sum(e.quantity for e in waiting),
        offers=len(offers),
        units_held=sum(e.held for e in offers),
    )
