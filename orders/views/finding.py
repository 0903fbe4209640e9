"""Find my orders: the buyer types the e-mail or WhatsApp number they ordered with; the shop
e-mails the links. The page answers the same whether or not there are orders."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from campaigns.models import Shop
from kernel.ratelimit import allow_rate
from kernel.whatsapp import wa_link
from orders import chat
from orders.forms.finding import FindOrdersForm
from orders.services.finding import send_order_links


@never_cache
def find_my_orders(request, shop_slug):
    shop = get_object_or_404(Shop, slug=shop_slug)
    form = FindOrdersForm(request.POST or None)
    context = {"shop": shop, "form": form}
    status = 200
    if request.method == "POST":
        # Counted before the form is read, so a flood of nonsense is cut short too.
        by_address = allow_rate(request, "find-orders", settings.FIND_ORDERS_RATE)
        if form.is_valid():
            contact = form.cleaned_data["contact"]
            by_contact = allow_rate(
                request, "find-orders-contact", settings.FIND_ORDERS_RATE, who=str(contact)
            )
            if by_address and by_contact:
                send_order_links(shop=shop, contact=contact, language=request.LANGUAGE_CODE)
                context["asked"] = contact
                if shop.whatsapp:
                    context["chat_link"] = wa_link(
                        chat.lost_order_link(shop.name, str(contact)), phone=shop.whatsapp
                    )
            else:
                form.add_error(None, _("Too many requests; try again in an hour."))
                status = 429
        elif not by_address:
            form.add_error(None, _("Too many requests; try again in an hour."))
            status = 429
    response = render(request, "orders/find_my_orders.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
