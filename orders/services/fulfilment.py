"""Shipping paid orders and completing them (DESIGN.md, Order life and Campaign life).

Each service is one transaction: the campaign row is locked first, then its orders by id (as
payments/services/decisions.py does), so a seller shipping one order while a colleague ships the
batch, or a buyer confirming receipt meanwhile, act once each and the campaign moves once. A refusal
raises ShippingRefused with the sentence the seller or buyer reads; nothing has been written when
raised.

The campaign follows its orders: `ready → shipping` with its first shipped order, and
`shipping → completed` once every active order is completed.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.services.transitions import move_campaign
from kernel.sentences import Sentence, say, word
from orders import emails
from orders.exceptions import ShippingRefused
from orders.models import Order
from orders.services.transitions import move_order

S = Order.Status
C = Campaign.Status

# Orders leave the shop only once production is done and while the campaign is going out.
SHIPPING_CAMPAIGNS = (C.READY, C.SHIPPING)
CARRIER_MAX = Order._meta.get_field("carrier").max_length
TRACKING_MAX = Order._meta.get_field("tracking_number").max_length
# A pasted list longer than this is a mistake (or a different file), not a day's shipping.
MAX_BULK_ROWS = 2000


# --- ship one order --------------------------------------------------------------------------


def mark_shipped(
    *,
    order: Order,
    carrier: str,
    tracking_number: str,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Order:
    """The seller hands one paid order to a carrier (or the buyer picks it up).

    Rules: only a paid order of a campaign whose production is done ships; carrier and tracking
    number may be empty (pickup) but not too long. The campaign starts shipping with its first
    shipped order. The buyer is emailed the carrier, tracking number and their order's link.
    """
    carrier, tracking_number = _clean(carrier, tracking_number)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _lock_campaign(order.campaign_id)
        current = Order.objects.select_for_update().get(pk=order.pk)
        refusal = _ship_refusal(campaign, current)
        if refusal:
            raise ShippingRefused(refusal)
        current.campaign = campaign
        _ship(current, carrier=carrier, tracking_number=tracking_number, actor=actor, now=now)
        _start_shipping(campaign, actor=actor)
    _copy(current, order)
    return order


# --- ship many orders --------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    line: int  # 1-based line of the pasted text or file
    code: str  # upper-cased, as stored
    carrier: str
    tracking_number: str
    problem: str = ""  # empty: ready to ship; else one of the PROBLEM_* keys
    order: Order | None = None


PROBLEM_UNREADABLE = "unreadable"
PROBLEM_UNKNOWN = "unknown"
PROBLEM_DUPLICATE = "duplicate"
PROBLEM_NOT_PAID = "not_paid"
PROBLEM_TOO_LONG = "too_long"


@dataclass(frozen=True)
class Preview:
    """What a pasted list would ship; nothing has been saved."""

    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> list[PreviewRow]:
        return [row for row in self.rows if not row.problem]

    def _with(self, problem: str) -> list[PreviewRow]:
        return [row for row in self.rows if row.problem == problem]

    @property
    def unknown(self) -> list[PreviewRow]:
        return self._with(PROBLEM_UNKNOWN)

    @property
    def duplicates(self) -> list[PreviewRow]:
        return self._with(PROBLEM_DUPLICATE)

    @property
    def not_ready(self) -> list[PreviewRow]:
        return self._with(PROBLEM_NOT_PAID)

    @property
    def unreadable(self) -> list[PreviewRow]:
        return self._with(PROBLEM_UNREADABLE) + self._with(PROBLEM_TOO_LONG)

    @property
    def ship_rows(self) -> list[tuple[str, str, str]]:
        """The rows the confirm step carries: (code, carrier, tracking number)."""
        return [(row.code, row.carrier, row.tracking_number) for row in self.ok]


# The first line is a header when its first cell reads like one rather than like a code.
_HEADER = re.compile(r"^(order|code|kode|no|nomor|pesanan)\b", re.IGNORECASE)


def preview_bulk_shipping(*, campaign: Campaign, text: str) -> Preview:
    """Read pasted lines or a CSV's text: "code, tracking" or "code, carrier, tracking".

    Tab, semicolon, comma or space separated (mixed in one paste), header optional, spaces
    trimmed, codes in any case. Each row is flagged when its code is not one of the campaign's
    orders, appears more than once (neither row ships: which tracking number is right?), or its
    order is not paid. Reads the campaign's orders in one query; writes nothing.
    """
    parsed = _parse(text)
    if len(parsed) > MAX_BULK_ROWS:
        raise ShippingRefused(
            _("That is more than %(max)d lines; split the list and ship it in parts.")
            % {"max": MAX_BULK_ROWS}
        )
    codes = {cells[0].upper() for _line, cells in parsed if cells}
    orders = {order.code.upper(): order for order in campaign.orders.filter(code__in=codes)}
    if parsed and not orders.get(parsed[0][1][0].upper()) and _HEADER.search(parsed[0][1][0]):
        parsed = parsed[1:]
    counts = Counter(cells[0].upper() for _line, cells in parsed)
    rows = []
    for line, cells in parsed:
        code = cells[0].upper()
        if len(cells) == 2:
            carrier, tracking = "", cells[1]
        elif len(cells) == 3:
            carrier, tracking = cells[1], cells[2]
        else:
            rows.append(PreviewRow(line, code, "", "", PROBLEM_UNREADABLE))
            continue
        order = orders.get(code)
        if len(carrier) > CARRIER_MAX or len(tracking) > TRACKING_MAX:
            problem = PROBLEM_TOO_LONG
        elif order is None:
            problem = PROBLEM_UNKNOWN
        elif counts[code] > 1:
            problem = PROBLEM_DUPLICATE
        elif order.status != S.PAID:
            problem = PROBLEM_NOT_PAID
        else:
            problem = ""
        rows.append(PreviewRow(line, code, carrier, tracking, problem, order))
    return Preview(rows)


def _parse(text: str) -> list[tuple[int, list[str]]]:
    """(line number, trimmed cells) of each non-empty line, each line read on its own: people
    paste from spreadsheets (tabs), CSV files (commas or semicolons) and chats (spaces) at once."""
    parsed = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [cell.strip() for cell in _cells(line)]
        while cells and not cells[-1]:  # "CODE, JNE, 123," from a spreadsheet's spare column
            cells.pop()
        if cells:
            parsed.append((number, cells))
    return parsed


def _cells(line: str) -> list[str]:
    """Split on the tab, semicolon or comma the line uses; else on spaces, where the first word
    is the code, the last the tracking number, and any words between the carrier ("J&T
    Express")."""
    for separator in ("\t", ";", ","):
        if separator in line:
            return next(csv.reader([line], delimiter=separator))
    words = line.split()
    return words if len(words) <= 2 else [words[0], " ".join(words[1:-1]), words[-1]]


@dataclass(frozen=True)
class BulkShipping:
    shipped: list[str]  # codes shipped now
    skipped: list[str]  # codes that were not (unknown, repeated, or no longer paid)


def ship_in_bulk(
    *,
    campaign: Campaign,
    rows: list[tuple[str, str, str]],
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> BulkShipping:
    """Ship the previewed rows (code, carrier, tracking number) in one transaction.

    Rules: as mark_shipped for each order, checked again now (the preview may be stale: an order
    shipped or cancelled since is skipped, not an error); a code given twice ships neither time;
    codes of another campaign are unknown. Nothing ships if the campaign cannot ship at all.
    """
    now = now or timezone.now()
    cleaned = []
    for code, carrier, tracking in rows:
        try:
            cleaned.append((code.strip().upper(), *_clean(carrier, tracking)))
        except ShippingRefused:
            cleaned.append((code.strip().upper(), None, None))
    counts = Counter(code for code, _carrier, _tracking in cleaned)
    shipped, skipped = [], []
    with transaction.atomic():
        locked = _lock_campaign(campaign.pk)
        if locked.status not in SHIPPING_CAMPAIGNS:
            raise ShippingRefused(_campaign_refusal(locked))
        orders = {
            order.code.upper(): order
            for order in Order.objects.select_for_update()
            .filter(campaign=locked, code__in=list(counts))
            .order_by("pk")
        }
        for code, carrier, tracking in cleaned:
            order = orders.get(code)
            if order is None or counts[code] > 1 or carrier is None or order.status != S.PAID:
                skipped.append(code)
                continue
            order.campaign = locked
            _ship(order, carrier=carrier, tracking_number=tracking, actor=actor, now=now)
            shipped.append(order.code)
        if shipped:
            _start_shipping(locked, actor=actor)
    campaign.status = locked.status
    return BulkShipping(shipped=shipped, skipped=skipped)


# --- complete --------------------------------------------------------------------------------


def confirm_receipt(*, order: Order, now: datetime | None = None) -> Order:
    """The buyer says the order arrived: shipped → completed, with the day it was received.

    Rules: only a shipped order; a second tap on an order already completed changes nothing.
    The campaign completes when this was its last active order to complete.
    """
    note = say("Received by the buyer.")
    return _complete(order, actor=None, note=note, now=now, again_ok=True)


def complete_order(
    *, order: Order, actor: AbstractBaseUser | None, now: datetime | None = None
) -> Order:
    """The seller marks a shipped order completed (the buyer did not confirm, it arrived).

    Rules: only a shipped order. The campaign completes when every active order has.
    """
    note = say("Marked completed by the shop.")
    return _complete(order, actor=actor, note=note, now=now, again_ok=False)


def _complete(
    order: Order, *, actor, note: Sentence, now: datetime | None, again_ok: bool
) -> Order:
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _lock_campaign(order.campaign_id)
        current = Order.objects.select_for_update().get(pk=order.pk)
        if current.status == S.COMPLETED and again_ok:
            _copy(current, order)
            return order
        if current.status != S.SHIPPED:
            raise ShippingRefused(_complete_refusal(current))
        current.received_at = now
        current.save(update_fields=["received_at", "updated_at"])
        move_order(order=current, to=S.COMPLETED, actor=actor, note=note)
        complete_campaign_when_done(campaign, actor=actor)
    _copy(current, order)
    return order


def complete_campaign_when_done(campaign: Campaign, *, actor) -> None:
    """Every active order completed: the campaign is done. `campaign` is locked.

    Called whenever an order of a shipping campaign completes, or leaves it by being cancelled
    or expiring: the last open order need not be the one that completes."""
    if campaign.status != C.SHIPPING:
        return
    active = campaign.orders.filter(status__in=Order.ACTIVE)
    if active.exclude(status=S.COMPLETED).exists():
        return
    move_campaign(
        campaign=campaign,
        to=C.COMPLETED,
        actor=actor,
        note=say("Every order has been received."),
    )


# --- shared ----------------------------------------------------------------------------------


def _clean(carrier: str, tracking_number: str) -> tuple[str, str]:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if len(carrier) > CARRIER_MAX:
        raise ShippingRefused(
            _("The carrier's name is too long (at most %(max)d characters).") % {"max": CARRIER_MAX}
        )
    if len(tracking_number) > TRACKING_MAX:
        raise ShippingRefused(
            _("The tracking number is too long (at most %(max)d characters).")
            % {"max": TRACKING_MAX}
        )
    return carrier, tracking_number


def _lock_campaign(campaign_id: int) -> Campaign:
    # The shop comes along for the emails' time zone; only the campaign row is locked.
    return (
        Campaign.objects.select_for_update(of=("self",)).select_related("shop").get(pk=campaign_id)
    )


THE_CARRIER = gettext_lazy("the carrier")  # a tracking number without the carrier's name


def _ship(order: Order, *, carrier: str, tracking_number: str, actor, now: datetime) -> None:
    """A locked, paid order leaves the shop: fields first (the database wants shipped_at with
    the status), then the one door, then the email after commit."""
    order.carrier, order.tracking_number, order.shipped_at = carrier, tracking_number, now
    order.save(update_fields=["carrier", "tracking_number", "shipped_at", "updated_at"])
    if tracking_number:
        note = say(
            "Shipped with %(carrier)s, tracking number %(tracking)s.",
            carrier=carrier or word(THE_CARRIER),
            tracking=tracking_number,
        )
    elif carrier:
        note = say("Shipped with %(carrier)s.", carrier=carrier)
    else:
        note = say("Ready: your order has left the shop.")
    move_order(order=order, to=S.SHIPPED, actor=actor, note=note)
    emails.order_shipped(order)


def _start_shipping(campaign: Campaign, *, actor) -> None:
    """The first shipped order starts the campaign shipping. `campaign` is locked."""
    if campaign.status == C.READY:
        move_campaign(
            campaign=campaign,
            to=C.SHIPPING,
            actor=actor,
            note=say("The first orders have been shipped."),
        )


def _ship_refusal(campaign: Campaign, order: Order) -> str | None:
    if order.status == S.PAID and campaign.status in SHIPPING_CAMPAIGNS:
        return None
    if order.status in (S.SHIPPED, S.COMPLETED):
        return _("Order %(code)s has already been shipped.") % {"code": order.code}
    if order.status != S.PAID:
        return _("Only an order paid in full can be shipped; %(code)s is “%(status)s”.") % {
            "code": order.code,
            "status": order.get_status_display(),
        }
    return _campaign_refusal(campaign)


def _campaign_refusal(campaign: Campaign) -> str:
    return _("Orders ship once production has finished; this campaign is “%(status)s”.") % {
        "status": campaign.get_status_display()
    }


def _complete_refusal(order: Order) -> str:
    if order.status == S.COMPLETED:
        return _("Order %(code)s is already completed.") % {"code": order.code}
    return _("Only a shipped order can be completed; %(code)s is “%(status)s”.") % {
        "code": order.code,
        "status": order.get_status_display(),
    }


def _copy(source: Order, target: Order) -> None:
    for name in ("status", "carrier", "tracking_number", "shipped_at", "received_at"):
        setattr(target, name, getattr(source, name))
