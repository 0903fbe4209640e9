"""The one campaign decision that takes input: the new closing time of an extended window."""

from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms.editor import DateTimeLocalInput

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
