"""The seller's form for money received without a proof (on the order page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField
from payments.forms.public import PICTURE_TYPES
from payments.models import Payment


class RecordPaymentForm(forms.Form):
    amount = AmountField(
        label=_("Amount received"), help_text=_("Part of a payment is fine: the rest stays due.")
    )
    received_on = forms.DateField(
        label=_("Day it arrived"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(
        label=_("How it arrived"),
        choices=Payment.Method.choices,
        initial=Payment.Method.TRANSFER,
    )
    proof = forms.FileField(
        label=_("Photo or screenshot (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": PICTURE_TYPES}),
    )

    def __init__(self, *args, currency: str, **kwargs):
        kwargs.setdefault("prefix", "record")
        super().__init__(*args, **kwargs)
        self.fields["amount"].set_currency(currency)
