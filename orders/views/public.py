from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from orders.models import Order
from orders.selectors import order_for_buyer, order_timeline
from payments.selectors import accounts_for_buyers


@never_cache
def order_detail(request, token):
    """The buyer's private order page, reached only through the secret link."""
    try:
        order = order_for_buyer(token)
    except Order.DoesNotExist:
        raise Http404 from None
    context = {
        "order": order,
        "campaign": order.campaign,
        "shop": order.campaign.shop,
        "timeline": order_timeline(order),
        "accounts": accounts_for_buyers(order.campaign.shop),
    }
    response = render(request, "orders/order_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
