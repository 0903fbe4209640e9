"""What the fulfilment tests read back: an order afresh, its campaign's status, and everything
shipping could change."""

from django.core import mail

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order, OrderEvent


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def campaign_status(order: Order) -> str:
    return Campaign.objects.get(pk=order.campaign_id).status


def snapshot(campaign: Campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.status,
        CampaignEvent.objects.filter(campaign=campaign).count(),
        list(
            campaign.orders.order_by("pk").values_list(
                "status", "carrier", "tracking_number", "shipped_at", "received_at"
            )
        ),
        OrderEvent.objects.filter(order__campaign=campaign).count(),
        len(mail.outbox),
    )
