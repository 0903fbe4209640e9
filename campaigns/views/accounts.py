"""A seller's account doors that strangers can knock on: the password reset, throttled per
address and per e-mail typed, its e-mail sent by the worker. (Log-in throttling is django-axes',
set up in openpo/settings.py.)"""

from django.conf import settings
from django.contrib.auth import views as auth
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from campaigns.services.outbox import queue_email
from kernel.mail import absolute
from kernel.ratelimit import allow_rate

TOO_MANY_RESETS = _("Too many password reset requests; try again in an hour.")


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's form, with the e-mail left to the worker instead of sent in the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        link = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        queue_email(
            to=to_email,
            language=translation.get_language(),
            template="password_reset",
            context={"username": context["user"].get_username(), "link": absolute(link)},
        )


class PasswordResetView(auth.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        rate = settings.PASSWORD_RESET_RATE
        # Both are counted, so a flood against one account or from one address is cut short.
        by_address = allow_rate(self.request, "password-reset", rate)
        by_account = allow_rate(self.request, "password-reset-account", rate, who=email)
        if not (by_address and by_account):
            form.add_error(None, TOO_MANY_RESETS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
