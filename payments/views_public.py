"""The buyer's side of paying: sending a proof from the order page, and seeing it again.

Both are reached only through the order's secret link (DESIGN.md, Buyer access and privacy).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from openpo.ratelimit import allow_rate
from orders.views.public import buyer_order, render_order_page
from payments import selectors
from payments.exceptions import InvalidAmount, InvalidProof, PaymentRefused
from payments.forms_public import PaymentForm
from payments.models import Payment
from payments.proof_files import private_image
from payments.services import submit_payment

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


@require_GET
def proof(request, token, payment_id):
    try:
        payment = selectors.buyer_payment(token, payment_id)
    except Payment.DoesNotExist:
        raise Http404 from None
    return private_image(payment.proof)
