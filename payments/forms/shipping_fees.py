"""The seller's form to set or change one order's ongkir (on the order page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField


class ShippingFeeForm(forms.Form):
    fee = AmountField(label=_("Ongkir"))
    reason = forms.CharField(
        label=_("Reason the buyer reads"),
        max_length=500,
        required=False,
        help_text=_("Needed to change an ongkir already set: a heavier parcel, another courier."),
    )

    def __init__(self, *args, currency: str, **kwargs):
        kwargs.setdefault("prefix", "ongkir")
        super().__init__(*args, **kwargs)
        self.fields["fee"].set_currency(currency)
