"""What the seller tells buyers from the overview: an update, revised estimated dates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.services.announcements import MAX_LENGTH
from orders.services.revisions import REASON_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AnnouncementForm(_Form):
    text = forms.CharField(
        label=_("Update for buyers"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every buyer gets it by email and sees it on their order page."),
        error_messages={"required": _("Write the update buyers should read.")},
    )


class ReviseDatesForm(_Form):
    production_ends_on = forms.DateField(
        label=_("New end of production"), required=False, widget=DateInput()
    )
    ships_on = forms.DateField(label=_("New shipping date"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Buyers read it in the email and beside the new dates."),
        error_messages={"required": _("Tell buyers why the dates change.")},
    )

    def clean(self):
        data = super().clean()
        if (
            not self.errors
            and data.get("production_ends_on") is None
            and data.get("ships_on") is None
        ):
            raise forms.ValidationError(
                _("Enter a new production end, a new shipping date, or both.")
            )
        return data
