"""WhatsApp numbers: buyers type `0812...`, `62812...` or `+62 812-...`; we store E.164."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def to_e164(raw: str) -> str:
    """Return `raw` as an E.164 number (`+62812...`) or raise ValidationError."""
    text = (raw or "").strip()
    if text.isdigit() and text.startswith("62"):
        # Indonesians often write the country code without the plus.
        text = "+" + text
    try:
        number = phonenumbers.parse(text, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid WhatsApp number, for example 0812 3456 7890 or +62 812 3456 7890."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """`+6281234567890` as people write it: `+62 812-3456-7890`."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
