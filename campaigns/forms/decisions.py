"""The campaign decisions that take input: the new closing time of an extended window, and why a
campaign fails or is cancelled."""

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms.editor import DateTimeLocalInput
from payments.services.refunds import MAX_REASON_LENGTH

# What the form suggests: a week more than the window has now, or than today.
SUGGESTED_EXTENSION = timedelta(days=7)


class ExtendWindowForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("New closing time"),
        widget=DateTimeLocalInput(),
        help_text=_("In the shop's time zone. The window can be extended once."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def suggested(cls, *, closes_at: datetime, now: datetime) -> "ExtendWindowForm":
        start = max(closes_at, now).replace(second=0, microsecond=0)
        return cls(initial={"closes_at": start + SUGGESTED_EXTENSION})


class ReasonForm(forms.Form):
    """Why a campaign fails or is cancelled; `confirm` is set by the confirmation page."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        help_text=_("Every buyer reads it, in the email and on their order page."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
