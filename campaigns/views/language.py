"""The footer's language switch, for buyers and sellers alike."""

from django.conf import settings
from django.views.i18n import set_language

from campaigns.services.sellers import choose_language as keep_on_account
from kernel.languages import remember_in_session


def choose_language(request):
    """Django's set_language (the footer's form), remembered on a logged-in seller's account."""
    response = set_language(request)
    language = request.POST.get("language", "")
    # set_language sets its cookie only for a language we offer.
    chosen = settings.LANGUAGE_COOKIE_NAME in response.cookies
    if chosen and request.user.is_authenticated:
        keep_on_account(user=request.user, language=language)
        remember_in_session(request, language)
    return response
