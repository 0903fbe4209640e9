from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil

from campaigns.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="IDR"):
    """{{ order.subtotal|money:order.currency }} → Rp 150.000"""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)


@register.filter
def time_left(moment):
    """“2 days, 4 hours”: the server's rendering of a countdown the script keeps ticking."""
    return timeuntil(moment, timezone.now(), depth=2)
