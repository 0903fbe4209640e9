"""Form fields every app's forms share: an amount of money typed the way people type it."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.money import (
    ZERO_DECIMAL,
    AmountNotUnderstood,
    format_amount,
    format_money,
    parse_amount,
)

# What a money field's messages show as an example: a price a seller would recognise.
EXAMPLE = Decimal(85_000)


class AmountField(forms.Field):
    """An amount in the shop's currency, as people write it (kernel.money.parse_amount):
    "85.000", "85000", "Rp 85.000" and "85rb" are all Rp 85.000; cents in rupiah are refused
    with a message that says so."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter the amount in numbers, e.g. %(example)s."),
        "decimals": _("%(currency)s has no cents: enter a whole amount, e.g. %(example)s."),
    }
    MAX_LENGTH = 40

    def __init__(self, *, currency: str = "IDR", **kwargs):
        super().__init__(**kwargs)
        self.set_currency(currency)

    def set_currency(self, currency: str) -> None:
        self.currency = currency
        self.widget.attrs["inputmode"] = "numeric" if currency in ZERO_DECIMAL else "decimal"

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"autocomplete": "off", "maxlength": self.MAX_LENGTH}

    def prepare_value(self, value):
        # A stored amount shows as its currency writes it: 85000.00 reads "85.000" in rupiah.
        return format_amount(value, self.currency) if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            if len(text) > self.MAX_LENGTH:
                raise AmountNotUnderstood("invalid")
            return parse_amount(text, self.currency)
        except AmountNotUnderstood as error:
            raise forms.ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={
                    "example": format_money(EXAMPLE, self.currency),
                    "currency": self.currency,
                },
            ) from error
