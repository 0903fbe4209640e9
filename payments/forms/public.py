"""The buyer's payment form on the order page."""

from functools import lru_cache

from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField

PICTURE_TYPES = "image/jpeg,image/png,image/webp"
FIELD_TEMPLATE = "payments/_field.html"
# Where a new form's copy has the amount that each order page fills in.
AMOUNT_MARK = "amount-of-this-order"


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

    def as_fields(self) -> SafeString:
        """Every field as payments/_field.html writes it: label, help, errors, input.

        A new form, as each order page offers it, reads the same everywhere but for the amount:
        its fields are rendered once per language and currency (the widgets' templates cost
        about a millisecond a page) and the amount is filled in. A sent form, with what was
        typed and its errors, is rendered as it is."""
        amount = self.initial.get("amount")
        if self.is_bound or set(self.initial) != {"amount"} or not isinstance(amount, str):
            return render_fields(self)
        copy = _new_form_fields(translation.get_language(), self.fields["amount"].currency)
        return mark_safe(copy.replace(AMOUNT_MARK, escape(amount)))  # noqa: S308 - escaped

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


def render_fields(form: forms.Form) -> SafeString:
    return mark_safe("".join(render_to_string(FIELD_TEMPLATE, {"field": f}) for f in form))  # noqa: S308 - our template's output


@lru_cache(maxsize=32)
def _new_form_fields(language: str, currency: str) -> str:
    """A new form's fields in `language`, its amount AMOUNT_MARK: a function of the code and the
    catalogues alone, which change only with a deploy (a new process)."""
    with translation.override(language):
        return render_fields(PaymentForm(currency=currency, initial={"amount": AMOUNT_MARK}))
