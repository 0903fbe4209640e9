"""Money the seller received without a proof, recorded from the order page: a transfer seen in
the bank app, cash at a bazaar, part of a payment. Scoped by `seller_view`: another shop's order
is a 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.money import format_money
from orders.views.seller import _order, _render_detail
from payments.exceptions import InvalidAmount, InvalidProof, PaymentRefused
from payments.forms.recorded import RecordPaymentForm
from payments.services.recorded import record_payment

# Refusals about one field are shown beside it; the others above the form.
FIELD_OF = {InvalidAmount: "amount", InvalidProof: "proof"}


@require_POST
@seller_view(Role.MANAGER)
def order_payment_record(request, shop, code):
    order = _order(shop, code)
    form = RecordPaymentForm(request.POST, request.FILES, currency=order.currency)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_payment(
                order=order,
                amount=data["amount"],
                received_on=data["received_on"],
                method=data["method"],
                proof_upload=data["proof"],
                actor=request.user,
            )
        except PaymentRefused as refusal:
            field = refusal.field or FIELD_OF.get(type(refusal))
            form.add_error(field if field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("%(amount)s recorded. Order %(code)s: %(status)s.")
                % {
                    "amount": format_money(payment.amount_received, order.currency),
                    "code": order.code,
                    "status": payment.order.get_status_display(),
                },
            )
            return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)
    return _render_detail(request, shop, order, record_form=form, status=400)
