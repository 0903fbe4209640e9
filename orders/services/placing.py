"""Placing orders, and expiring those whose deposit never came. Each function is one
transaction; every later move goes through transitions.py."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.exceptions import DestinationRefused
from campaigns.models import Campaign
from campaigns.services import shipping
from campaigns.services.outbox import deliver_on_commit
from kernel import regions
from kernel.batch import write_together
from kernel.money import split_deposit
from kernel.sentences import say
from orders import emails, tally
from orders.exceptions import (
    CampaignNotOpen,
    FormAlreadyUsed,
    InvalidLines,
    LimitExceeded,
    OrderRefused,
    SoldOut,
    WaitlistRefused,
)
from orders.models import Order, OrderEvent, OrderLine, WaitlistEntry, new_code
from orders.services.fulfilment import complete_campaign_when_done
from orders.services.stock import take_units
from orders.services.transfer_codes import placed_order_amount
from orders.services.transitions import move_order
from orders.services.waitlist import claim_offer, lapse_offers, offer_waiting, takes_orders

MAX_NOTE_LENGTH = 500
# Draws of an order code before giving up (place_order: a clash draws again).
CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class LineRequest:
    variant_id: int
    quantity: int
    note: str = ""


@dataclass(frozen=True)
class Buyer:
    name: str
    phone: str  # E.164
    email: str
    address: str
    language: str = "en"
    destination: str = ""  # a city's code (kernel.regions), where the shop asks for one
    pickup_point: int | None = None  # or the shop's pickup point they collect it at


def place_order(
    *,
    campaign: Campaign,
    lines: list[LineRequest],
    buyer: Buyer,
    idempotency_key: str,
    now: datetime | None = None,
    offer: WaitlistEntry | None = None,
) -> Order:
    """Place an order: check the window and the limits, snapshot prices, take the units.

    Rules: the campaign is published and open; every line names one of its variants with a
    positive quantity (and a note where the campaign asks for one); the order and the buyer
    (same phone or email, active orders) stay within the campaign's caps; capacity is taken
    atomically; the deposit gets its exact amount to transfer (orders/services/transfer_codes.py).
    The same idempotency key returns the order it already made. A campaign that
    looks sold out first expires its own orders past their deposit deadline (and lapses its
    holds past their time) and tries once more.

    With `offer` (a waiting-list entry holding units), the order takes the held units instead:
    the campaign may look sold out, the hold must still be open, and the order is for its
    variant and at most the units held; what it leaves goes to the next in line
    (orders/services/waitlist.py).
    """
    now = now or timezone.now()
    try:
        return _place(
            campaign=campaign, lines=lines, buyer=buyer, key=idempotency_key, now=now, offer=offer
        )
    except (IntegrityError, OrderRefused, WaitlistRefused):
        # The same form sent again is found through the key's unique constraint, not looked up
        # before every order: its INSERT clashes, or an earlier check refuses it first (the
        # window closed, or this very order took the last unit or the buyer's allowance, maybe
        # while a double tap racing itself waited for it).
        if existing := _order_for_key(campaign, idempotency_key, buyer):
            return existing
        raise


def _place(
    *,
    campaign: Campaign,
    lines: list[LineRequest],
    buyer: Buyer,
    key: str,
    now: datetime,
    offer: WaitlistEntry | None,
) -> Order:
    if (
        offer is None
        and campaign.phase_at(now) == Campaign.Phase.SOLD_OUT
        and free_overdue(campaign=campaign, now=now)
    ):
        campaign.refresh_from_db(fields=["reserved", "held"])
    if offer is None:
        _check_open(campaign, now)
    elif not takes_orders(campaign, now):
        raise CampaignNotOpen(_("This PO is closed and takes no more orders."))
    variants = _check_lines(campaign, lines)
    if offer is not None and {line.variant_id for line in lines} != {offer.variant_id}:
        raise WaitlistRefused(_("Your hold is for %(item)s.") % {"item": offer.variant.name})
    units = sum(line.quantity for line in lines)
    if campaign.max_per_order is not None and units > campaign.max_per_order:
        raise LimitExceeded(_("At most %(n)d units per order.") % {"n": campaign.max_per_order})

    subtotal = sum(variants[line.variant_id].price * line.quantity for line in lines)
    deposit, balance = split_deposit(
        subtotal=subtotal,
        units=units,
        rule=campaign.deposit_rule,
        value=campaign.deposit_value,
    )
    grams = sum(variants[line.variant_id].weight_grams * line.quantity for line in lines)
    delivery = _delivery(campaign.shop, buyer, grams)
    # Ongkir is paid with the balance; a full payment up front includes it when it is known.
    if campaign.deposit_rule == Campaign.DepositRule.FULL:
        deposit += delivery["shipping_fee"]
    else:
        balance += delivery["shipping_fee"]
    units_by_variant = Counter()
    for line in lines:
        units_by_variant[line.variant_id] += line.quantity

    def create() -> Order:
        # A clash of the drawn order code rolls the whole transaction back, and it runs again
        # with a fresh draw: seven characters from 31 leave a one-in-six chance of some clash
        # across 100,000 orders, so one is expected over a platform's life and must cost a
        # retry, not the buyer's order; but not a savepoint around every insert (two round
        # trips to the database per order, for an event that rare).
        for _attempt in range(CODE_ATTEMPTS):
            code = new_code()
            try:
                return insert(code)
            except IntegrityError:
                # The clash on the idempotency key instead is left to the caller (it is the
                # same order), and any other error is not a clash either.
                if not Order.objects.filter(code=code).exists():
                    raise
        raise IntegrityError(f"no free order code after {CODE_ATTEMPTS} draws")

    def insert(code: str) -> Order:
        with transaction.atomic():
            if offer is None:
                take_units(campaign_id=campaign.pk, units_by_variant=units_by_variant)
            else:
                # The campaign row first, as take_units locks it; then the hold itself.
                Campaign.objects.select_for_update().only("pk").get(pk=campaign.pk)
                (variant_id,) = units_by_variant
                claimed = claim_offer(
                    entry_id=offer.pk, variant_id=variant_id, units=units, now=now
                )
            # After take_units: the campaign row is locked until commit, so this buyer's
            # concurrent orders are counted one after the other, not side by side.
            _check_buyer_cap(campaign, buyer, units)
            order = Order.objects.create(
                code=code,
                campaign=campaign,
                idempotency_key=key,
                buyer_name=buyer.name,
                buyer_phone=buyer.phone,
                buyer_email=buyer.email.lower(),
                shipping_address=buyer.address,
                language=buyer.language,
                currency=campaign.shop.currency,
                subtotal=subtotal,
                deposit_amount=deposit,
                balance_amount=balance,
                **delivery,
                deposit_due_at=now + campaign.deposit_window,
                created_at=now,
            )
            # The exact amount to send, unique among the shop's orders waiting for money.
            amount = (
                placed_order_amount(order=order, owed=deposit, now=now) if deposit > 0 else None
            )
            if offer is not None:
                claimed.order = order
                claimed.save(update_fields=["order"])
                # Units held beyond what was ordered went free: the next in line gets them.
                offer_waiting(campaign_id=campaign.pk, now=now)
            # Its lines, its event, the buyer's e-mail, its amount to transfer (unless drawn) and
            # its running totals: one round trip.
            email = emails.order_placed(order)
            write_together(
                rows=[
                    *(
                        OrderLine(
                            order=order,
                            variant=variants[line.variant_id],
                            variant_name=variants[line.variant_id].name,
                            unit_price=variants[line.variant_id].price,
                            quantity=line.quantity,
                            note=line.note.strip(),
                        )
                        for line in lines
                    ),
                    OrderEvent(
                        order=order,
                        kind=OrderEvent.Kind.PLACED,
                        to_status=order.status,
                        created_at=now,
                        note=say("Ordered from the waiting list.") if offer is not None else "",
                    ),
                    email,
                    *([amount] if amount is not None else []),
                ],
                statements=tally.order_placed(order),
            )
            deliver_on_commit([email.pk])
        return order

    try:
        return create()
    except SoldOut:
        # No room left, unless somebody holds units past their deposit deadline: those go
        # back first, then one more try (DESIGN.md, Time). Still full: sold out, as before.
        if not free_overdue(campaign=campaign, now=now):
            raise
        return create()


def free_overdue(*, campaign: Campaign, now: datetime) -> int:
    """A campaign that looks sold out gives back, on the spot, the units of its orders past their
    deposit deadline and of its holds past their time (the waiting list gets them first);
    returns how many orders and holds let go."""
    return expire_overdue(now=now, campaign=campaign) + lapse_offers(now=now, campaign=campaign)


def expire_overdue(*, now: datetime, campaign: Campaign | None = None) -> int:
    """Expire pending orders whose deposit deadline has passed; return how many this call moved.

    Rules: the units go back and the timeline says why (through move_order, the one door); an
    order with a payment waiting for review, or a gateway payment still open, is kept, since
    the seller may yet verify it or the gateway settle it; the
    buyer is emailed. Each order moves in its own transaction under its row lock and is checked
    again once locked, so running this twice, or from several processes at once, expires every
    order once and skips (not fails on) the ones another run already moved.
    """
    overdue = _overdue(now)
    if campaign is not None:
        overdue = overdue.filter(campaign=campaign)
    expired = 0
    for pk, campaign_id in list(
        overdue.order_by("deposit_due_at", "pk").values_list("pk", "campaign_id")
    ):
        with transaction.atomic():
            # The campaign row first, then the order: the order campaign decisions lock them in
            # (payments/services/decisions.py), so an expiry and a decision take turns, never
            # deadlock.
            Campaign.objects.select_for_update().only("pk").get(pk=campaign_id)
            # Locked, then asked again in a fresh statement: a payment sent (or a move made)
            # while this run waited is seen, as submit_payment holds the order's lock too.
            order = (
                Order.objects.select_for_update(of=("self",))
                .select_related("campaign__shop")
                .filter(pk=pk)
                .first()
            )
            if order is None or not overdue.filter(pk=pk).exists():
                continue
            move_order(
                order=order,
                to=Order.Status.EXPIRED,
                note=say("Deposit not received by the deadline."),
            )
            complete_campaign_when_done(order.campaign, actor=None)
            emails.order_expired(order)
        expired += 1
    return expired


def _overdue(now: datetime):
    # `payments__status` is the reverse relation from payments.Payment, looked up by name: orders
    # may see payments this way without importing them (payments → orders, never back). The same
    # for a gateway transaction still open: the gateway may yet settle it, and the tick's status
    # check closes it once it cannot (payments/services/gateways/transactions.py).
    return (
        Order.objects.filter(status=Order.Status.PENDING, deposit_due_at__lt=now)
        .exclude(payments__status="submitted")
        .exclude(gateway_transactions__status__in=["creating", "pending"])
    )


def _order_for_key(campaign: Campaign, key: str, buyer: Buyer) -> Order | None:
    """The order this form already made, if any.

    The phone must match too: a key alone never opens somebody else's order. A used form sent
    again with another phone (a corrected digit, or a second person on the same page) is refused.
    """
    order = Order.objects.filter(campaign=campaign, idempotency_key=key).first()
    if order is not None and order.buyer_phone != buyer.phone:
        raise FormAlreadyUsed()
    return order


def _delivery(shop, buyer: Buyer, grams: int) -> dict:
    """Where the order goes and its ongkir, as Order fields (campaigns/services/shipping.py)."""
    pickup = None
    if buyer.pickup_point is not None:
        # From the points the campaign page read with the shop (the form offered them).
        pickup = next((p for p in shop.pickup_points.all() if p.pk == buyer.pickup_point), None)
        if pickup is None:
            raise InvalidLines(_("Choose a pickup point from the list."), field="delivery")
    elif not buyer.address.strip():
        raise InvalidLines(_("Give the address to ship to."), field="shipping_address")
    destination = regions.region(buyer.destination) if pickup is None else None
    if buyer.destination and pickup is None and destination is None:
        raise InvalidLines(DestinationRefused.message, field="destination")
    try:
        fee = shipping.quote(shop, destination=destination, pickup=pickup, grams=grams)
    except DestinationRefused as refusal:
        raise InvalidLines(refusal.message, field="destination") from None
    return {
        "destination": destination.code if destination else "",
        "destination_name": destination.label if destination else "",
        "pickup": f"{pickup.name}: {pickup.details}" if pickup else "",
        "shipping_fee": fee or 0,
        "shipping_pending": fee is None,
    }


def _check_open(campaign: Campaign, now: datetime) -> None:
    phase = campaign.phase_at(now)
    if phase == Campaign.Phase.OPEN:
        return
    if phase == Campaign.Phase.SOLD_OUT:
        raise CampaignNotOpen(_("Sold out: every unit of this PO has been ordered."))
    if phase == Campaign.Phase.SCHEDULED:
        raise CampaignNotOpen(_("This PO is not open yet; come back when it opens."))
    if phase == Campaign.Phase.DRAFT:
        raise CampaignNotOpen(_("This PO is not published."))
    raise CampaignNotOpen(_("This PO is closed and takes no more orders."))


def _check_lines(campaign: Campaign, lines: list[LineRequest]) -> dict:
    if not lines:
        raise InvalidLines(_("Choose at least one item and how many you want."))
    variants = {v.pk: v for v in campaign.variants.all()}
    for line in lines:
        variant = variants.get(line.variant_id)
        if variant is None:
            raise InvalidLines(_("That item is not part of this PO."))
        if not isinstance(line.quantity, int) or line.quantity < 1:
            raise InvalidLines(_("Quantities must be whole numbers of at least 1."))
        if len(line.note) > MAX_NOTE_LENGTH:
            raise InvalidLines(
                _("Customisation notes are at most %(n)d characters.") % {"n": MAX_NOTE_LENGTH}
            )
        if campaign.note_required and not line.note.strip():
            raise InvalidLines(
                _("Please fill in “%(prompt)s” for %(item)s.")
                % {"prompt": campaign.note_prompt or _("customisation"), "item": variant.name}
            )
    return variants


def _check_buyer_cap(campaign: Campaign, buyer: Buyer, units: int) -> None:
    if campaign.max_per_buyer is None:
        return
    held = (
        OrderLine.objects.filter(order__campaign=campaign, order__status__in=Order.ACTIVE)
        .filter(Q(order__buyer_phone=buyer.phone) | Q(order__buyer_email=buyer.email.lower()))
        .aggregate(units=Sum("quantity"))["units"]
        or 0
    )
    if held + units > campaign.max_per_buyer:
        left = max(campaign.max_per_buyer - held, 0)
        raise LimitExceeded(
            _("At most %(cap)d units per buyer; you can order %(left)d more.")
            % {"cap": campaign.max_per_buyer, "left": left}
        )
