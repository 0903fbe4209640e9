"""What buyers are told by email about their order; each sends after the transaction commits."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.formats import date_format

from campaigns.money import format_money
from campaigns.notify import absolute, email_after_commit
from orders.models import Order


def local_time(order: Order, moment: datetime) -> str:
    """`moment` as the buyer reads it: the shop's time zone, the buyer's language."""
    with translation.override(order.language):
        return date_format(
            timezone.localtime(moment, ZoneInfo(order.campaign.shop.time_zone)),
            "DATETIME_FORMAT",
        )


def order_context(order: Order) -> dict:
    """Plain strings about the order, formatted in the buyer's language and the shop's zone."""
    shop = order.campaign.shop
    return {
        "code": order.code,
        "buyer_name": order.buyer_name,
        "shop": shop.name,
        "campaign": order.campaign.title,
        "link": absolute(order.get_absolute_url()),
        "subtotal": format_money(order.subtotal, order.currency),
        "deposit": format_money(order.deposit_amount, order.currency),
        "balance": format_money(order.balance_amount, order.currency),
        "deposit_due": local_time(order, order.deposit_due_at),
        # Empty until production finishes and the balance gets its date.
        "balance_due": local_time(order, order.balance_due_at) if order.balance_due_at else "",
    }


def order_placed(order: Order) -> None:
    email_after_commit(
        to=order.buyer_email,
        language=order.language,
        template="order_placed",
        context=order_context(order),
    )


def balance_due(order: Order, *, amount: Decimal) -> None:
    """Production has finished: `amount` is still to pay, by the order's balance due date."""
    with translation.override(order.language):
        late_balance = str(order.campaign.get_late_balance_display())
    send_to_buyer(
        order,
        "balance_due",
        owed=format_money(amount, order.currency),
        # The kode unik goes on every transfer, never on the price (payments.ledger.Due).
        to_send=format_money(amount + order.transfer_code, order.currency),
        transfer_code=str(order.transfer_code) if order.transfer_code else "",
        late_balance=late_balance,
    )


def deposit_reminder(order: Order) -> None:
    """The deposit deadline is a few hours away and no payment is waiting for review."""
    send_to_buyer(order, "deposit_reminder")


def order_expired(order: Order) -> None:
    """The deposit did not arrive in time; the units went back to the campaign."""
    send_to_buyer(order, "order_expired", campaign_link=absolute(order.campaign.get_absolute_url()))


def balance_reminder(order: Order) -> None:
    """The balance is due within days; says what happens to the deposit if it stays unpaid."""
    with translation.override(order.language):
        late_balance = str(order.campaign.get_late_balance_display())
    send_to_buyer(order, "balance_reminder", late_balance=late_balance)


def send_to_buyer(order: Order, template: str, **extra: str) -> None:
    """Queue `emails/<template>` to the order's buyer: order_context plus `extra` strings."""
    email_after_commit(
        to=order.buyer_email,
        language=order.language,
        template=template,
        context=order_context(order) | extra,
    )
