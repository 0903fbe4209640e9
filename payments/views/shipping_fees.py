"""One order's ongkir, set or changed by the seller from the order page. Scoped by
`seller_view`: another shop's order is a 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.money import format_money
from orders.views.seller import _order, _render_detail
from payments.exceptions import InvalidAmount, PaymentRefused
from payments.forms.shipping_fees import ShippingFeeForm
from payments.services.shipping_fees import set_shipping_fee


@require_POST
@seller_view(Role.MANAGER)
def order_shipping_fee(request, shop, code):
    order = _order(shop, code)
    form = ShippingFeeForm(request.POST, currency=order.currency)
    if form.is_valid():
        try:
            order = set_shipping_fee(
                order=order,
                fee=form.cleaned_data["fee"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except PaymentRefused as refusal:
            field = "fee" if isinstance(refusal, InvalidAmount) else refusal.field or "reason"
            form.add_error(field if field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("Ongkir of order %(code)s: %(amount)s.")
                % {"code": order.code, "amount": format_money(order.shipping_fee, order.currency)},
            )
            return redirect("dashboard:order", shop_slug=shop.slug, code=order.code)
    return _render_detail(request, shop, order, ongkir_form=form, status=400)
