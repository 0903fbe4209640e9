"""The waiting list of a sold-out campaign: joining, offers when units come back, holds that
lapse, leaving. Turning a hold into an order is placing.py's (place_order with `offer=`).

Units come back when an order expires or is cancelled (transitions.move_order calls
offer_waiting in the same transaction), when a hold lapses or is given up, and when the seller
raises a capacity. Each time the next buyers in line (joined first, first served; each for the
variant they asked for) get the units held for them, by the same conditional UPDATE as an order's
(stock.hold_units), for the shop's hold time, and an e-mail with their private link. A buyer
from the public page never sees those units: they are not free. Locks are taken campaign row
first, then entries, then variants, as orders take them.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Variant
from campaigns.services.campaigns import update_campaign
from orders import emails
from orders.exceptions import WaitlistRefused
from orders.models import WaitlistEntry
from orders.services.stock import hold_units, order_held, release_held

E = WaitlistEntry.Status
MAX_WANTED = 999


def takes_orders(campaign: Campaign, now: datetime) -> bool:
    """Published and inside its order window (sold out or not)."""
    return (
        campaign.status == Campaign.Status.PUBLISHED
        and campaign.opens_at <= now < campaign.closes_at
    )


def free_units(campaign: Campaign, variant: Variant) -> int | None:
    """Units of `variant` nobody holds or ordered (None: no limit at all)."""
    left = [n for n in (campaign.units_left, variant.units_left) if n is not None]
    return min(left) if left else None


def join_waitlist(
    *,
    campaign: Campaign,
    variant_id: int,
    quantity: int,
    name: str,
    phone: str,
    email: str,
    language: str,
    now: datetime | None = None,
) -> tuple[WaitlistEntry, bool]:
    """Put a buyer at the end of the line for `quantity` units of a sold-out variant; returns the
    entry and whether it is new.

    Rules: the campaign takes orders (published, window open); the variant is one of its own and
    has no unit left for the public (else the buyer orders instead); the quantity is at least 1
    and within the campaign's per-order and per-buyer caps; a buyer (same WhatsApp number or
    e-mail) has one place per variant: asking again changes nothing and e-mails them the link
    to the place they have (at most once an hour).
    """
    now = now or timezone.now()
    email = email.strip().lower()
    if not takes_orders(campaign, now):
        raise WaitlistRefused(_("This PO is not taking orders, so it has no waiting list now."))
    variant = campaign.variants.filter(pk=variant_id).first()
    if variant is None:
        raise WaitlistRefused(_("That item is not part of this PO."), field="variant")
    caps = [c for c in (campaign.max_per_order, campaign.max_per_buyer, MAX_WANTED) if c]
    if not isinstance(quantity, int) or not 1 <= quantity <= min(caps):
        raise WaitlistRefused(_("Ask for 1 to %(n)d units.") % {"n": min(caps)}, field="quantity")
    with transaction.atomic():
        # The campaign row first, as orders lock it: what is free cannot change under us.
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        variant = Variant.objects.get(pk=variant.pk)
        if free_units(locked, variant) != 0:
            raise WaitlistRefused(
                _("%(item)s is not sold out: you can order it now.") % {"item": variant.name},
                field="variant",
            )
        existing = (
            WaitlistEntry.objects.filter(variant=variant, status__in=WaitlistEntry.ACTIVE)
            .filter(Q(phone=phone) | Q(email=email))
            .first()
        )
        if existing:
            emails.waitlist_link(existing, now=now)
            return existing, False
        try:
            with transaction.atomic():
                entry = WaitlistEntry.objects.create(
                    campaign=locked,
                    variant=variant,
                    name=name.strip(),
                    phone=phone,
                    email=email,
                    language=language,
                    quantity=quantity,
                    joined_at=now,
                )
        except IntegrityError:
            # The same buyer's second tap, a moment later: one place is theirs already.
            existing = WaitlistEntry.objects.get(
                variant=variant, phone=phone, status__in=WaitlistEntry.ACTIVE
            )
            return existing, False
        emails.waitlist_joined(entry)
    return entry, True


def offer_waiting(*, campaign_id: int, now: datetime | None = None) -> int:
    """Hold the units free now for the next buyers in line and e-mail each their offer; return
    how many offers were made.

    Rules: only while the campaign takes orders; first joined, first served, each for its own
    variant; a buyer is offered what they asked for, or what there is when fewer came back (they
    may order up to that, and later units top their hold up until it ends); the hold lasts the
    shop's hold time, never past the window's close.
    Safe inside the transaction that freed the units (it locks the campaign row again).
    """
    now = now or timezone.now()
    if not WaitlistEntry.objects.filter(
        campaign_id=campaign_id, status__in=WaitlistEntry.ACTIVE, held__lt=F("quantity")
    ).exists():
        return 0
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("shop").get(pk=campaign_id)
        if not takes_orders(campaign, now) or campaign.units_left == 0:
            return 0
        variants = {v.pk: v for v in campaign.variants.all()}
        until = min(now + timedelta(hours=campaign.shop.hold_hours), campaign.closes_at)
        offers = 0
        # Partly served holds first in their turn: a buyer offered fewer than they asked for
        # keeps their place for the rest, within the hold they have.
        line = (
            WaitlistEntry.objects.select_for_update()
            .filter(campaign=campaign, held__lt=F("quantity"))
            .filter(Q(status=E.WAITING) | Q(status=E.OFFERED, offer_expires_at__gt=now))
            .order_by("joined_at", "pk")
        )
        for entry in line:
            variant = variants[entry.variant_id]
            free = free_units(campaign, variant)
            if free == 0:
                continue
            wanted = entry.quantity - entry.held
            units = wanted if free is None else min(wanted, free)
            if not hold_units(campaign_id=campaign.pk, variant_id=variant.pk, units=units):
                continue
            campaign.held += units
            variant.held += units
            entry.held += units
            if entry.status == E.OFFERED:
                entry.save(update_fields=["held"])
            else:
                entry.status = E.OFFERED
                entry.offered_at, entry.offer_expires_at = now, until
                entry.save(update_fields=["status", "held", "offered_at", "offer_expires_at"])
                entry.campaign = campaign
                emails.waitlist_offer(entry)
                offers += 1
            if campaign.units_left == 0:
                break
    return offers


def update_campaign_terms(**edit) -> Campaign:
    """campaigns.services.campaigns.update_campaign, and in the same transaction the units a
    raised capacity frees go to the waiting list first (the public page never sees them free
    while buyers wait)."""
    with transaction.atomic():
        campaign = update_campaign(**edit)
        offer_waiting(campaign_id=campaign.pk)
    return campaign


def offer_all_waiting(*, now: datetime) -> int:
    """offer_waiting for every campaign taking orders with buyers waiting (`tick`): units that
    came free by a path that did not offer them (an edit in the admin) reach the list too."""
    campaigns = (
        WaitlistEntry.objects.filter(
            status__in=WaitlistEntry.ACTIVE,
            held__lt=F("quantity"),
            campaign__status=Campaign.Status.PUBLISHED,
            campaign__opens_at__lte=now,
            campaign__closes_at__gt=now,
        )
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    return sum(offer_waiting(campaign_id=pk, now=now) for pk in list(campaigns))


def lapse_offers(*, now: datetime, campaign: Campaign | None = None) -> int:
    """Give back the units of every hold past its time (or of a campaign that stopped taking
    orders) and offer them to the next in line; return how many holds lapsed.

    Each in its own transaction, checked again under the locks: two runs at once (cron and the
    worker) lapse each hold once, and a buyer ordering at that moment either gets the order or
    finds the hold gone, never both.
    """
    due = WaitlistEntry.objects.filter(status=E.OFFERED).filter(
        Q(offer_expires_at__lte=now)
        | Q(campaign__closes_at__lte=now)
        | ~Q(campaign__status=Campaign.Status.PUBLISHED)
    )
    if campaign is not None:
        due = due.filter(campaign=campaign)
    lapsed = 0
    rows = due.order_by("offer_expires_at", "pk").values_list("pk", "campaign_id")
    for pk, campaign_id in list(rows):
        with transaction.atomic():
            Campaign.objects.select_for_update().only("pk").get(pk=campaign_id)
            entry = due.select_for_update(of=("self",)).filter(pk=pk).first()
            if entry is None:
                continue
            _end(entry, E.LAPSED, now)
            offer_waiting(campaign_id=campaign_id, now=now)
        lapsed += 1
    return lapsed


def leave_waitlist(*, entry: WaitlistEntry, now: datetime | None = None) -> WaitlistEntry:
    """The buyer leaves the line (or gives up the units held for them, which pass on at once).

    Rules: only a place still on the list; leaving twice changes nothing more.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Campaign.objects.select_for_update().only("pk").get(pk=entry.campaign_id)
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status in WaitlistEntry.ACTIVE:
            was_holding = locked.status == E.OFFERED
            _end(locked, E.LEFT, now)
            if was_holding:
                offer_waiting(campaign_id=locked.campaign_id, now=now)
    return locked


def claim_offer(*, entry_id: int, variant_id: int, units: int, now: datetime) -> WaitlistEntry:
    """Inside the order's transaction: the hold becomes the order's units (placing.py).

    Rules: the offer is still open (not lapsed, left or used), for this variant, and the order
    is for at most the units held; units held beyond it go free again (the caller offers them
    on). Locks the campaign row, then the entry.
    """
    entry = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("variant")
        .get(pk=entry_id)
    )
    if entry.status != E.OFFERED or entry.offer_expires_at <= now:
        raise WaitlistRefused(
            _("The units held for you have passed to the next in line: your hold has ended.")
        )
    if variant_id != entry.variant_id:
        raise WaitlistRefused(_("Your hold is for %(item)s.") % {"item": entry.variant.name})
    if not 1 <= units <= entry.held:
        raise WaitlistRefused(
            _("%(n)d units are held for you: order 1 to %(n)d.") % {"n": entry.held},
            field="quantity",
        )
    order_held(
        campaign_id=entry.campaign_id, variant_id=entry.variant_id, held=entry.held, ordered=units
    )
    entry.status, entry.held, entry.ended_at = E.ORDERED, 0, now
    entry.save(update_fields=["status", "held", "ended_at"])
    return entry


def _end(entry: WaitlistEntry, status: str, now: datetime) -> None:
    if entry.held:
        release_held(campaign_id=entry.campaign_id, variant_id=entry.variant_id, units=entry.held)
    entry.status, entry.held, entry.ended_at = status, 0, now
    entry.save(update_fields=["status", "held", "ended_at"])
