"""A campaign decision, in one room: go (start production), finish production, extend the
window, fail, cancel; and the late deposit that joins a production already under way.

The dashboard, the admin and `seed_demo` all call these. Each decision is one transaction: the
campaign row is locked first, then its orders by id (the order every decision and cancellation
takes its locks in), so two people deciding at once decide once, and an order placed or paid
meanwhile is counted or waits. Statuses move only through campaigns/services/transitions.py and
orders/services/transitions.py. A refusal raises DecisionRefused or CancelRefused with the
sentence the seller reads; nothing is written.

It lives in payments, the highest app it needs: finishing production reads what each order has
paid, and failing or cancelling sends that money back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import Campaign, CampaignEvent
from campaigns.services.transitions import ALLOWED as CAMPAIGN_MOVES
from campaigns.services.transitions import move_campaign
from kernel.clock import shop_time
from kernel.sentences import moment, say
from orders import emails
from orders.models import Order, TransferAmount
from orders.selectors import confirmed_units
from orders.services.transfer_codes import claim_transfer_amount
from orders.services.transitions import move_order
from payments.exceptions import CancelRefused, DecisionRefused
from payments.models import Payment
from payments.services.cancellations import CampaignStopped, cancel_locked, cancellable
from payments.services.ledger import amount_paid, refundable_sql, still_owed
from payments.services.refunds import check_reason

# A published campaign may be extended from this long before it closes: the seller sees the
# minimum will be missed before the last day is over.
EXTEND_NOTICE = timedelta(days=2)

# Closed by the clock, or by its last unit: either way nobody can order, so it is time to decide.
DECIDING_PHASES = (Campaign.Phase.CLOSED, Campaign.Phase.SOLD_OUT)

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
        note = say(
            "Minimum reached: %(confirmed)d of %(needed)d units confirmed.",
            confirmed=confirmed,
            needed=locked.min_quantity,
        )
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
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Order:
    """A deposit verified after production started: the order catches up with its campaign.

    Rules: only a confirmed order whose campaign is in production (it joins it) or has finished
    production (it joins, then goes on as finish_production would have taken it: paid when it
    owes nothing more, else awaiting its balance, with the due date and the email). Any other
    order is left as it is.
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
        # An order whose ongkir is still to set goes on when the seller sets it
        # (payments/services/shipping_fees.py): its balance is not known before.
        if campaign.status == Campaign.Status.READY and not current.shipping_pending:
            _finish(
                current,
                owed=_balance_owed(current),
                due_at=_balance_due_at(campaign, now),
                actor=actor,
            )
    order.status = current.status
    order.balance_due_at = current.balance_due_at
    return order


def _join(order: Order, *, actor) -> None:
    note = say("The minimum was reached: your order is in production.")
    move_order(order=order, to=Order.Status.IN_PRODUCTION, actor=actor, note=note)


# --- finish production -------------------------------------------------------------------------


def finish_production(
    *, campaign: Campaign, actor: AbstractBaseUser | None, now: datetime | None = None
) -> Campaign:
    """Production is done: the campaign collects balances, and each order in production is
    either paid or owes its balance.

    Rules: the campaign is in production, and no order in production has its ongkir still to
    set (it is paid with the balance). What each order still owes is read from the ledger
    under the campaign's and the orders' row locks, so a payment verified at the same moment is
    either counted here or waits until the decision is made. Orders that owe nothing (full-payment
    campaigns, balances paid early) become paid; the others await their balance, due
    `balance_days` from now, and their buyers get the balance-due email once this commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(campaign)
        if locked.status != Campaign.Status.IN_PRODUCTION:
            if locked.status in (Campaign.Status.READY, Campaign.Status.SHIPPING):
                raise DecisionRefused(_("Production has already finished."))
            raise DecisionRefused(_("Production has not started for this campaign."))
        orders = _lock_orders(locked, Order.Status.IN_PRODUCTION)
        if unset := sum(order.shipping_pending for order in orders):
            raise DecisionRefused(
                ngettext(
                    "Set the ongkir of %(count)d order first: it is paid with the balance.",
                    "Set the ongkir of %(count)d orders first: it is paid with the balance.",
                    unset,
                )
                % {"count": unset}
            )
        owed = {order.pk: _balance_owed(order) for order in orders}
        due_at = _balance_due_at(locked, now)
        owing = [order for order in orders if owed[order.pk] > 0]
        note = say(
            "Production finished. Orders owing their balance: %(owing)d, due %(due)s. "
            "Paid in full: %(paid)d.",
            owing=len(owing),
            due=moment(due_at, locked.shop.time_zone),
            paid=len(orders) - len(owing),
        )
        locked = move_campaign(campaign=locked, to=Campaign.Status.READY, actor=actor, note=note)
        for order in orders:
            _finish(order, owed=owed[order.pk], due_at=due_at, actor=actor)
    campaign.status = locked.status
    return locked


def finish_order(order: Order, *, actor, now: datetime | None = None) -> None:
    """`_finish` for one order of a campaign whose production has finished, the order locked."""
    now = now or timezone.now()
    _finish(
        order, owed=_balance_owed(order), due_at=_balance_due_at(order.campaign, now), actor=actor
    )


def _finish(order: Order, *, owed: Decimal, due_at: datetime, actor) -> None:
    """An order in production goes to paid (owes nothing) or awaits its balance by `due_at`."""
    if owed <= 0:
        note = say("Production finished, and your order is paid in full.")
        move_order(order=order, to=Order.Status.PAID, actor=actor, note=note)
        return
    order.balance_due_at = due_at
    order.save(update_fields=["balance_due_at", "updated_at"])
    note = say(
        "Production finished. Please pay the balance by %(due)s.",
        due=moment(due_at, order.campaign.shop.time_zone),
    )
    move_order(order=order, to=Order.Status.AWAITING_BALANCE, actor=actor, note=note)
    # The balance gets its own exact amount to transfer, unique while it is waited for.
    claim_transfer_amount(order=order, kind=TransferAmount.Kind.BALANCE, owed=owed)
    emails.balance_due(order, amount=owed)


def _balance_owed(order: Order) -> Decimal:
    return still_owed(order, Payment.Kind.BALANCE, paid=amount_paid(order))


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
        times = sum(_is_extension(event) for event in locked.events.all())
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
        note = say(
            "Window extended to %(closes)s (it was %(was)s).",
            closes=moment(closes_at, locked.shop.time_zone),
            was=moment(locked.closes_at, locked.shop.time_zone),
        )
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


# --- fail or cancel: every order stops and its money goes back --------------------------------


def fail_campaign(*, campaign: Campaign, actor, reason: str) -> CampaignStopped:
    """The minimum was missed: the campaign fails, every active order is cancelled and what
    each paid is refunded (DESIGN.md, Campaign life).

    Rules: a reason is required; only a published campaign whose order window has closed (or
    sold out) with fewer confirmed units than its minimum. Everything in one transaction, under
    the campaign's and then each order's row lock: two people deciding at once decide once.
    """
    reason = check_reason(reason)
    with transaction.atomic():
        locked = _lock(campaign)
        if (
            locked.status != Campaign.Status.PUBLISHED
            or locked.phase_at(timezone.now()) not in DECIDING_PHASES
        ):
            raise CancelRefused(
                _(
                    "Only a published campaign whose order window has closed can be marked "
                    "failed; this one is “%(phase)s”. Nothing changed."
                )
                % {"phase": locked.phase.label}
            )
        confirmed = confirmed_units(locked)
        if confirmed >= locked.min_quantity:
            raise CancelRefused(
                _(
                    "%(confirmed)d units are confirmed and the minimum is %(minimum)d: this "
                    "campaign did not fail. Nothing changed."
                )
                % {"confirmed": confirmed, "minimum": locked.min_quantity}
            )
        stopped = _stop(locked, to=Campaign.Status.FAILED, actor=actor, reason=reason)
    campaign.status = stopped.campaign.status
    return stopped


def cancel_campaign(*, campaign: Campaign, actor, reason: str) -> CampaignStopped:
    """Cancel a campaign before shipping: every active order is cancelled and what each paid
    is refunded (DESIGN.md, Campaign life).

    Rules: a reason is required; a published campaign, or one in production or collecting its
    balances, and none of its orders shipped yet. One transaction, as for fail_campaign.
    """
    reason = check_reason(reason)
    with transaction.atomic():
        locked = _lock(campaign)
        if Campaign.Status.CANCELLED not in CAMPAIGN_MOVES[locked.status]:
            raise CancelRefused(
                _("A campaign that is “%(status)s” cannot be cancelled. Nothing changed.")
                % {"status": locked.get_status_display()}
            )
        stopped = _stop(locked, to=Campaign.Status.CANCELLED, actor=actor, reason=reason)
    campaign.status = stopped.campaign.status
    return stopped


def _stop(campaign: Campaign, *, to: str, actor, reason: str) -> CampaignStopped:
    """Move a locked campaign to failed or cancelled and cancel every active order of it."""
    # What each may refund is read with the lock, in the same query: nothing can change it until
    # commit (a payment verified meanwhile waits for the campaign's lock).
    orders = list(
        Order.objects.select_for_update(of=("self",))
        .select_related("campaign__shop")
        .filter(campaign=campaign, status__in=Order.ACTIVE)
        .annotate(available=refundable_sql())
        .order_by("pk")
    )
    if shipped := [order.code for order in orders if not cancellable(order)]:
        raise CancelRefused(
            _(
                "Orders %(codes)s have already shipped, so this campaign can no longer be "
                "stopped. Nothing changed."
            )
            % {"codes": ", ".join(shipped)}
        )
    moved = move_campaign(campaign=campaign, to=to, actor=actor, note=reason)
    cancellations = [
        cancel_locked(order, actor=actor, reason=reason, available=order.available)
        for order in orders
    ]
    stopped = CampaignStopped(campaign=moved, cancellations=cancellations)
    CampaignEvent.objects.create(
        campaign=moved, kind=CampaignEvent.Kind.NOTE, actor=actor, note=stopped.summary()
    )
    return stopped


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
