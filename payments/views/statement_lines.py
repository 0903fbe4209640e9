"""Statement lines no order was found for: the seller finds the order by hand (its code, the
buyer, the amount) and credits the line to it, or dismisses the line with the reason.

Every view takes the shop from `seller_view` and fetches through it: another shop's line, or
order, is a 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.money import AmountNotUnderstood, format_money, parse_amount
from orders import selectors as order_selectors
from orders.models import Order
from payments import selectors
from payments.exceptions import PaymentRefused
from payments.forms.statements import DismissLineForm, LineSearchForm
from payments.models import StatementLine
from payments.services.crediting import credit_statement_line
from payments.services.statements import dismiss_line

LINES_PER_PAGE = 50


def _line(shop, line_id) -> StatementLine:
    try:
        return selectors.shop_line(shop, line_id)
    except StatementLine.DoesNotExist:
        raise Http404 from None


@require_safe
@seller_view(Role.MANAGER)
def line_list(request, shop):
    page = Paginator(selectors.open_lines(shop), LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/payments/statement_lines.html", {"shop": shop, "page": page})


def _amount(query: str, currency: str):
    """The search as an amount, when it reads as one ("75.123", "Rp 75.123")."""
    try:
        return parse_amount(query, currency) if query else None
    except AmountNotUnderstood:
        return None


def _detail(request, shop, line, *, dismiss_form=None, error: str = "", status: int = 200):
    search = LineSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    orders = []
    if line.status == StatementLine.Status.OPEN:
        orders = selectors.orders_to_match(
            shop,
            amount=line.amount,
            query=query,
            query_amount=_amount(query, shop.currency),
        )
    context = {
        "shop": shop,
        "line": line,
        "search": search,
        "query": query,
        "orders": orders,
        "dismiss_form": dismiss_form or DismissLineForm(),
        "error": error,
    }
    return render(request, "dashboard/payments/statement_line.html", context, status=status)


@require_safe
@seller_view(Role.MANAGER)
def line_detail(request, shop, line_id):
    return _detail(request, shop, _line(shop, line_id))


@require_POST
@seller_view(Role.MANAGER)
def line_match(request, shop, line_id):
    line = _line(shop, line_id)
    try:
        order = order_selectors.seller_order(shop, request.POST.get("code", ""))
    except Order.DoesNotExist:
        raise Http404 from None
    try:
        payment = credit_statement_line(line=line, order=order, actor=request.user)
    except PaymentRefused as refusal:
        return _detail(request, shop, _line(shop, line_id), error=refusal.message, status=409)
    messages.success(
        request,
        _("%(amount)s credited to order %(code)s, now “%(status)s”.")
        % {
            "amount": format_money(payment.amount_received, order.currency),
            "code": order.code,
            "status": payment.order.get_status_display(),
        },
    )
    return redirect("dashboard:statement_lines", shop_slug=shop.slug)


@require_POST
@seller_view(Role.MANAGER)
def line_dismiss(request, shop, line_id):
    line = _line(shop, line_id)
    form = DismissLineForm(request.POST)
    if form.is_valid():
        try:
            dismiss_line(line=line, reason=form.cleaned_data["reason"], actor=request.user)
        except PaymentRefused as refusal:
            form.add_error("reason", refusal.message)
        else:
            messages.success(request, _("The line is dismissed."))
            return redirect("dashboard:statement_lines", shop_slug=shop.slug)
    return _detail(request, shop, line, dismiss_form=form, status=400)
