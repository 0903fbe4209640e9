"""What the decision tests read back: order statuses, everything a decision could change, and a
moment as Jakarta reads it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import Campaign, CampaignEvent
from orders.models import Order, OrderEvent


def statuses(*orders: Order) -> list[str]:
    return [Order.objects.get(pk=order.pk).status for order in orders]


def snapshot(campaign: Campaign):
    """Everything a decision could change."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.status,
        campaign.closes_at,
        CampaignEvent.objects.filter(campaign=campaign).count(),
        list(campaign.orders.order_by("pk").values_list("status", "balance_due_at")),
        OrderEvent.objects.filter(order__campaign=campaign).count(),
        len(mail.outbox),
    )


def last_status_event(order: Order) -> OrderEvent:
    return order.events.filter(kind=OrderEvent.Kind.STATUS).last()


def _jakarta(moment: datetime) -> str:
    return date_format(timezone.localtime(moment, ZoneInfo("Asia/Jakarta")), "j M Y, H:i T")
