"""E-mails to a shop's members about what needs them, sent by `tick`; each member switches each
kind on or off (SellerSettings):

- new orders, batched: at most one e-mail per ALERT_GAP per shop, listing what came in since;
- proofs of payment waiting for review, batched the same way;
- a campaign that closed (or sold out) and waits for the seller's decision, once per close;
- a daily digest once DIGEST_HOUR has struck in the shop's time zone, when there is news.

Each batch is claimed by a conditional UPDATE of the shop's AlertState, and every e-mail is
recorded under a key (campaigns/services/outbox.py), so two ticks at once alert once.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from campaigns.models import Campaign, Shop
from campaigns.services.outbox import queue_email
from kernel.clock import shop_day, shop_time
from kernel.mail import absolute
from kernel.money import format_money
from orders.models import CampaignHour, Order
from orders.selectors import needs_attention
from payments.models import AlertState, Payment

ALERT_GAP = timedelta(minutes=5)
# The first batch of a shop, or one after a long pause, lists at most this far back.
LOOKBACK = timedelta(days=1)
# A campaign that closed longer ago than this was decided, or was alerted already.
DECISION_WINDOW = timedelta(days=3)
DIGEST_HOUR = 8
LISTED = 20


def send_seller_alerts(*, now: datetime) -> int:
    """Every alert that is due; returns how many e-mails were queued."""
    return _new_orders(now) + _new_proofs(now) + _decisions(now) + _digests(now)


# --- batches: new orders, proofs to review ------------------------------------------------------


def _new_orders(now: datetime) -> int:
    shops = set(
        CampaignHour.objects.filter(hour__gte=now - ALERT_GAP - timedelta(hours=1))
        .values_list("campaign__shop", flat=True)
        .distinct()
    )
    sent = 0
    for shop in Shop.objects.filter(pk__in=shops).order_by("pk"):
        orders = Order.objects.filter(campaign__shop=shop, created_at__gt=now - LOOKBACK)
        sent += _batch(
            shop,
            now,
            rows=orders.select_related("campaign").order_by("pk"),
            until="orders_until",
            alerted_at="orders_alerted_at",
            switch="alert_new_orders",
            template="alert_new_orders",
            describe=lambda order: {
                "code": order.code,
                "campaign": order.campaign.title,
                "buyer": order.buyer_name,
                "amount": format_money(order.subtotal, order.currency),
            },
            page=reverse("dashboard:orders", kwargs={"shop_slug": shop.slug}),
        )
    return sent


def _new_proofs(now: datetime) -> int:
    waiting = Payment.objects.filter(status=Payment.Status.SUBMITTED)
    shops = set(waiting.values_list("order__campaign__shop", flat=True).distinct())
    sent = 0
    for shop in Shop.objects.filter(pk__in=shops).order_by("pk"):
        sent += _batch(
            shop,
            now,
            rows=waiting.filter(order__campaign__shop=shop).select_related("order").order_by("pk"),
            until="proofs_until",
            alerted_at="proofs_alerted_at",
            switch="alert_proofs",
            template="alert_proofs",
            describe=lambda payment: {
                "code": payment.order.code,
                "buyer": payment.order.buyer_name,
                "amount": format_money(payment.amount, payment.order.currency),
            },
            page=reverse("dashboard:payments", kwargs={"shop_slug": shop.slug}),
        )
    return sent


def _batch(shop, now, *, rows, until, alerted_at, switch, template, describe, page) -> int:
    """Alert `shop`'s members of the `rows` past its `until` mark, unless its last alert of this
    kind went less than ALERT_GAP ago; the mark moves to the last row, claimed by one UPDATE."""
    state, _ = AlertState.objects.get_or_create(shop=shop)
    last_alert = getattr(state, alerted_at)
    if last_alert is not None and now - last_alert < ALERT_GAP:
        return 0
    new = list(rows.filter(pk__gt=getattr(state, until)))
    if not new:
        return 0
    with transaction.atomic():
        claimed = AlertState.objects.filter(shop=shop, **{until: getattr(state, until)}).update(
            **{until: new[-1].pk, alerted_at: now}
        )
        if not claimed:
            return 0
        context = {
            "shop": shop.name,
            "count": len(new),
            "items": [describe(row) for row in new[:LISTED]],
            "more": max(len(new) - LISTED, 0),
            "link": absolute(page),
        }
        return _to_members(shop, switch, template, context, key=f"{template}:{new[-1].pk}")


# --- once per event: a campaign waiting for a decision; the daily digest ------------------------


def _decisions(now: datetime) -> int:
    closed = Q(closes_at__lte=now, closes_at__gt=now - DECISION_WINDOW)
    # Held for the waiting list counts: nobody from the public page can order those units.
    sold_out = Q(capacity__isnull=False, reserved__gte=F("capacity") - F("held"), closes_at__gt=now)
    sent = 0
    for campaign in Campaign.objects.filter(
        closed | sold_out, status=Campaign.Status.PUBLISHED
    ).select_related("shop"):
        context = partial(_decision_context, campaign=campaign, now=now)
        # An extended window closes again: a new decision, a new alert.
        key = f"decision:{campaign.pk}:{campaign.closes_at.timestamp():.0f}"
        sent += _to_members(campaign.shop, "alert_decisions", "alert_decision", context, key=key)
    return sent


def _decision_context(language: str, *, campaign: Campaign, now: datetime) -> dict:
    shop = campaign.shop
    page = reverse(
        "dashboard:campaign", kwargs={"shop_slug": shop.slug, "campaign_id": campaign.pk}
    )
    return {
        "shop": shop.name,
        "campaign": campaign.title,
        "closed": shop_time(shop, min(campaign.closes_at, now), language),
        "sold_out": "yes" if campaign.closes_at > now else "",
        "link": absolute(page),
    }


def _digests(now: datetime) -> int:
    sent = 0
    for shop in Shop.objects.select_related("alert_state").order_by("pk"):
        local = now.astimezone(ZoneInfo(shop.time_zone))
        state = getattr(shop, "alert_state", None)
        if state is None:
            state, _ = AlertState.objects.get_or_create(shop=shop)
        if local.hour < DIGEST_HOUR or state.digest_on == local.date():
            continue
        # Claimed before anything is read: two ticks at once, one digest.
        if not AlertState.objects.filter(shop=shop, digest_on=state.digest_on).update(
            digest_on=local.date()
        ):
            continue
        figures = _digest_figures(shop, now)
        if not any(figures.values()):
            continue
        context = partial(_digest_context, shop=shop, day=local.date(), figures=figures)
        sent += _to_members(
            shop, "alert_digest", "alert_digest", context, key=f"digest:{local.date()}"
        )
    return sent


def _digest_context(language: str, *, shop: Shop, day: date, figures: dict[str, int]) -> dict:
    return {
        "shop": shop.name,
        "day": shop_day(day, language),
        **{name: str(value) for name, value in figures.items()},
        "link": absolute(reverse("dashboard:home", kwargs={"shop_slug": shop.slug})),
    }


def _digest_figures(shop: Shop, now: datetime) -> dict[str, int]:
    attention = needs_attention(shop, now)
    return {
        "new_orders": Order.objects.filter(
            campaign__shop=shop, created_at__gt=now - timedelta(days=1)
        ).count(),
        "to_review": Payment.objects.filter(
            order__campaign__shop=shop, status=Payment.Status.SUBMITTED
        ).count(),
        "waiting_for_deposit": attention["waiting_for_deposit"],
        "expiring_soon": attention["expiring_soon"],
        "awaiting_decision": attention["awaiting_decision"].count(),
    }


# --- who hears it ---------------------------------------------------------------------------


def _to_members(
    shop: Shop, switch: str, template: str, context: dict | Callable[[str], dict], *, key: str
) -> int:
    """Queue the alert to each member who has `switch` on (on unless they turned it off), in
    their language (`context` may be a function of it); `key` makes it once per member."""
    sent = 0
    for member in shop.members.select_related("seller_settings").order_by("pk"):
        choices = getattr(member, "seller_settings", None)
        if not member.email or (choices is not None and not getattr(choices, switch)):
            continue
        language = (choices.language if choices else "") or settings.LANGUAGE_CODE
        settings_link = absolute(reverse("dashboard:alerts", kwargs={"shop_slug": shop.slug}))
        email = queue_email(
            to=member.email,
            language=language,
            template=template,
            context=(context(language) if callable(context) else context)
            | {"name": member.get_username(), "settings_link": settings_link},
            shop=shop,
            key=f"{key}:{shop.pk}:{member.pk}",
        )
        sent += email is not None
    return sent
