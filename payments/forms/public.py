"""The buyer's payment form on the order page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField

PICTURE_TYPES = "image/jpeg,image/png,image/webp"


class PaymentForm(forms.Form):
    amount = AmountField(label=_("Amount sent"))
    sender_name = forms.CharField(
        label=_("Sender's name"),
        max_length=100,
        help_text=_("The name on the account the money came from."),
    )
    sender_bank = forms.CharField(
        label=_("Sent from (bank or e-wallet)"),
        max_length=60,
        help_text=_("e.g. BCA, Mandiri, GoPay."),
    )
    proof = forms.FileField(
        label=_("Photo or screenshot of the transfer"),
        help_text=_("A JPEG, PNG or WebP picture up to 10 MB."),
        widget=forms.FileInput(attrs={"accept": PICTURE_TYPES}),
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].set_currency(currency)

    def clean_amount(self):
        # The service says so too; saying it here puts it beside the other fields' errors.
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Enter the amount you sent: more than zero."))
        return amount

    def submission(self) -> dict:
        """The cleaned form as submit_payment's keyword arguments."""
        data = self.cleaned_data
        return {
            "amount": data["amount"],
            "sender_name": data["sender_name"],
            "sender_bank": data["sender_bank"],
            "proof_upload": data["proof"],
        }
