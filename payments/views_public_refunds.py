"""The buyer's side of a refund: where to send it, and the seller's proof once it is sent.

Both are reached only through the order's secret link (DESIGN.md, Buyer access and privacy).
"""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from orders.views.public import buyer_order, render_order_page
from payments import selectors
from payments.exceptions import InvalidRefund, PaymentRefused
from payments.forms_refunds import RefundDetailsForm
from payments.models import Refund
from payments.proof_files import private_image
from payments.refunds import give_refund_details


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


@require_GET
def refund_proof(request, token, refund_id):
    return private_image(_refund(token, refund_id).proof)
