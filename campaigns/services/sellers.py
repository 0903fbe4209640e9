"""A seller's own settings, kept on their account: for now, the language they read the app in."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from campaigns.models import SellerSettings
from kernel.languages import remember_in_session


def choose_language(*, user: AbstractBaseUser, language: str) -> None:
    """Keep `language` on the seller's account, for every device they log in on."""
    SellerSettings.objects.update_or_create(user=user, defaults={"language": language})


@receiver(user_logged_in)
def use_sellers_language(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = SellerSettings.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        remember_in_session(request, language)


def choose_alerts(*, user: AbstractBaseUser, choices: dict[str, bool]) -> SellerSettings:
    """Keep which alerts the seller wants (SellerSettings' alert_* switches)."""
    unknown = set(choices) - {field.name for field in SellerSettings._meta.fields}
    if unknown:
        raise ValueError(f"not alert switches: {sorted(unknown)}")
    chosen, _ = SellerSettings.objects.update_or_create(user=user, defaults=choices)
    return chosen
