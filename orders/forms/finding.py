"""The "find my orders" form: one box, an e-mail address or a WhatsApp number."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kernel.phones import to_e164
from orders.services.finding import Contact

NOT_A_CONTACT = _("Type the e-mail address or the WhatsApp number you ordered with.")


class FindOrdersForm(forms.Form):
    contact = forms.CharField(
        label=_("E-mail or WhatsApp number"),
        max_length=254,
        help_text=_("The one you ordered with, e.g. sari@example.com or 0812 3456 7890."),
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_contact(self) -> Contact:
        text = self.cleaned_data["contact"].strip()
        if "@" in text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValidationError(NOT_A_CONTACT) from None
            return Contact(email=text.lower())
        try:
            return Contact(phone=to_e164(text))
        except ValidationError:
            raise ValidationError(NOT_A_CONTACT) from None
