"""The seller's order screens: lists, one order, the vendor's recap and the CSV export.

Every view takes the shop from `seller_view` and fetches through it: another shop's order or
campaign is a 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.models import Role
from campaigns.selectors import order_emails
from campaigns.views.access import seller_view
from kernel.money import format_money
from kernel.whatsapp import wa_link
from orders import chat, emails, selectors
from orders.forms.seller import CancelOrderForm, InternalNoteForm, OrderFilterForm
from orders.forms.shipping import ShipOrderForm
from orders.models import Order
from orders.services.transitions import ALLOWED
from orders.views import exports
from payments.exceptions import PaymentRefused
from payments.forms.recorded import RecordPaymentForm
from payments.forms.refunds import RefundForm
from payments.forms.shipping_fees import ShippingFeeForm
from payments.selectors import order_payments
from payments.services import shipping_fees
from payments.services.cancellations import cancel_order

ORDERS_PER_PAGE = 25


def _campaign(shop, campaign_id):
    return get_object_or_404(shop.campaigns.prefetch_related("variants"), pk=campaign_id)


def _order(shop, code):
    try:
        return selectors.seller_order(shop, code)
    except Order.DoesNotExist:
        raise Http404 from None


def _order_list(request, shop, campaign=None):
    form = OrderFilterForm(request.GET, campaign=campaign)
    orders = selectors.seller_orders(shop, campaign=campaign, filters=form.filters())
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"shop": shop, "campaign": campaign, "form": form, "page": page}
    return render(request, "dashboard/orders/order_list.html", context)


@require_safe
@seller_view(Role.STAFF)
def order_list(request, shop):
    return _order_list(request, shop)


@require_safe
@seller_view(Role.STAFF)
def campaign_orders(request, shop, campaign_id):
    return _order_list(request, shop, _campaign(shop, campaign_id))


@require_safe
@seller_view(Role.STAFF)
def order_detail(request, shop, code):
    order = _order(shop, code)
    return _render_detail(request, shop, order)


def _render_detail(
    request,
    shop,
    order,
    *,
    note_form=None,
    cancel_form=None,
    ship_form=None,
    record_form=None,
    ongkir_form=None,
    status=200,
):
    money = order_payments(order)
    context = {
        "shop": shop,
        "order": order,
        "campaign": order.campaign,
        "timeline": selectors.order_timeline(order, payment_waiting=money.waiting is not None),
        "money": money,
        "chat_link": wa_link(
            chat.order_message(
                order,
                url=chat.order_url(request, order),
                due=money.due,
                refunds=money.refunds,
                shop=shop,
            ),
            phone=order.buyer_phone,
        ),
        "note_form": note_form or InternalNoteForm(instance=order),
        "cancel_form": cancel_form or CancelOrderForm(),
        "can_cancel": Order.Status.CANCELLED in ALLOWED[order.status],
        "refund_form": RefundForm(),
        "ship_form": ship_form or ShipOrderForm(),
        "emails": order_emails(shop, order.code),
        # Money that arrived without a proof: only while the order waits for some.
        # Ongkir, paid with the balance, can change until the balance is settled.
        "ongkir_form": ongkir_form
        or (
            ShippingFeeForm(
                currency=order.currency,
                initial={"fee": None if order.shipping_pending else order.shipping_fee},
            )
            if order.status in shipping_fees.OPEN
            else None
        ),
        "record_form": record_form
        or (
            RecordPaymentForm(currency=order.currency, initial={"received_on": localdate()})
            if money.due
            else None
        ),
    }
    return render(request, "dashboard/orders/order_detail.html", context, status=status)


@require_POST
@seller_view(Role.STAFF)
def order_note(request, shop, code):
    order = _order(shop, code)
    form = InternalNoteForm(request.POST, instance=order)
    if not form.is_valid():
        return _render_detail(request, shop, order, note_form=form, status=400)
    form.save()
    messages.success(request, _("Internal note saved."))
    return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)


@require_POST
@seller_view(Role.STAFF)
def order_send_link(request, shop, code):
    """The buyer lost the e-mail with their private link: it goes out again."""
    order = _order(shop, code)
    emails.order_link(order)
    messages.success(
        request,
        _("The link to the order page is on its way to %(email)s.") % {"email": order.buyer_email},
    )
    return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)


@require_POST
@seller_view(Role.MANAGER)
def order_cancel(request, shop, code):
    order = _order(shop, code)
    form = CancelOrderForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, shop, order, cancel_form=form, status=400)
    try:
        # Through payments: the money the order paid goes on the refunds list.
        cancellation = cancel_order(
            order=order, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except PaymentRefused as refusal:
        # Someone may have moved it since this page was loaded: the message says where it is.
        messages.error(request, refusal.message)
    else:
        text = _("Order %(code)s is cancelled and its units are back on sale.") % {
            "code": order.code
        }
        if cancellation.refund is not None:
            text += " " + _("A refund of %(amount)s is on the refunds list, to send.") % {
                "amount": format_money(cancellation.refund.amount, order.currency)
            }
        messages.success(request, text)
    return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)


@require_safe
@seller_view(Role.STAFF)
def campaign_recap(request, shop, campaign_id):
    campaign = _campaign(shop, campaign_id)
    include_pending = request.GET.get("pending") == "1"
    recap = selectors.campaign_recap(campaign, include_pending=include_pending)
    if request.GET.get("format") == "csv":
        return exports.recap_csv(campaign, recap)
    context = {
        "shop": shop,
        "campaign": campaign,
        "recap": recap,
        "destinations": selectors.destination_recap(campaign, include_pending=include_pending),
        "total_units": sum(group.units for group in recap),
        "include_pending": include_pending,
    }
    return render(request, "dashboard/orders/recap.html", context)


@require_safe
@seller_view(Role.STAFF)
def campaign_export(request, shop, campaign_id):
    campaign = get_object_or_404(shop.campaigns.select_related("shop"), pk=campaign_id)
    return exports.orders_csv(campaign)
