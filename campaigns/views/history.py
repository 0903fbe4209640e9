"""The shop's history: on which days of the month and at which hours its buyers order."""

from django.shortcuts import render
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from campaigns.models import Role
from campaigns.services.timing import CLOSING_DAY, PAY_DAY, in_payday_span
from campaigns.views.access import seller_view
from campaigns.views.charts import HEIGHT, WIDTH, bars
from orders.selectors import DAYS, HOURS, order_history


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def hour_span(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


@seller_view(Role.STAFF)
@require_safe
def shop_history(request, shop):
    history = order_history(shop)
    context = {
        "shop": shop,
        "history": history,
        "day_bars": bars(history.by_day, DAYS, highlight=in_payday_span),
        "hour_bars": bars(history.by_hour, HOURS, label=hour_label),
        "chart": {"width": WIDTH, "height": HEIGHT},
        "busiest_days": get_text_list([str(day) for day in history.busiest_days()], _("and")),
        "busiest_hours": get_text_list([hour_span(h) for h in history.busiest_hours()], _("and")),
        "pay_day": PAY_DAY,
        "closing_day": CLOSING_DAY,
    }
    return render(request, "dashboard/history.html", context)
