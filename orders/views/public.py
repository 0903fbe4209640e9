from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache

from kernel.money import quantize
from kernel.whatsapp import wa_link
from orders import chat
from orders.models import Order
from orders.selectors import (
    buyer_announcements,
    order_events,
    order_for_buyer,
    order_lines,
    order_timeline,
)
from orders.services.revisions import delay_choice_open
from payments.forms.public import PaymentForm
from payments.forms.refunds import buyer_refund_items
from payments.selectors import (
    accounts_for_order,
    gateway_offers,
    order_page_hints,
    order_payments,
)
from payments.services.cancellations import delay_refund_kept


def buyer_order(token: str, **hints) -> Order:
    """The order behind a secret link, or a 404: the short code alone never finds one."""
    try:
        return order_for_buyer(token, **hints)
    except Order.DoesNotExist:
        raise Http404 from None


@never_cache
def order_detail(request, token):
    """The buyer's private order page, reached only through the secret link.

    It reads the order with flags that spare the queries of what it does not have (payments,
    the shop's accounts and gateways, ...). Only here: a view that changes the order before
    rendering the page loads it without them, so that the page never trusts a flag read before
    the change."""
    return render_order_page(request, buyer_order(token, **order_page_hints()))


def render_order_page(
    request,
    order: Order,
    *,
    payment_form=None,
    refund_form=None,
    gateway_error: str = "",
    status: int = 200,
):
    """The order page; the payment and refund views render it too, with the refused form and
    its errors."""
    payments = order_payments(order)
    if payment_form is None and payments.can_pay:
        payment_form = PaymentForm(
            currency=order.currency,
            initial={"amount": f"{quantize(payments.due.to_send, order.currency):f}"},
        )
    shop = order.campaign.shop
    offers, open_transaction = gateway_offers(order, payments.due if payments.can_pay else None)
    refunds = buyer_refund_items(payments.refunds, bound=refund_form)
    context = {
        "order": order,
        "campaign": order.campaign,
        "shop": shop,
        "lines": order_lines(order),
        "timeline": order_timeline(
            order, payment_waiting=payments.waiting is not None, events=order_events(order)
        ),
        # Read only if the page shows them (payments/_pay.html: with something to pay).
        "accounts": SimpleLazyObject(lambda: accounts_for_order(order)),
        "announcements": buyer_announcements(order),
        "gateway_offers": offers,
        "gateway_transaction": open_transaction,
        "pay": payments,
        "payment_form": payment_form,
        "gateway_error": gateway_error,
        "refunds": refunds,
        # Before any payment is sent the buyer may still change their mind.
        "can_cancel": order.status == Order.Status.PENDING
        and payments.waiting is None
        and not payments.paid,
    }
    if delay_choice_open(order):
        # What cancelling now would give back, by the shop's policy in the PO terms.
        kept = delay_refund_kept(order)
        context["delay_refund"] = max(payments.paid - kept, 0)
    if shop.whatsapp:
        # The buyer's own words to the shop, in the language they read this page in.
        context["chat_link"] = wa_link(chat.order_question(order), phone=shop.whatsapp)
        if payments.due:
            context["pay_chat_link"] = wa_link(
                chat.payment_sent(order, due=payments.due), phone=shop.whatsapp
            )
        for item in refunds:
            item.chat_link = wa_link(
                chat.refund_question(item.refund, order=order), phone=shop.whatsapp
            )
    response = render(request, "orders/order_detail.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
