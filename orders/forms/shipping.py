"""The shipping forms: one order's carrier and tracking number, and the bulk list to preview."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orders.forms.seller import NoColon
from orders.services.fulfilment import CARRIER_MAX, TRACKING_MAX

# A CSV of a few thousand rows is well under this; anything bigger is the wrong file.
MAX_CSV_BYTES = 512 * 1024


class ShipOrderForm(NoColon, forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        required=False,
        max_length=CARRIER_MAX,
        help_text=_("JNE, J&T, SiCepat… Leave empty for a pickup."),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        required=False,
        max_length=TRACKING_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BulkShippingForm(NoColon, forms.Form):
    """Pasted lines or an uploaded CSV; cleaned_data["text"] is what to preview."""

    text = forms.CharField(
        label=_("Paste order codes and tracking numbers"),
        required=False,
        strip=False,
        help_text=_(
            "One order a line: order code, tracking number, or order code, carrier, tracking "
            "number. Spaces, commas, semicolons or tabs all work, even mixed; a header line is "
            "skipped."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("Or upload a CSV"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_CSV_BYTES:
                raise ValidationError(_("That file is too big for a list of orders."))
            raw = upload.read()
            try:
                data["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                # Spreadsheets on older Windows save in their own code page.
                data["text"] = raw.decode("cp1252", errors="replace")
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Paste the list, or choose a CSV file."))
        return data
