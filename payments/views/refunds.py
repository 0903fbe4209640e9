"""The seller's refunds: the list to send (with where each goes), marking one sent, its proof,
and refunding what a stopped order still holds.

Every view takes the shop from `seller_view` and fetches through it: another shop's refund or
order is a 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.money import format_money
from kernel.whatsapp import wa_link
from orders import chat
from orders import selectors as orders
from orders.models import Order
from payments import selectors
from payments.exceptions import InvalidRefund, PaymentRefused
from payments.forms.refunds import RefundForm, RefundSentForm
from payments.models import Refund
from payments.services.gateways.refunds import refund_through_gateway
from payments.services.refunds import mark_refund_sent, refund_order

REFUNDS_PER_PAGE = 20


@dataclass
class RefundRow:
    refund: Refund
    form: RefundSentForm | None
    chat_link: str  # to the buyer on WhatsApp: where to send it, or that it was sent
    gateway: str = ""  # the gateway it can be sent back through, if any


def _refund(shop, refund_id) -> Refund:
    try:
        return selectors.shop_refund(shop, refund_id)
    except Refund.DoesNotExist:
        raise Http404 from None


def _chat_link(request, refund: Refund) -> str:
    order = refund.order
    text = chat.refund_message(refund, order=order, url=chat.order_url(request, order))
    return wa_link(text, phone=order.buyer_phone)


def _list(request, shop, *, failed: RefundSentForm | None = None, status: int = 200):
    page = Paginator(selectors.shop_refunds(shop), REFUNDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    through = selectors.refund_gateways(page)
    for refund in page:
        form = None
        if refund.status == Refund.Status.PENDING:
            form = (
                failed
                if failed and failed.refund.pk == refund.pk
                else RefundSentForm(refund=refund)
            )
        rows.append(
            RefundRow(
                refund=refund,
                form=form,
                chat_link=_chat_link(request, refund),
                gateway=through.get(refund.pk, ""),
            )
        )
    if failed and all(row.form is not failed for row in rows):
        # refused on another page of the list: show it first
        rows.insert(
            0,
            RefundRow(
                refund=failed.refund, form=failed, chat_link=_chat_link(request, failed.refund)
            ),
        )
    context = {
        "shop": shop,
        "page": page,
        "rows": rows,
        "to_send": selectors.refunds_to_send(shop),
    }
    return render(request, "dashboard/payments/refunds.html", context, status=status)


@require_GET
@seller_view(Role.MANAGER)
def refund_list(request, shop):
    return _list(request, shop)


@require_POST
@seller_view(Role.MANAGER)
def refund_sent(request, shop, refund_id):
    refund = _refund(shop, refund_id)
    form = RefundSentForm(request.POST, request.FILES, refund=refund)
    if form.is_valid():
        try:
            refund = mark_refund_sent(
                refund=refund,
                reference=form.cleaned_data["reference"],
                proof_upload=form.cleaned_data["proof"],
                actor=request.user,
            )
        except InvalidRefund as refusal:
            form.add_error(refusal.field, refusal.message)
        except PaymentRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("dashboard:refunds", shop_slug=shop.slug)
        else:
            messages.success(
                request,
                _("Refund of %(amount)s to %(buyer)s (order %(code)s) marked sent.")
                % {
                    "amount": format_money(refund.amount, refund.order.currency),
                    "buyer": refund.order.buyer_name,
                    "code": refund.order.code,
                },
            )
            return redirect("dashboard:refunds", shop_slug=shop.slug)
    return _list(request, shop, failed=form, status=400)


@require_POST
@seller_view(Role.MANAGER)
def refund_gateway(request, shop, refund_id):
    """Send a refund back through the gateway the order paid by (the worker calls it)."""
    refund = _refund(shop, refund_id)
    try:
        refund_through_gateway(refund=refund, actor=request.user)
    except PaymentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Refund of %(amount)s asked from the gateway: it is marked sent once it accepts.")
            % {"amount": format_money(refund.amount, refund.order.currency)},
        )
    return redirect("dashboard:refunds", shop_slug=shop.slug)


@require_POST
@seller_view(Role.MANAGER)
def order_refund(request, shop, code):
    """Refund what a cancelled or expired order still holds, from the seller's order page."""
    try:
        order = orders.seller_order(shop, code)
    except Order.DoesNotExist:
        raise Http404 from None
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you refund: the buyer reads it."))
    else:
        try:
            refund = refund_order(
                order=order, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PaymentRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("A refund of %(amount)s is on the refunds list, to send.")
                % {"amount": format_money(refund.amount, order.currency)},
            )
    return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)
