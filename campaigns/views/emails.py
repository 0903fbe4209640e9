"""E-mails: every one the shop's buyers and members should get, with how its sending went (and
"send again" for one that failed); and which alerts the seller gets."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.forms.shop import AlertsForm
from campaigns.models import Email, Role, SellerSettings
from campaigns.services.outbox import send_again
from campaigns.services.sellers import choose_alerts
from campaigns.views.access import seller_view

EMAILS_PER_PAGE = 30


@require_safe
@seller_view(Role.STAFF)
def email_list(request, shop):
    status = request.GET.get("status", "")
    emails = shop.emails.all()
    if status in Email.Status.values:
        emails = emails.filter(status=status)
    counts = dict(shop.emails.values_list("status").annotate(n=Count("pk")).order_by())
    context = {
        "shop": shop,
        "page": Paginator(emails, EMAILS_PER_PAGE).get_page(request.GET.get("page")),
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Email.Status.choices],
    }
    return render(request, "dashboard/shop/emails.html", context)


@require_POST
@seller_view(Role.STAFF)
def email_send_again(request, shop, email_id):
    email = send_again(email=get_object_or_404(shop.emails, pk=email_id))
    if email.status == Email.Status.QUEUED:
        messages.success(request, _("The e-mail to %(to)s is queued again.") % {"to": email.to})
    else:
        messages.error(
            request,
            _("The e-mail to %(to)s is “%(status)s”: only a failed one can be sent again.")
            % {"to": email.to, "status": email.get_status_display()},
        )
    return redirect("dashboard:emails", shop_slug=shop.slug)


@seller_view(Role.STAFF)
def alerts(request, shop):
    current = SellerSettings.objects.filter(user=request.user).first()
    form = AlertsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        choose_alerts(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your alerts are saved."))
        return redirect("dashboard:alerts", shop_slug=shop.slug)
    status = 400 if form.is_bound else 200
    return render(
        request, "dashboard/shop/alerts.html", {"shop": shop, "form": form}, status=status
    )
