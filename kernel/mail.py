"""Writing and sending one e-mail: rendered in its reader's language from `emails/<template>*`,
sent through the configured mailer (whose SMTP connection has a timeout: EMAIL_TIMEOUT).

Nothing here runs inside a request: campaigns/services/outbox.py records each e-mail and the
worker calls `send` for it. Callers pass plain strings (amounts already formatted, absolute
links), so what is recorded survives a trip through the database.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send(*, to: str, language: str, template: str, context: dict) -> str:
    """Render `emails/<template>` for `to` in `language` and send it; returns the subject.

    Raises what the mailer raises (smtplib.SMTPException, OSError for a refused or timed-out
    connection) for the caller to retry.
    """
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
    return subject


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
