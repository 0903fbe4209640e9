"""Overdue balances: orders past their balance due date, to give more time or to cancel as the
campaign's PO terms say (the deposit kept, or refunded).

Every view takes the shop from `seller_view` and fetches through it: another shop's order is a
404.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from kernel.clock import shop_time
from kernel.money import format_money
from kernel.whatsapp import wa_link
from orders import chat
from orders import selectors as orders
from orders.models import Order
from payments import selectors
from payments.exceptions import PaymentRefused
from payments.forms.refunds import ExtendBalanceForm
from payments.services.balances import cancel_unpaid_balance, extend_balance
from payments.services.ledger import payment_due

ORDERS_PER_PAGE = 20
# What the extension form suggests: a few more days from now.
SUGGESTED_EXTENSION = timedelta(days=3)


@dataclass
class OverdueRow:
    order: Order
    extend_form: ExtendBalanceForm
    chat_link: str  # a reminder to the buyer on WhatsApp: what is owed, since when

    @property
    def deposit_kept(self) -> bool:
        return self.order.campaign.late_balance == self.order.campaign.LateBalance.KEEP_DEPOSIT

    @property
    def kept(self):
        """What cancelling keeps: the deposit, or as much of it as was paid."""
        return min(self.order.paid, self.order.deposit_amount) if self.deposit_kept else 0

    @property
    def refund(self):
        return self.order.paid - self.kept


def _order(shop, code) -> Order:
    try:
        return orders.seller_order(shop, code)
    except Order.DoesNotExist:
        raise Http404 from None


def _list(request, shop, *, failed: ExtendBalanceForm | None = None, failed_pk=None, status=200):
    now = timezone.now()
    page = Paginator(selectors.overdue_balances(shop, now), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    suggested = timezone.localtime(now + SUGGESTED_EXTENSION).replace(second=0, microsecond=0)
    rows = [
        OverdueRow(
            order=order,
            extend_form=failed
            if failed is not None and order.pk == failed_pk
            else ExtendBalanceForm(order=order, initial={"due_at": suggested}),
            chat_link=wa_link(
                chat.balance_reminder(
                    order,
                    url=chat.order_url(request, order),
                    # `paid` comes annotated by the selector: no query per row.
                    due=payment_due(order, paid=order.paid),
                    shop=shop,
                ),
                phone=order.buyer_phone,
            ),
        )
        for order in page
    ]
    context = {"shop": shop, "page": page, "rows": rows}
    return render(request, "dashboard/payments/overdue_balances.html", context, status=status)


@require_GET
@seller_view(Role.MANAGER)
def overdue_list(request, shop):
    return _list(request, shop)


@require_POST
@seller_view(Role.MANAGER)
def balance_extend(request, shop, code):
    order = _order(shop, code)
    form = ExtendBalanceForm(request.POST, order=order)
    if form.is_valid():
        try:
            extend_balance(order=order, due_at=form.cleaned_data["due_at"], actor=request.user)
        except PaymentRefused as refusal:
            form.add_error("due_at", refusal.message)
        else:
            messages.success(
                request,
                _("Order %(code)s now has until %(due)s to pay its balance.")
                % {
                    "code": order.code,
                    "due": shop_time(shop, order.balance_due_at),
                },
            )
            return redirect("dashboard:overdue_balances", shop_slug=shop.slug)
    return _list(request, shop, failed=form, failed_pk=order.pk, status=400)


@require_POST
@seller_view(Role.MANAGER)
def balance_cancel(request, shop, code):
    order = _order(shop, code)
    try:
        cancellation = cancel_unpaid_balance(order=order, actor=request.user)
    except PaymentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        refund = cancellation.refund
        if refund is not None:
            text = _("Order %(code)s is cancelled; a refund of %(amount)s is on the refunds list.")
        else:
            text = _("Order %(code)s is cancelled; nothing to refund.")
        messages.success(
            request,
            text
            % {
                "code": order.code,
                "amount": format_money(refund.amount, order.currency) if refund else "",
            },
        )
    return redirect("dashboard:overdue_balances", shop_slug=shop.slug)
