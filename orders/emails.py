"""What buyers are told by email about their order; each sends after the transaction commits."""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.formats import date_format

from campaigns.money import format_money
from campaigns.notify import absolute, email_after_commit
from orders.models import Order


def order_context(order: Order) -> dict:
    """Plain strings about the order, formatted in the buyer's language and the shop's zone."""
    shop = order.campaign.shop
    with translation.override(order.language):
        due = date_format(
            timezone.localtime(order.deposit_due_at, ZoneInfo(shop.time_zone)),
            "DATETIME_FORMAT",
        )
    return {
        "code": order.code,
        "buyer_name": order.buyer_name,
        "shop": shop.name,
        "campaign": order.campaign.title,
        "link": absolute(order.get_absolute_url()),
        "subtotal": format_money(order.subtotal, order.currency),
        "deposit": format_money(order.deposit_amount, order.currency),
        "balance": format_money(order.balance_amount, order.currency),
        "deposit_due": due,
    }


def order_placed(order: Order) -> None:
    email_after_commit(
        to=order.buyer_email,
        language=order.language,
        template="order_placed",
        context=order_context(order),
    )
