"""What the refund tests read back: the units an order holds, everything a refused request must
leave as it was, and the refund notes on its timeline."""

from campaigns.models import Campaign
from orders.models import Order, OrderEvent


def counters(order: Order) -> tuple[int, int]:
    campaign = Campaign.objects.get(pk=order.campaign_id)
    return campaign.reserved, sum(v.reserved for v in campaign.variants.all())


def snapshot(order: Order):
    """Everything a refused request must leave as it was."""
    order.refresh_from_db()
    return (
        order.status,
        order.balance_due_at,
        counters(order),
        order.events.count(),
        list(
            order.refunds.values_list(
                "status", "amount", "reference", "account_number", "sent_at", "proof"
            )
        ),
    )


def refund_notes(order: Order) -> list[str]:
    return list(order.events.filter(kind=OrderEvent.Kind.REFUND).values_list("note", flat=True))
