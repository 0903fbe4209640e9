"""Every message a seller or buyer finds typed for them when a page opens WhatsApp (wa.me).

Seller → buyer messages are written in the order's language (the buyer's when they ordered),
whatever language the seller reads the dashboard in, and end with the buyer's private order
page so the buyer can act on them. Buyer → seller messages are in the language the buyer reads
the page in, and never carry the private link. Each names the order code and the campaign, and
where money is asked, the exact amount to send (the unique transfer code included). The views
turn a text into a link with `kernel.whatsapp.wa_link`.

Payments are passed in, never imported (payments → orders, never back): `due` is a
`payments.services.ledger.Due`, `refund` a `payments.models.Refund`, `payment` a
`payments.models.Payment`."""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from kernel.clock import shop_time
from kernel.money import format_money
from orders.models import Order

# Payment.Kind and Refund.Status values, by value: see above.
DEPOSIT = "deposit"
REFUND_PENDING, REFUND_SENT = "pending", "sent"


def order_url(request, order: Order) -> str:
    """The buyer's private order page, as a full link to paste in a chat."""
    return request.build_absolute_uri(order.get_absolute_url())


def _about(order: Order, **values) -> dict:
    return {
        "name": order.buyer_name,
        "code": order.code,
        "campaign": order.campaign.title,
        **values,
    }


def _money(amount: Decimal, order: Order) -> str:
    return format_money(amount, order.currency)


# --- the campaign ----------------------------------------------------------------------------


def campaign_share(campaign, *, url: str) -> str:
    """The seller shares a campaign in chats and groups (no number: the seller picks one)."""
    return _("Open PO: %(title)s. Order here: %(url)s") % {"title": campaign.title, "url": url}


def campaign_question(campaign, *, url: str) -> str:
    """A buyer asks the shop about a campaign before ordering."""
    return _("Hello %(shop)s, I have a question about “%(campaign)s”: %(url)s") % {
        "shop": campaign.shop.name,
        "campaign": campaign.title,
        "url": url,
    }


# --- seller → buyer, in the order's language -----------------------------------------------------


def order_message(order: Order, *, url: str, due, refunds=(), shop) -> str:
    """The seller's message from the order page, saying what the order needs now: the deposit,
    the balance by its due date, where to send a refund, or where the parcel is."""
    refund = _refund_to_mention(refunds)
    if refund is not None:
        return refund_message(refund, order=order, url=url)
    with translation.override(order.language):
        if due and due.kind != DEPOSIT and order.balance_due_at:
            text = _(
                "Hello %(name)s, production of your order %(code)s for “%(campaign)s” is done. "
                "The balance is due by %(due)s: please transfer %(amount)s. Your order: %(url)s"
            )
        elif due:
            text = _(
                "Hello %(name)s, about your order %(code)s for “%(campaign)s”: "
                "please transfer %(amount)s. Your order: %(url)s"
            )
        elif order.status == Order.Status.SHIPPED:
            return _shipped(order, url=url)
        else:
            text = _(
                "Hello %(name)s, about your order %(code)s for “%(campaign)s”. Your order: %(url)s"
            )
        return text % _about(
            order,
            amount=_money(due.to_send if due else 0, order),
            due=shop_time(shop, order.balance_due_at, order.language)
            if order.balance_due_at
            else "",
            url=url,
        )


def _shipped(order: Order, *, url: str) -> str:
    if order.tracking_number and order.carrier:
        text = _(
            "Hello %(name)s, your order %(code)s for “%(campaign)s” has shipped with "
            "%(carrier)s, tracking number %(tracking)s. Once it arrives, please confirm on "
            "your order page: %(url)s"
        )
    elif order.tracking_number:
        text = _(
            "Hello %(name)s, your order %(code)s for “%(campaign)s” has shipped, tracking "
            "number %(tracking)s. Once it arrives, please confirm on your order page: %(url)s"
        )
    elif order.carrier:
        text = _(
            "Hello %(name)s, your order %(code)s for “%(campaign)s” has shipped with "
            "%(carrier)s. Once it arrives, please confirm on your order page: %(url)s"
        )
    else:
        text = _(
            "Hello %(name)s, your order %(code)s for “%(campaign)s” has left our shop. Once you "
            "have it, please confirm on your order page: %(url)s"
        )
    return text % _about(order, carrier=order.carrier, tracking=order.tracking_number, url=url)


def _refund_to_mention(refunds):
    """A refund still to send comes first (the buyer may owe us bank details); else the one
    sent last."""
    pending = [r for r in refunds if r.status == REFUND_PENDING]
    if pending:
        return pending[0]
    sent = [r for r in refunds if r.status == REFUND_SENT]
    return max(sent, key=lambda r: r.sent_at) if sent else None


def refund_message(refund, *, order: Order, url: str) -> str:
    """About a refund: where to send it (while the bank details are missing), where it goes, or
    that it was sent, with the transfer's reference."""
    with translation.override(order.language):
        if refund.status == REFUND_SENT:
            text = _(
                "Hello %(name)s, about your order %(code)s for “%(campaign)s”: we have sent "
                "your refund of %(amount)s, reference %(reference)s. It may take a day or two to "
                "arrive. Your order: %(url)s"
            )
        elif refund.has_bank_details:
            text = _(
                "Hello %(name)s, about your order %(code)s for “%(campaign)s”: we will refund "
                "%(amount)s to %(bank)s %(number)s (%(holder)s). Your order: %(url)s"
            )
        else:
            text = _(
                "Hello %(name)s, about your order %(code)s for “%(campaign)s”: we will refund "
                "%(amount)s. Where should we send it? Please fill in your bank or e-wallet, "
                "account number and account holder on your order page: %(url)s"
            )
        return text % _about(
            order,
            amount=_money(refund.amount, order),
            reference=refund.reference,
            bank=refund.bank,
            number=refund.account_number,
            holder=refund.account_holder,
            url=url,
        )


def balance_reminder(order: Order, *, url: str, due, shop) -> str:
    """The balance is past its due date: what is owed, since when, and a way out."""
    if due is None or not order.balance_due_at:
        return order_message(order, url=url, due=due, shop=shop)
    with translation.override(order.language):
        text = _(
            "Hello %(name)s, a reminder about your order %(code)s for “%(campaign)s”: the "
            "balance of %(amount)s was due on %(due)s. Please transfer it, or tell us when you "
            "can. Your order: %(url)s"
        )
        return text % _about(
            order,
            amount=_money(due.to_send, order),
            due=shop_time(shop, order.balance_due_at, order.language),
            url=url,
        )


def payment_question(payment, *, order: Order, url: str, expected: Decimal) -> str:
    """About a payment under review; where its amount is not the one expected, asks about it."""
    with translation.override(order.language):
        if payment.amount != expected:
            text = _(
                "Hello %(name)s, about your order %(code)s for “%(campaign)s”: you sent "
                "%(sent)s, but we expected %(expected)s. Could you check the amount? "
                "Your order: %(url)s"
            )
        else:
            text = _(
                "Hello %(name)s, about the payment of %(sent)s you sent for your order "
                "%(code)s for “%(campaign)s”. Your order: %(url)s"
            )
        return text % _about(
            order,
            sent=_money(payment.amount, order),
            expected=_money(expected, order),
            url=url,
        )


# --- buyer → seller, in the language the buyer reads ---------------------------------------------


def order_question(order: Order) -> str:
    """The buyer writes to the shop about the order."""
    return _("Hello %(shop)s, this is %(name)s, order %(code)s for “%(campaign)s”.") % _about(
        order, shop=order.campaign.shop.name
    )


def lost_order_link(shop_name: str, contact: str) -> str:
    """A buyer who lost the link asks the shop for it; only what they typed, never an order."""
    return _(
        "Hello %(shop)s, I lost the link to my order. I ordered with %(contact)s. "
        "Could you send it to me again?"
    ) % {"shop": shop_name, "contact": contact}


def payment_sent(order: Order, *, due) -> str:
    """The buyer tells the shop the transfer went out: the exact amount, and what it pays."""
    if due.kind == DEPOSIT:
        text = _(
            "Hello %(shop)s, this is %(name)s. I have transferred %(amount)s for the down "
            "payment (DP) of order %(code)s for “%(campaign)s”."
        )
    else:
        text = _(
            "Hello %(shop)s, this is %(name)s. I have transferred %(amount)s for the balance "
            "of order %(code)s for “%(campaign)s”."
        )
    return text % _about(order, shop=order.campaign.shop.name, amount=_money(due.to_send, order))


def refund_question(refund, *, order: Order) -> str:
    """The buyer asks the shop about a refund: one to come, or one sent that has not arrived."""
    if refund.status == REFUND_SENT:
        text = _(
            "Hello %(shop)s, this is %(name)s, order %(code)s for “%(campaign)s”: about the "
            "refund of %(amount)s you sent, reference %(reference)s."
        )
    else:
        text = _(
            "Hello %(shop)s, this is %(name)s, order %(code)s for “%(campaign)s”: about my "
            "refund of %(amount)s."
        )
    return text % _about(
        order,
        shop=order.campaign.shop.name,
        amount=_money(refund.amount, order),
        reference=refund.reference,
    )


# --- the waiting list ----------------------------------------------------------------------------


def waitlist_offer(entry, *, url: str) -> str:
    """The seller tells a buyer on the waiting list that units are held for them (in the
    language the buyer joined in), with their private link."""
    with translation.override(entry.language):
        return _(
            "Hello %(name)s, good news from %(shop)s: %(held)d × %(item)s of “%(campaign)s” came "
            "back and is held for you until %(until)s. Order it here: %(url)s"
        ) % {
            "name": entry.name,
            "shop": entry.campaign.shop.name,
            "held": entry.held,
            "item": entry.variant.name,
            "campaign": entry.campaign.title,
            "until": shop_time(entry.campaign.shop, entry.offer_expires_at),
            "url": url,
        }


def waitlist_question(entry) -> str:
    """A buyer on the waiting list asks the shop about it (no private link)."""
    return _("Hello %(shop)s, I am on the waiting list for “%(campaign)s” (%(item)s).") % {
        "shop": entry.campaign.shop.name,
        "campaign": entry.campaign.title,
        "item": entry.variant.name,
    }
