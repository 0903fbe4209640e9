"""The buyer's side of money, from the order page: sending a payment and its proof, and saying
where a refund should go.

Reached only through the order's secret link (DESIGN.md, Buyer access and privacy).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kernel.exceptions import Refused
from kernel.money import format_money
from kernel.ratelimit import allow_rate
from orders.services.revisions import keep_waiting
from orders.views.public import buyer_order, render_order_page
from payments import selectors
from payments.exceptions import (
    CancelRefused,
    InvalidAmount,
    InvalidProof,
    InvalidRefund,
    PaymentRefused,
)
from payments.forms.public import PaymentForm
from payments.forms.refunds import RefundDetailsForm
from payments.models import Refund
from payments.services.cancellations import cancel_by_buyer, cancel_over_delay
from payments.services.payments import submit_payment
from payments.services.refunds import give_refund_details

# Refusals that are about one field are shown beside it; the others above the form.
FIELD_OF = {InvalidAmount: "amount", InvalidProof: "proof"}


@never_cache
@require_POST
def pay(request, token):
    order = buyer_order(token)
    form = PaymentForm(request.POST, request.FILES, currency=order.currency)
    status = 400
    if not allow_rate(request, "proof", settings.PROOF_RATE):
        form.full_clean()
        form.add_error(
            None, _("Too many payment proofs from your connection; try again in a few minutes.")
        )
        status = 429
    elif form.is_valid():
        try:
            submit_payment(order=order, **form.submission())
        except PaymentRefused as refusal:
            form.add_error(FIELD_OF.get(type(refusal)), refusal.message)
            status = refusal.http_status
        else:
            return redirect(f"{order.get_absolute_url()}#payments")
    return render_order_page(request, order, payment_form=form, status=status)


@never_cache
@require_POST
def cancel(request, token):
    """The buyer cancels their order before paying: a ticked box, then the order is cancelled."""
    order = buyer_order(token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you want to cancel the order."))
        return redirect(f"{order.get_absolute_url()}#cancel")
    try:
        cancel_by_buyer(order=order)
    except CancelRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your order is cancelled. Nothing was charged."))
    return redirect(order.get_absolute_url())


@never_cache
@require_POST
def delay_choice(request, token):
    """The dates slipped past the shop's threshold: the buyer keeps waiting, or cancels and is
    refunded as the PO terms say."""
    order = buyer_order(token)
    choice = request.POST.get("choice")
    try:
        if choice == "wait":
            keep_waiting(order=order)
            messages.success(request, _("Thank you for waiting. The shop is told."))
        elif choice == "cancel" and request.POST.get("confirm") == "yes":
            cancellation = cancel_over_delay(order=order)
            if cancellation.refund is not None:
                messages.success(
                    request,
                    _("Your order is cancelled; the shop will send back %(amount)s.")
                    % {"amount": format_money(cancellation.refund.amount, order.currency)},
                )
            else:
                messages.success(request, _("Your order is cancelled."))
        else:
            messages.error(
                request, _("Choose to keep waiting, or tick the box to cancel the order.")
            )
            return redirect(f"{order.get_absolute_url()}#delay")
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect(order.get_absolute_url())


def _refund(token, refund_id) -> Refund:
    try:
        return selectors.buyer_refund(token, refund_id)
    except Refund.DoesNotExist:
        raise Http404 from None


@never_cache
@require_POST
def refund_details(request, token, refund_id):
    order = buyer_order(token)
    refund = _refund(token, refund_id)
    form = RefundDetailsForm(request.POST, refund=refund)
    status = 400
    if form.is_valid():
        try:
            give_refund_details(
                refund=refund,
                bank=form.cleaned_data["bank"],
                account_number=form.cleaned_data["account_number"],
                holder=form.cleaned_data["holder"],
            )
        except InvalidRefund as refusal:
            form.add_error(refusal.field, refusal.message)
        except PaymentRefused as refusal:
            form.add_error(None, refusal.message)
            status = refusal.http_status
        else:
            return redirect(f"{order.get_absolute_url()}#refund-{refund.pk}")
    return render_order_page(request, order, refund_form=form, status=status)
