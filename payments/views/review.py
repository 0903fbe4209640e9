"""The seller's review queue: proofs of transfer to verify or reject, oldest first.

Every view takes the shop from `seller_view` and fetches through it: another shop's payment,
or its proof, is a 404.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.money import format_money, quantize
from kernel.whatsapp import wa_link
from orders import chat
from payments import selectors
from payments.exceptions import PaymentRefused
from payments.forms.review import RejectForm, VerifyForm
from payments.models import Payment
from payments.services.ledger import expected_amount, paid_in
from payments.services.payments import reject_payment, verify_payment

PAYMENTS_PER_PAGE = 20


@dataclass
class ReviewItem:
    payment: Payment
    expected: Decimal
    verify_form: VerifyForm
    reject_form: RejectForm
    chat_link: str  # to the buyer on WhatsApp; asks about an amount that differs


def _item(request, payment: Payment, *, verify_form=None, reject_form=None) -> ReviewItem:
    order = payment.order
    expected = expected_amount(payment, paid=paid_in(order.payments.all(), order.refunds.all()))
    question = chat.payment_question(
        payment, order=order, url=chat.order_url(request, order), expected=expected
    )
    prefix = f"p{payment.pk}"
    initial = {"amount_received": f"{quantize(expected, order.currency):f}"}
    return ReviewItem(
        payment=payment,
        expected=expected,
        verify_form=verify_form
        or VerifyForm(prefix=prefix, currency=order.currency, initial=initial),
        reject_form=reject_form or RejectForm(prefix=prefix),
        chat_link=wa_link(question, phone=order.buyer_phone),
    )


def _queue(request, shop, *, failed: ReviewItem | None = None, status: int = 200):
    page = Paginator(selectors.payments_to_review(shop), PAYMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = [
        failed if failed and failed.payment.pk == payment.pk else _item(request, payment)
        for payment in page
    ]
    if failed and all(item is not failed for item in items):
        items.insert(0, failed)  # refused on another page of the queue: show it first
    context = {"shop": shop, "page": page, "items": items}
    return render(request, "dashboard/payments/queue.html", context, status=status)


def _payment(shop, payment_id) -> Payment:
    try:
        return selectors.shop_payment(shop, payment_id)
    except Payment.DoesNotExist:
        raise Http404 from None


@require_GET
@seller_view(Role.STAFF)
def payment_queue(request, shop):
    return _queue(request, shop)


@require_POST
@seller_view(Role.STAFF)
def payment_verify(request, shop, payment_id):
    payment = _payment(shop, payment_id)
    currency = payment.order.currency
    form = VerifyForm(request.POST, prefix=f"p{payment.pk}", currency=currency)
    if form.is_valid():
        try:
            payment = verify_payment(
                payment=payment,
                amount_received=form.cleaned_data["amount_received"],
                actor=request.user,
            )
        except PaymentRefused as refusal:
            form.add_error("amount_received", refusal.message)
        else:
            messages.success(
                request,
                _("%(amount)s from %(sender)s received. Order %(code)s: %(status)s.")
                % {
                    "amount": format_money(payment.amount_received, currency),
                    "sender": payment.sender_name,
                    "code": payment.order.code,
                    "status": payment.order.get_status_display(),
                },
            )
            return redirect("dashboard:payments", shop_slug=shop.slug)
    return _refused(request, shop, payment_id, verify_form=form)


@require_POST
@seller_view(Role.STAFF)
def payment_reject(request, shop, payment_id):
    payment = _payment(shop, payment_id)
    form = RejectForm(request.POST, prefix=f"p{payment.pk}")
    if form.is_valid():
        try:
            payment = reject_payment(
                payment=payment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except PaymentRefused as refusal:
            form.add_error("reason", refusal.message)
        else:
            messages.success(
                request,
                _("Payment from %(sender)s rejected; order %(code)s can pay again.")
                % {"sender": payment.sender_name, "code": payment.order.code},
            )
            return redirect("dashboard:payments", shop_slug=shop.slug)
    return _refused(request, shop, payment_id, reject_form=form)


def _refused(request, shop, payment_id, **forms):
    """Back to the queue with the refused form in its row. A payment reviewed meanwhile (by
    someone else) has left the queue: a message says so instead."""
    payment = selectors.payments_to_review(shop).filter(pk=payment_id).first()
    if payment is None:
        messages.error(request, _("This payment has already been reviewed."))
        return redirect("dashboard:payments", shop_slug=shop.slug)
    return _queue(request, shop, failed=_item(request, payment, **forms), status=400)
