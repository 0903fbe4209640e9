"""The buyer's payment form on the order page, and the amount field the seller's forms share."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.money import ZERO_DECIMAL

PICTURE_TYPES = "image/jpeg,image/png,image/webp"


def parse_amount(text: str, currency: str) -> Decimal | None:
    """`150000`, `150.000`, `Rp 150.000,00` → 150000 for rupiah; None when it is not a number.

    Currencies without a minor unit have no decimals, so a dot or a comma before three digits
    separates thousands there (and a trailing `,00`, as banking apps show it, is dropped).
    Elsewhere the last dot or comma before one or two digits is the decimal point.
    """
    text = re.sub(r"^(rp|rm|s\$|us\$|\$|€|¥)", "", re.sub(r"\s", "", text), flags=re.IGNORECASE)
    if currency in ZERO_DECIMAL:
        text = re.sub(r"[.,](?=\d{3}(?:[.,]|$))", "", text)
        text = re.sub(r"[.,]0{1,2}$", "", text)
    else:
        whole, separator, fraction = re.fullmatch(r"(.*?)(?:([.,])(\d{1,2}))?", text).groups()
        text = re.sub(r"[.,]", "", whole) + (f".{fraction}" if separator else "")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class AmountField(forms.Field):
    """An amount typed the way people write it in the shop's currency (see parse_amount)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter the amount in numbers, e.g. 150000.")}
    MAX_LENGTH = 40

    def __init__(self, *, currency: str = "IDR", **kwargs):
        super().__init__(**kwargs)
        self.set_currency(currency)

    def set_currency(self, currency: str) -> None:
        self.currency = currency
        self.widget.attrs["inputmode"] = "numeric" if currency in ZERO_DECIMAL else "decimal"

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"autocomplete": "off", "maxlength": self.MAX_LENGTH}

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        amount = parse_amount(text, self.currency) if len(text) <= self.MAX_LENGTH else None
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


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
