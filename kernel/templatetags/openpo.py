from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timeuntil

from kernel import phones
from kernel.money import format_money, quantize

register = template.Library()


@register.filter
def money(amount, currency="IDR"):
    """{{ order.subtotal|money:order.currency }} → Rp 150.000"""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)


@register.filter
def absolute_url(url, request):
    """{{ photo.url|absolute_url:request }} → https://host/media/...: what link previews fetch."""
    return request.build_absolute_uri(url)


@register.filter
def plain_amount(amount, currency="IDR"):
    """{{ amount|plain_amount:"IDR" }} → 240000: what a banking app accepts when pasted."""
    return f"{quantize(amount, currency):f}"


@register.filter
def time_left(moment):
    """“2 days, 4 hours”: the server's rendering of a countdown the script keeps ticking."""
    return timeuntil(moment, timezone.now(), depth=2)


@register.filter
def phone(e164):
    """{{ order.buyer_phone|phone }} → +62 812-3456-7890"""
    return phones.display(e164) if e164 else ""


@register.filter
def iso(moment):
    """{{ event.created_at|iso }} → 2026-12-06T18:28:00+07:00: a `<time datetime>` value, to the
    second (the HTML checker refuses microseconds), in the active time zone like the text."""
    if not moment:
        return ""
    if isinstance(moment, datetime):
        return timezone.localtime(moment).replace(microsecond=0).isoformat()
    return moment.isoformat()


@register.filter
def capped(value, most):
    """{{ ordered|capped:needed }}: a `<progress value>` may not pass its max (37 of 30 needed
    shows a full bar; the label says 37)."""
    return min(value or 0, most or 0)
