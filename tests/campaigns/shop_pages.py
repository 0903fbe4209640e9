"""Where a shop's own dashboard pages live: its settings and its members."""

from django.urls import reverse


def settings_url(shop) -> str:
    return reverse("dashboard:shop_settings", args=[shop.slug])


def members_url(shop) -> str:
    return reverse("dashboard:members", args=[shop.slug])
