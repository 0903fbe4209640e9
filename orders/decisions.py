"""The seller's production decisions on a campaign, and what they do to its orders.

Each decision is one transaction: the campaign row is locked first, then its orders (by id), so
two people deciding at once decide once, and an order placed or paid meanwhile is counted or
waits. A refusal raises DecisionRefused with the sentence the seller reads; nothing is written.

Orders cannot read the payments ledger (payments → orders → campaigns), so whoever knows what an
order has paid passes it in: payments.decisions.finish_production when production finishes, and
payments.services.verify_payment for a deposit verified after production started.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.clock import shop_time
from campaigns.models import Campaign, CampaignEvent
from campaigns.transitions import move_campaign
from orders import emails
from orders.models import Order, OrderLine
from orders.transitions import move_order

# A published campaign may be extended from this long before it closes: the seller sees the
# minimum will be missed before the last day is over.
EXTEND_NOTICE = timedelta(days=2)
# Closed by the clock, or by its last unit: either way nobody can order, so it is time to decide.
DECIDING_PHASES = (Campaign.Phase.CLOSED, Campaign.Phase.SOLD_OUT)


class DecisionRefused(Exception):
    """A campaign decision the rules refuse; nothing has been written when raised."""

    message = gettext_lazy("This decision could not be made.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


# --- what the seller may decide now ------------------------------------------------------------


@dataclass(frozen=True)
class ProductionMoves:
    """The production decisions that fit the campaign now: the overview offers exactly these."""

    closed: bool  # the window has closed or sold out: the seller decides
    min_reached: bool  # confirmed units reach the minimum
    extended: bool  # the window was already extended once
    can_start: bool
    can_finish: bool
    can_extend: bool


def production_moves(campaign: Campaign, *, confirmed_units: int, now: datetime) -> ProductionMoves:
    """Reads the campaign's events (prefetch them on a page) and nothing else."""
    extended = any(_is_extension(event) for event in campaign.events.all())
    min_reached = confirmed_units >= campaign.min_quantity
    return ProductionMoves(
        closed=campaign.phase_at(now) in DECIDING_PHASES,
        min_reached=min_reached,
        extended=extended,
        can_start=_start_refusal(campaign, confirmed_units, now) is None,
        can_finish=campaign.status == Campaign.Status.IN_PRODUCTION,
        # Offered only where it helps: the minimum is not there yet.
        can_extend=not min_reached
        and _extend_refusal(campaign, now, times_extended=int(extended)) is None,
    )


# --- start production --------------------------------------------------------------------------


def start_production(
    *, campaign: Campaign, actor: AbstractBaseUser | None, now: datetime | None = None
) -> Campaign:
    """The minimum is reached: the campaign and its confirmed orders go into production.

    Rules: the campaign is published; its window has closed or it sold out; the units of its
    confirmed orders (deposit verified) reach the minimum. Orders still waiting for their deposit
    keep waiting: paid in time they join production (join_production), otherwise they expire.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        confirmed = confirmed_units(locked)
        refusal = _start_refusal(locked, confirmed, now)
        if refusal:
            raise DecisionRefused(refusal)
        orders = _lock_orders(locked, Order.Status.CONFIRMED)
        note = _("Minimum reached: %(confirmed)d of %(needed)d units confirmed.") % {
            "confirmed": confirmed,
            "needed": locked.min_quantity,
        }
        locked = move_campaign(
            campaign=locked, to=Campaign.Status.IN_PRODUCTION, actor=actor, note=note
        )
        for order in orders:
            _join(order, actor=actor)
            emails.production_started(order)
    campaign.status = locked.status
    return locked


def _start_refusal(campaign: Campaign, confirmed: int, now: datetime) -> str | None:
    if campaign.status != Campaign.Status.PUBLISHED:
        if campaign.status == Campaign.Status.IN_PRODUCTION:
            return _("Production has already started.")
        return _("Only a published campaign can go into production; this one is “%(status)s”.") % {
            "status": campaign.get_status_display()
        }
    if campaign.phase_at(now) not in DECIDING_PHASES:
        return _(
            "The order window is open until %(closes)s. Production can start once it has "
            "closed or sold out."
        ) % {"closes": shop_time(campaign.shop, campaign.closes_at)}
    if confirmed < campaign.min_quantity:
        return ngettext(
            "Only %(confirmed)d unit of the %(needed)d needed is confirmed. Wait for the deposits "
            "still due, extend the window, or call the campaign off.",
            "Only %(confirmed)d units of the %(needed)d needed are confirmed. Wait for the "
            "deposits still due, extend the window, or call the campaign off.",
            confirmed,
        ) % {"confirmed": confirmed, "needed": campaign.min_quantity}
    return None


def join_production(
    *,
    order: Order,
    owed: Decimal,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Order:
    """A deposit verified after production started: the order catches up with its campaign.

    Rules: only a confirmed order whose campaign is in production (it joins it) or has finished
    production (it joins, then goes on as finish_production would have taken it: paid when
    `owed` is nothing, else awaiting its balance, with the due date and the email). Any other
    order is left as it is. `owed` is what the whole order still owes, from the payments ledger.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked before reading its status: a campaign going into production this very moment
        # is seen once it has, so the order cannot miss it.
        campaign = Campaign.objects.select_for_update().get(pk=order.campaign_id)
        current = Order.objects.select_for_update().get(pk=order.pk)
        joins = campaign.status in (Campaign.Status.IN_PRODUCTION, Campaign.Status.READY)
        if current.status != Order.Status.CONFIRMED or not joins:
            return order
        current.campaign = campaign
        _join(current, actor=actor)
        if campaign.status == Campaign.Status.READY:
            _finish(current, owed=owed, due_at=_balance_due_at(campaign, now), actor=actor)
    order.status = current.status
    order.balance_due_at = current.balance_due_at
    return order


def _join(order: Order, *, actor) -> None:
    with translation.override(order.language):
        note = _("The minimum was reached: your order is in production.")
    move_order(order=order, to=Order.Status.IN_PRODUCTION, actor=actor, note=note)


# --- finish production -------------------------------------------------------------------------


def finish_production(
    *,
    campaign: Campaign,
    paid_in_full: Collection[int],
    owed: Mapping[int, Decimal] | None = None,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Campaign:
    """Production is done: the campaign collects balances, and each order in production is
    either paid or owes its balance.

    Rules: the campaign is in production. Orders whose ids are in `paid_in_full` (full-payment
    campaigns, balances paid early) become paid; the others await their balance, due
    `balance_days` from now, and their buyers get the balance-due email once this commits.
    Call payments.decisions.finish_production, which reads both arguments from the ledger:
    `owed` is what each order still owes (the email's amount; its balance when not given).
    """
    now = now or timezone.now()
    owed = owed or {}
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status != Campaign.Status.IN_PRODUCTION:
            if locked.status in (Campaign.Status.READY, Campaign.Status.SHIPPING):
                raise DecisionRefused(_("Production has already finished."))
            raise DecisionRefused(_("Production has not started for this campaign."))
        orders = _lock_orders(locked, Order.Status.IN_PRODUCTION)
        due_at = _balance_due_at(locked, now)
        owing = [order for order in orders if order.pk not in paid_in_full]
        note = _(
            "Production finished. Orders owing their balance: %(owing)d, due %(due)s. "
            "Paid in full: %(paid)d."
        ) % {
            "owing": len(owing),
            "due": shop_time(locked.shop, due_at),
            "paid": len(orders) - len(owing),
        }
        locked = move_campaign(campaign=locked, to=Campaign.Status.READY, actor=actor, note=note)
        for order in orders:
            amount = Decimal(0) if order.pk in paid_in_full else owed.get(order.pk)
            _finish(order, owed=amount, due_at=due_at, actor=actor)
    campaign.status = locked.status
    return locked


def _finish(order: Order, *, owed: Decimal | None, due_at: datetime, actor) -> None:
    """An order in production goes to paid (owes nothing) or awaits its balance by `due_at`
    (`owed` None: its balance)."""
    if owed is not None and owed <= 0:
        with translation.override(order.language):
            note = _("Production finished, and your order is paid in full.")
        move_order(order=order, to=Order.Status.PAID, actor=actor, note=note)
        return
    amount = order.balance_amount if owed is None else owed
    order.balance_due_at = due_at
    order.save(update_fields=["balance_due_at", "updated_at"])
    with translation.override(order.language):
        note = _("Production finished. Please pay the balance by %(due)s.") % {
            "due": shop_time(order.campaign.shop, due_at, order.language)
        }
    move_order(order=order, to=Order.Status.AWAITING_BALANCE, actor=actor, note=note)
    emails.balance_due(order, amount=amount)


def _balance_due_at(campaign: Campaign, now: datetime) -> datetime:
    return now + timedelta(days=campaign.balance_days)


# --- extend the window -------------------------------------------------------------------------


def extend_window(
    *,
    campaign: Campaign,
    closes_at: datetime,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Campaign:
    """Give a campaign that missed (or is about to miss) its minimum a later close, once.

    Rules: the campaign is published; its window has closed, or closes within EXTEND_NOTICE;
    the new close is later than the old one and in the future; a campaign is extended at most
    once (DESIGN.md, Campaign life). The decision goes on the campaign's timeline.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        times = _extensions(locked).count()
        refusal = _extend_refusal(locked, now, times_extended=times)
        if refusal:
            raise DecisionRefused(refusal)
        if closes_at <= locked.closes_at:
            raise DecisionRefused(
                _("Choose a closing time after the current one (%(closes)s).")
                % {"closes": shop_time(locked.shop, locked.closes_at)}
            )
        if closes_at <= now:
            raise DecisionRefused(_("Choose a closing time in the future."))
        note = _("Window extended to %(closes)s (it was %(was)s).") % {
            "closes": shop_time(locked.shop, closes_at),
            "was": shop_time(locked.shop, locked.closes_at),
        }
        locked.closes_at = closes_at
        locked.save(update_fields=["closes_at", "updated_at"])
        # A decision that keeps the status: published → published is how an extension reads.
        CampaignEvent.objects.create(
            campaign=locked,
            kind=CampaignEvent.Kind.STATUS,
            from_status=Campaign.Status.PUBLISHED,
            to_status=Campaign.Status.PUBLISHED,
            actor=actor,
            note=note,
        )
        emails.window_extended(locked, closes_at)
    campaign.closes_at = locked.closes_at
    return locked


def _extend_refusal(campaign: Campaign, now: datetime, *, times_extended: int) -> str | None:
    if campaign.status != Campaign.Status.PUBLISHED:
        return _("Only a published campaign's window can be extended.")
    if times_extended:
        return _("The window was already extended once; it cannot be extended again.")
    if campaign.closes_at - now > EXTEND_NOTICE:
        return _(
            "The window is open until %(closes)s; it can be extended in its last two days."
        ) % {"closes": shop_time(campaign.shop, campaign.closes_at)}
    return None


def _is_extension(event: CampaignEvent) -> bool:
    return (
        event.kind == CampaignEvent.Kind.STATUS
        and event.from_status == event.to_status == Campaign.Status.PUBLISHED
    )


def _extensions(campaign: Campaign) -> QuerySet[CampaignEvent]:
    return campaign.events.filter(
        kind=CampaignEvent.Kind.STATUS,
        from_status=Campaign.Status.PUBLISHED,
        to_status=Campaign.Status.PUBLISHED,
    )


# --- shared ----------------------------------------------------------------------------------


def _lock(campaign: Campaign) -> Campaign:
    # The shop comes along for its time zone; only the campaign row is locked.
    return (
        Campaign.objects.select_for_update(of=("self",)).select_related("shop").get(pk=campaign.pk)
    )


def _lock_orders(campaign: Campaign, status: str) -> list[Order]:
    """The campaign's orders in `status`, locked in id order (as every decision locks them)."""
    orders = list(
        Order.objects.select_for_update().filter(campaign=campaign, status=status).order_by("pk")
    )
    for order in orders:
        order.campaign = campaign
    return orders


def confirmed_units(campaign: Campaign) -> int:
    """Units of the orders whose deposit is in: what counts toward the minimum."""
    return OrderLine.objects.filter(
        order__campaign=campaign, order__status__in=Order.COUNTED
    ).aggregate(units=Sum("quantity", default=0))["units"]
