"""What a decision that stops a campaign leaves behind: everything a refused one leaves as it was,
and the refunds by buyer."""

from decimal import Decimal

from campaigns.models import Campaign
from orders.models import OrderEvent
from payments.models import Refund


def snapshot(campaign: Campaign):
    campaign.refresh_from_db()
    return (
        campaign.status,
        campaign.reserved,
        campaign.events.count(),
        sorted(campaign.orders.values_list("code", "status")),
        OrderEvent.objects.filter(order__campaign=campaign).count(),
        list(Refund.objects.filter(order__campaign=campaign).values_list("order_id", "amount")),
    )


def refunds_by_buyer(campaign: Campaign) -> dict[str, Decimal]:
    return {
        refund.order.buyer_name: refund.amount
        for refund in Refund.objects.filter(order__campaign=campaign).select_related("order")
    }
