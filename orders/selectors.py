"""What the buyer's order page reads, and the timeline it draws."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderEvent


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
