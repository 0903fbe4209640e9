"""The kode unik: the exact amount an order waiting for money asks its buyer to transfer, unique
among the shop's orders waiting for money, so that a bank statement line names one order
(DESIGN.md, Money).

The database holds the rule (TransferAmount's unique constraint), not luck: two orders placed at
the same moment that draw the same amount cannot both store it, and the loser draws again.
Amounts are claimed by the services that know what is owed (placing an order; payments when the
balance falls due or part of a payment arrives) and released by transitions.move_order, the one
door, when the order stops waiting.
"""

import secrets
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.exceptions import TransferCodesExhausted
from orders.models import TRANSFER_CODE_RANGES, Order, TransferAmount

# Draws per range before widening it: a clash means another order took that amount this very
# moment, so a few more draws among the codes still free settle it.
ATTEMPTS = 5

# The statuses that wait for money, and for which payment.
WAITING = {
    Order.Status.PENDING: TransferAmount.Kind.DEPOSIT,
    Order.Status.AWAITING_BALANCE: TransferAmount.Kind.BALANCE,
}


def claim_transfer_amount(
    *, order: Order, kind: str, owed: Decimal, now: datetime | None = None
) -> TransferAmount:
    """Give `order` the exact amount to transfer for `kind`: `owed` plus a kode unik that no
    other order of the shop waiting for money expects.

    Rules: runs inside the transaction that moved or credited the order, with the order locked
    (a new order: placed_order_amount); `owed` is more than zero. The amount the order expected
    before, if any, is released. The order keeps its code when that is still free for the new
    amount; otherwise a code is drawn at random among the free ones of 1–999, and only when none
    is left of 1–4,999, then of 1–9,999 (TRANSFER_CODE_RANGES), so no two orders ever share an
    amount. A shop that does not add codes asks for `owed` itself (code 0); its orders may then
    expect the same amount. Refused (TransferCodesExhausted) when every code is taken.
    """
    now = now or timezone.now()
    live = TransferAmount.objects.filter(order=order, released_at__isnull=True).first()
    if live is not None:
        if live.kind == kind and live.amount - live.code == owed:
            return live
        live.released_at = now
        live.save(update_fields=["released_at"])
    return _claim(order, kind=kind, owed=owed, now=now)


def placed_order_amount(*, order: Order, owed: Decimal, now: datetime) -> TransferAmount | None:
    """claim_transfer_amount for the deposit of an order the current transaction just inserted
    (so it expects no amount yet).

    Where the shop adds no codes, the amount is the deposit itself and nothing is drawn: the row
    comes back unsaved, for placing to write with the order's other rows in one round trip
    (kernel/batch.py). Where it adds them, the code is drawn and claimed here, and None comes
    back.
    """
    if not order.campaign.shop.unique_codes:
        return _uncoded(order, kind=TransferAmount.Kind.DEPOSIT, owed=owed, now=now)
    _claim(order, kind=TransferAmount.Kind.DEPOSIT, owed=owed, now=now)
    return None


def _claim(order: Order, *, kind: str, owed: Decimal, now: datetime) -> TransferAmount:
    if order.campaign.shop.unique_codes:
        claim = _draw(order, kind=kind, owed=owed, now=now)
    else:
        claim = _uncoded(order, kind=kind, owed=owed, now=now)
        claim.save()
    if order.transfer_code != claim.code:
        Order.objects.filter(pk=order.pk).update(transfer_code=claim.code)
        order.transfer_code = claim.code
    return claim


def _uncoded(order: Order, *, kind: str, owed: Decimal, now: datetime) -> TransferAmount:
    """The amount, unsaved, where the shop adds no code: `owed` itself."""
    return TransferAmount(
        shop=order.campaign.shop, order=order, kind=kind, amount=owed, code=0, claimed_at=now
    )


def release_transfer_amount(*, order: Order, now: datetime | None = None) -> int:
    """The order no longer waits for the amount it expected: its code is free for other orders.

    Called by transitions.move_order when an order leaves a status that waits for money. The row
    stays, released, so an old statement line can still be traced to the order it was for.
    """
    return TransferAmount.objects.filter(order=order, released_at__isnull=True).update(
        released_at=now or timezone.now()
    )


def _draw(order: Order, *, kind: str, owed: Decimal, now: datetime) -> TransferAmount:
    shop = order.campaign.shop
    preferred = order.transfer_code
    for top in TRANSFER_CODE_RANGES:
        for _attempt in range(ATTEMPTS):
            taken = set(
                TransferAmount.objects.filter(
                    shop=shop,
                    released_at__isnull=True,
                    code__gt=0,
                    amount__gt=owed,
                    amount__lte=owed + top,
                ).values_list("amount", flat=True)
            )
            free = [code for code in range(1, top + 1) if owed + code not in taken]
            if not free:
                break
            code = preferred if preferred in free else secrets.choice(free)
            try:
                with transaction.atomic():
                    return TransferAmount.objects.create(
                        shop=shop,
                        order=order,
                        kind=kind,
                        amount=owed + code,
                        code=code,
                        claimed_at=now,
                    )
            except IntegrityError:
                # Another order stored this amount first: draw again among what is free now.
                preferred = 0
    raise TransferCodesExhausted()
