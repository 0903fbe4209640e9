"""The seller's payment accounts: where buyers send their down payments and balances."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Role
from campaigns.views.access import seller_view
from payments.forms.accounts import PaymentAccountForm
from payments.models import PaymentAccount
from payments.services.accounts import delete_account, save_account


@seller_view(Role.OWNER)
def payment_accounts(request, shop):
    accounts = shop.payment_accounts.all()
    return render(
        request, "dashboard/shop/payment_accounts.html", {"shop": shop, "accounts": accounts}
    )


@seller_view(Role.OWNER)
def payment_account_new(request, shop):
    account = PaymentAccount(shop=shop, position=shop.payment_accounts.count())
    return _edit(request, shop, account)


@seller_view(Role.OWNER)
def payment_account_edit(request, shop, account_id):
    return _edit(request, shop, get_object_or_404(shop.payment_accounts, pk=account_id))


def _edit(request, shop, account):
    # Kept aside: a refused form has already put its new picture on `account`, unsaved.
    current_qr = account.qr_image
    if request.method == "POST":
        form = PaymentAccountForm(request.POST, request.FILES, instance=account)
        if form.is_valid():
            save_account(
                account=form.save(commit=False), changed=form.changed_data, actor=request.user
            )
            messages.success(request, _("Payment account saved."))
            return redirect("dashboard:payment_accounts", shop_slug=shop.slug)
    else:
        form = PaymentAccountForm(instance=account)
    context = {"shop": shop, "form": form, "account": account, "current_qr": current_qr}
    return render(request, "dashboard/shop/payment_account_form.html", context)


@seller_view(Role.OWNER)
@require_POST
def payment_account_delete(request, shop, account_id):
    account = get_object_or_404(shop.payment_accounts, pk=account_id)
    delete_account(account=account, actor=request.user)
    messages.success(request, _("Payment account deleted."))
    return redirect("dashboard:payment_accounts", shop_slug=shop.slug)
