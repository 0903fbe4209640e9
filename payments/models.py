from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Shop


class PaymentAccount(models.Model):
    """Where buyers send money: a bank account, an e-wallet, or a QR code (QRIS)."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        EWALLET = "ewallet", _("E-wallet")
        QR = "qr", _("QR code")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="payment_accounts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BANK)
    provider = models.CharField(
        _("bank or e-wallet"), max_length=60, help_text=_("e.g. BCA, Mandiri, GoPay, OVO.")
    )
    number = models.CharField(_("account number"), max_length=40, blank=True)
    holder = models.CharField(_("account holder"), max_length=100)
    qr_image = models.ImageField(_("QR image"), upload_to="payment-qr/", blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown to buyers"), default=True)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.provider} {self.number}".strip()
