"""The language each reader sees: buyers get their browser's (Django's LocaleMiddleware) or the
one they pick in the footer; a seller's pick is kept on their account, so it follows them to
every phone and computer they log in on.

The pick rides in the session from login to logout, so no page pays a query to read it.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.i18n import set_language

from campaigns.models import SellerSettings

SESSION_KEY = "openpo_language"


def choose_language(request):
    """Django's set_language (the footer's form), remembered on a logged-in seller's account."""
    response = set_language(request)
    language = request.POST.get("language", "")
    # set_language sets its cookie only for a language we offer.
    chosen = settings.LANGUAGE_COOKIE_NAME in response.cookies
    if chosen and request.user.is_authenticated:
        SellerSettings.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response


@receiver(user_logged_in)
def use_sellers_language(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = SellerSettings.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[SESSION_KEY] = language


class SellerLanguageMiddleware:
    """After LocaleMiddleware: a logged-in seller's own language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY)
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
