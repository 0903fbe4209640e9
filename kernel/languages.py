"""The language each reader sees: buyers get their browser's (Django's LocaleMiddleware) or the
one they pick in the footer; a seller's pick is kept on their account (campaigns), so it follows
them to every phone and computer they log in on.

The pick rides in the session from login to logout, so no page pays a query to read it.
"""

from django.utils import translation

SESSION_KEY = "openpo_language"


def remember_in_session(request, language: str) -> None:
    """From now on this session reads `language`, whatever the browser asks for."""
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
