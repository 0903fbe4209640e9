"""The one door every order status change goes through (DESIGN.md, Order life)."""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from kernel.sentences import Sentence
from orders.exceptions import TransitionNotAllowed
from orders.models import Order, OrderEvent
from orders.services.stock import release_units
from orders.services.transfer_codes import WAITING, release_transfer_amount
from orders.services.waitlist import offer_waiting
from orders.tally import order_moved

S = Order.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.EXPIRED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.IN_PRODUCTION, S.CANCELLED}),
    # Full-payment orders skip the balance: straight from production to paid.
    S.IN_PRODUCTION: frozenset({S.AWAITING_BALANCE, S.PAID, S.CANCELLED}),
    S.AWAITING_BALANCE: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
}


@transaction.atomic
def move_order(*, order: Order, to: str, actor=None, note: Sentence | str = "") -> Order:
    """Move `order` to status `to` and write the event; units go back when it stops being active,
    its transfer amount (kode unik) is freed when it stops waiting for money, and the campaign's
    running totals follow. Units that go back are offered to the campaign's waiting list first,
    in the same transaction, so no buyer from the public page takes them in between.

    The row is locked and re-read first, so two people acting at once move it once.
    """
    current = Order.objects.select_for_update().get(pk=order.pk)
    if to not in ALLOWED[current.status]:
        raise TransitionNotAllowed(current, to)
    released = current.status in Order.ACTIVE and to not in Order.ACTIVE
    if released:
        units = Counter()
        for line in current.lines.all():
            units[line.variant_id] += line.quantity
        release_units(campaign_id=current.campaign_id, units_by_variant=units)
    if current.status in WAITING:
        # Paid, expired or cancelled: the amount it expected may name another order from now on.
        release_transfer_amount(order=current)
    order_moved(current, current.status, to)
    OrderEvent.objects.create(
        order=current,
        kind=OrderEvent.Kind.STATUS,
        from_status=current.status,
        to_status=to,
        actor=actor,
        note=note,
    )
    current.status = to
    fields = ["status", "updated_at"]
    # The database wants a shipped order's time (orders/services/fulfilment.py sets it with the
    # carrier; any other path gets the moment of the move).
    stamp = {S.SHIPPED: "shipped_at", S.COMPLETED: "received_at"}.get(to)
    if stamp and getattr(current, stamp) is None:
        setattr(current, stamp, timezone.now())
        setattr(order, stamp, getattr(current, stamp))
        fields.append(stamp)
    current.save(update_fields=fields)
    order.status = to
    if released:
        offer_waiting(campaign_id=current.campaign_id)
    return order
