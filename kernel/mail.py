"""Emails to buyers: rendered in their language, sent by a background task after commit.

Callers pass plain strings (amounts already formatted, absolute links), so the task's arguments
survive a database-backed queue in production; in development the ImmediateBackend sends at once.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task
def send_templated_email(*, to: str, language: str, template: str, context: dict) -> None:
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def email_after_commit(*, to: str, language: str, template: str, context: dict) -> None:
    """Queue the email once the current transaction commits (never for a rolled-back one)."""
    transaction.on_commit(
        lambda: send_templated_email.enqueue(
            to=to, language=language, template=template, context=context
        )
    )


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
