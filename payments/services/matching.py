"""Which order a line of a bank statement pays, if any: read-only, in a fixed number of queries
whatever the number of lines (payments/services/statements.py previews and confirms with it).

A line names an order by its exact amount (the order's transfer amount, unique among the shop's
orders waiting for money: orders/services/transfer_codes.py) or by the order's code in its
description. It is matched only when that points at exactly one order, waiting for money, and
within what it still owes; anything else is left for the seller's eyes:
- ambiguous: more than one order could be meant, or the one meant would be paid more than it owes;
- unmatched: nothing points at an order (or only at one that no longer waits, which is said);
- imported: the line is already in the shop's statements (its fingerprint), whatever it was then.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Shop
from orders.models import CODE_ALPHABET, CODE_LENGTH, Order, TransferAmount
from payments.models import Payment, StatementLine
from payments.services.banks import Entry
from payments.services.ledger import paid_sql, payment_due, still_owed

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"
IMPORTED = "imported"
CATEGORIES = (MATCHED, AMBIGUOUS, UNMATCHED, IMPORTED)

# A transfer is booked a day or two after the order stopped waiting at most (a weekend, a
# holiday): an amount released this long ago may still be what a line was for.
BOOKING_GRACE = timedelta(days=3)
CODE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
WORDS = re.compile(r"[A-Z0-9]+")


@dataclass
class Row:
    """A credit line of the statement and what it pays."""

    entry: Entry
    fingerprint: str
    category: str = UNMATCHED
    order: Order | None = None  # matched: the order it pays
    by_code: bool = False  # matched through the order code in its description, not the amount
    candidates: list[Order] = field(default_factory=list)  # ambiguous: the orders it could pay
    stale: Order | None = None  # unmatched: an order that expected it but no longer waits

    # The line's own facts, named as a stored StatementLine names them (one template shows both).
    @property
    def booked_on(self):
        return self.entry.booked_on

    @property
    def amount(self) -> Decimal:
        return self.entry.amount

    @property
    def description(self) -> str:
        return self.entry.description

    @property
    def key(self) -> str:
        """What the seller confirmed: this line for this order."""
        return f"{self.fingerprint}:{self.order.pk if self.order else ''}"


def fingerprints(entries: list[Entry]) -> list[str]:
    """One per entry: its date, amount and description, and which occurrence of those in the file
    it is, so the same line in two statements (or the same file twice) has the same fingerprint
    while two equal transfers on one day keep two."""
    seen = Counter()
    found = []
    for entry in entries:
        key = (entry.booked_on.isoformat(), f"{entry.amount:.2f}", entry.description.upper())
        seen[key] += 1
        text = "|".join((*key, str(seen[key])))
        found.append(hashlib.sha256(text.encode()).hexdigest())
    return found


def classify(shop: Shop, entries: list[Entry]) -> list[Row]:
    """Every credit entry as a Row, in the file's order. Four queries."""
    rows = [Row(entry, fp) for entry, fp in zip(entries, fingerprints(entries), strict=True)]
    imported = set(
        StatementLine.objects.filter(
            shop=shop, fingerprint__in=[row.fingerprint for row in rows]
        ).values_list("fingerprint", flat=True)
    )
    claims = _claims(
        shop,
        {row.entry.amount for row in rows},
        since=min((row.entry.booked_on for row in rows), default=None),
    )
    named = _named_orders(shop, rows)
    zone = ZoneInfo(shop.time_zone)
    # What each order may still take from this statement: two lines never pay it twice over.
    left: dict[int, Decimal] = {}
    for row in rows:
        if row.fingerprint in imported:
            row.category = IMPORTED
            continue
        _match(row, claims.get(row.entry.amount, []), _codes_in(row, named), zone, left)
    return rows


def _match(row: Row, claims, named: list[Order], zone, left: dict) -> None:
    day = row.entry.booked_on
    # Waited for since the line's day at the latest: a newer order cannot be what it paid.
    live = {
        c.order_id: c for c in claims if c.released_at is None and _day(c.claimed_at, zone) <= day
    }
    stale = [
        c
        for c in claims
        if c.released_at is not None
        and _day(c.claimed_at, zone) <= day <= _day(c.released_at + BOOKING_GRACE, zone)
    ]
    candidate = None
    if len(named) == 1:
        # Its code in the description names it: only another order waiting for this very amount
        # makes that doubtful (an amount an order expected before, now released, does not).
        order = named[0]
        if (not live or order.pk in live) and _waits(order):
            # Said "by its code" unless its amount alone named it too.
            candidate, row.by_code = order, set(live) != {order.pk}
    elif not named and len(live) == 1 and not stale:
        candidate = next(iter(live.values())).order
    if candidate is not None:
        # The exact amount it waits for when matched by it, else what the whole order still owes
        # plus its code (as crediting.check_creditable allows).
        limit = left.get(candidate.pk)
        if limit is None:
            limit = live[candidate.pk].amount if candidate.pk in live else _owed(candidate)
        if row.entry.amount <= limit:
            row.category, row.order = MATCHED, candidate
            left[candidate.pk] = limit - row.entry.amount
            return
    everyone = {**{pk: c.order for pk, c in live.items()}, **{o.pk: o for o in named}}
    if everyone:
        row.category = AMBIGUOUS
        row.candidates = [*everyone.values()]
        row.candidates += [c.order for c in stale if c.order_id not in everyone]
    elif stale:
        row.stale = stale[0].order


def _owed(order: Order) -> Decimal:
    return still_owed(order, Payment.Kind.BALANCE, paid=order.paid) + order.transfer_code


def _waits(order: Order) -> bool:
    return payment_due(order, paid=order.paid) is not None


def _claims(shop: Shop, amounts: set[Decimal], *, since) -> dict[Decimal, list[TransferAmount]]:
    """Every amount of the shop's orders equal to one of `amounts` that a line booked on `since`
    or later could pay: waiting, or released within BOOKING_GRACE of it.

    The released ones from before are left unread: a shop with 100,000 orders has about ten per
    amount (bench/big.py), and none of them can be what a line of this statement paid."""
    found: dict[Decimal, list[TransferAmount]] = {}
    if since is None:
        return found
    # A day of margin for the shop's time zone, in which _match reads the days.
    released_since = datetime.combine(since, time(), UTC) - BOOKING_GRACE - timedelta(days=1)
    claims = (
        TransferAmount.objects.filter(shop=shop, amount__in=amounts)
        .filter(Q(released_at__isnull=True) | Q(released_at__gte=released_since))
        .select_related("order")
        .annotate(paid=paid_sql("order_id"))
        .order_by("claimed_at", "pk")
    )
    for claim in claims:
        claim.order.paid = claim.paid
        found.setdefault(claim.amount, []).append(claim)
    return found


def codes_in(description: str) -> set[str]:
    """What in a description could be an order code: a word of seven code characters, or the
    first or last seven of a longer word ("AB3CD5E", "DP-AB3CD5E", "AB3CD5EBUDI")."""
    found = set()
    for word in WORDS.findall(description.upper()):
        for part in {word[:CODE_LENGTH], word[-CODE_LENGTH:]}:
            if CODE.fullmatch(part):
                found.add(part)
    return found


def _named_orders(shop: Shop, rows: list[Row]) -> dict[str, Order]:
    """The shop's orders whose code appears in some line's description."""
    codes = set().union(*(codes_in(row.entry.description) for row in rows))
    if not codes:
        return {}
    return {
        order.code: order
        for order in Order.objects.filter(campaign__shop=shop, code__in=codes).annotate(
            paid=paid_sql()
        )
    }


def _codes_in(row: Row, named: dict[str, Order]) -> list[Order]:
    orders = [named[code] for code in sorted(codes_in(row.entry.description)) if code in named]
    return list({order.pk: order for order in orders}.values())


def _day(moment, zone):
    return timezone.localdate(moment, zone)
