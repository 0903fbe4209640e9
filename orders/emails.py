"""What buyers are told by e-mail about their order; each goes to the outbox, and the worker sends
it once the transaction commits."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Email
from campaigns.services.outbox import queue_email, queue_emails
from kernel.clock import shop_day, shop_time
from kernel.mail import absolute
from kernel.money import format_money
from kernel.whatsapp import wa_link
from orders import chat
from orders.models import Order, WaitlistEntry


def order_context(order: Order) -> dict:
    """Plain strings about the order, formatted in the buyer's language and the shop's zone."""
    shop = order.campaign.shop
    with translation.override(order.language):
        # Every email ends with a way to ask the shop, the order already named.
        whatsapp = wa_link(chat.order_question(order), phone=shop.whatsapp) if shop.whatsapp else ""
    return {
        "whatsapp": whatsapp,
        "code": order.code,
        "buyer_name": order.buyer_name,
        "shop": shop.name,
        "campaign": order.campaign.title,
        "link": absolute(order.get_absolute_url()),
        "subtotal": format_money(order.subtotal, order.currency),
        "deposit": format_money(order.deposit_amount, order.currency),
        "balance": _balance_words(order),
        "deposit_due": shop_time(order.campaign.shop, order.deposit_due_at, order.language),
        # Empty until production finishes and the balance gets its date.
        "balance_due": shop_time(order.campaign.shop, order.balance_due_at, order.language)
        if order.balance_due_at
        else "",
    }


def _balance_words(order: Order) -> str:
    """The balance as the buyer reads it, saying where the ongkir in it stands."""
    balance = format_money(order.balance_amount, order.currency)
    with translation.override(order.language):
        if order.shipping_pending:
            return _("%(balance)s, plus the ongkir the seller sets") % {"balance": balance}
        if order.shipping_fee and order.balance_amount:
            ongkir = format_money(order.shipping_fee, order.currency)
            return _("%(balance)s, ongkir %(ongkir)s included") % {
                "balance": balance,
                "ongkir": ongkir,
            }
    return balance


def order_placed(order: Order) -> Email:
    """The buyer's e-mail about their new order, not yet written: placing writes it with the
    order's other rows, then has it delivered on commit (outbox.deliver_on_commit)."""
    return _to_buyer(order, "order_placed")


def order_link(order: Order) -> None:
    """The seller sends the buyer their private order page again (the e-mail went astray)."""
    send_to_buyer(order, "order_link")


def balance_due(order: Order, *, amount: Decimal) -> None:
    """Production has finished: `amount` is still to pay, by the order's balance due date."""
    with translation.override(order.language):
        late_balance = str(order.campaign.get_late_balance_display())
    send_to_buyer(
        order,
        "balance_due",
        owed=format_money(amount, order.currency),
        # The kode unik goes on every transfer, never on the price (payments.services.ledger.Due).
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


def order_shipped(order: Order) -> None:
    """The order left the shop: carrier and tracking number (both may be empty for a pickup)."""
    send_to_buyer(
        order, "order_shipped", carrier=order.carrier, tracking_number=order.tracking_number
    )


def send_to_buyer(order: Order, template: str, **extra: str) -> None:
    """Queue `emails/<template>` to the order's buyer: order_context plus `extra` strings."""
    queue_emails([_to_buyer(order, template, **extra)])


def _to_buyer(order: Order, template: str, **extra: str) -> Email:
    return Email(
        to=order.buyer_email,
        language=order.language,
        template=template,
        context=order_context(order) | extra,
        shop=order.campaign.shop,
        about=order.code,
    )


def email_campaign_buyers(
    campaign: Campaign, template: str, extra: Callable[[str], dict[str, str]]
) -> int:
    """Queue `emails/<template>` once per buyer address with an active order of the campaign.

    A buyer with two orders gets one email naming both; it is written in the language of their
    latest order, and `extra(language)` adds the strings formatted for it. Returns how many
    emails were queued. Two queries whatever the number of orders.
    """
    buyers: dict[str, list[Order]] = {}
    orders = campaign.orders.filter(status__in=Order.ACTIVE).order_by("created_at", "id")
    for order in orders:
        buyers.setdefault(order.buyer_email.strip().lower(), []).append(order)
    emails = []
    for address, placed in buyers.items():
        latest = placed[-1]
        context = {
            "buyer_name": latest.buyer_name,
            "shop": campaign.shop.name,
            "campaign": campaign.title,
            "orders": [
                {"code": order.code, "link": absolute(order.get_absolute_url())} for order in placed
            ],
        }
        emails.append(
            Email(
                shop=campaign.shop,
                about=latest.code,
                to=address,
                language=latest.language,
                template=template,
                context=context | extra(latest.language),
            )
        )
    queue_emails(emails)
    return len(buyers)


def production_started(order: Order) -> None:
    send_to_buyer(
        order,
        "production_started",
        ends_on=shop_day(order.campaign.current_production_ends_on, order.language),
        owes_balance="yes" if order.balance_amount else "",
    )


def window_extended(campaign: Campaign, closes_at: datetime) -> int:
    return email_campaign_buyers(
        campaign,
        "window_extended",
        lambda language: {"closes": shop_time(campaign.shop, closes_at, language)},
    )


# --- the waiting list --------------------------------------------------------------------------


def waitlist_context(entry: WaitlistEntry) -> dict:
    """Plain strings about a place on the waiting list, in the buyer's language."""
    campaign = entry.campaign
    shop = campaign.shop
    with translation.override(entry.language):
        whatsapp = (
            wa_link(chat.waitlist_question(entry), phone=shop.whatsapp) if shop.whatsapp else ""
        )
    return {
        "whatsapp": whatsapp,
        "buyer_name": entry.name,
        "shop": shop.name,
        "campaign": campaign.title,
        "variant": entry.variant.name,
        "quantity": str(entry.quantity),
        "held": str(entry.held),
        "until": shop_time(shop, entry.offer_expires_at, entry.language)
        if entry.offer_expires_at
        else "",
        "link": absolute(entry.get_absolute_url()),
    }


def waitlist_joined(entry: WaitlistEntry) -> None:
    """The buyer is on the list: their private link, to follow their place or leave."""
    _send_to_waiting(entry, "waitlist_joined")


def waitlist_offer(entry: WaitlistEntry) -> None:
    """Units came back and are held for the buyer until the offer's end."""
    _send_to_waiting(entry, "waitlist_offer")


def waitlist_link(entry: WaitlistEntry, *, now: datetime) -> None:
    """The buyer asked to join again: the link to the place they have, at most once an hour
    (the join form can be sent by anyone who knows the number)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    _send_to_waiting(entry, "waitlist_joined", key=f"waitlist-{entry.pk}-{hour:%Y%m%d%H}")


def _send_to_waiting(entry: WaitlistEntry, template: str, key: str | None = None) -> None:
    queue_email(
        to=entry.email,
        language=entry.language,
        template=template,
        context=waitlist_context(entry),
        shop=entry.campaign.shop,
        key=key,
    )
