"""The seller's form for where buyers pay."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms.shop import PictureField, reencoded
from payments.models import PaymentAccount

# Big enough to stay sharp when a buyer scans it from another phone's screen.
QR_SIZE = (1200, 1200)


class PaymentAccountForm(forms.ModelForm):
    # Needed or not depending on the kind: the page does not call them optional.
    conditional_fields = ("number", "qr_image")

    qr_image = PictureField(
        label=_("QR image"),
        required=False,
        help_text=_("Needed for a QR code (QRIS): a JPEG, PNG or WebP picture up to 10 MB."),
    )

    class Meta:
        model = PaymentAccount
        fields = ["kind", "provider", "number", "holder", "qr_image", "is_active", "position"]
        help_texts = {
            "number": _(
                "The bank account number, or the e-wallet's phone number; not needed for a QR code."
            ),
            "holder": _("The name buyers see when they transfer."),
            "is_active": _("Untick to keep the account without buyers seeing it."),
            "position": _("Lower numbers are listed first."),
        }
        widgets = {
            "number": forms.TextInput(attrs={"inputmode": "tel", "spellcheck": "false"}),
            "position": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def clean_qr_image(self):
        return reencoded(self.cleaned_data["qr_image"], QR_SIZE)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (PaymentAccount.Kind.BANK, PaymentAccount.Kind.EWALLET) and not data.get(
            "number"
        ):
            self.add_error("number", _("Enter the number buyers transfer to."))
        # Absent when the upload itself was refused: that message says enough.
        if kind == PaymentAccount.Kind.QR and not data.get("qr_image") and "qr_image" in data:
            self.add_error("qr_image", _("Upload the QR picture buyers scan."))
        return data
