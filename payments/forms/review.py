"""The seller's review forms: verify with the amount that arrived, or reject with a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField
from payments.services.payments import MAX_REASON_LENGTH


class VerifyForm(forms.Form):
    amount_received = AmountField(
        label=_("Amount received"),
        help_text=_("As it shows in your bank or e-wallet."),
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_received"].set_currency(currency)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        help_text=_("The buyer reads it on their order page."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
