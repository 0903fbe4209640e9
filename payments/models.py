from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Shop
from kernel.money import MONEY
from orders.models import MAX_TRANSFER_CODE, Order
from payments.storage import private_storage


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


class Payment(models.Model):
    """Money a buyer says they sent for an order, with the proof, and the seller's review of it.

    `amount` is what the buyer reported; `amount_received` is what the seller saw arrive, and
    only verified payments count (payments/services/ledger.py).
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Down payment")
        BALANCE = "balance", _("Balance")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        VERIFIED = "verified", _("Received")
        REJECTED = "rejected", _("Rejected")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("for"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount sent"), **MONEY)
    # The order's kode unik when this was sent: part of the amount, so the review can tell.
    unique_code = models.PositiveSmallIntegerField(_("unique transfer code"), default=0)
    sender_name = models.CharField(_("sender's name"), max_length=100)
    sender_bank = models.CharField(_("sender's bank or e-wallet"), max_length=60)
    proof = models.FileField(
        _("proof of transfer"), upload_to="proofs/%Y/%m/", storage=private_storage, max_length=200
    )
    # Made once at upload for the review queue (DESIGN.md, Performance rules).
    proof_thumbnail = models.FileField(
        _("proof thumbnail"),
        upload_to="proofs/%Y/%m/",
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    amount_received = models.DecimalField(_("amount received"), null=True, blank=True, **MONEY)
    reject_reason = models.TextField(_("reason for rejecting"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(amount_received__isnull=False, amount_received__gte=0),
                name="payment_verified_has_amount_received",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="payment_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(unique_code__lte=MAX_TRANSFER_CODE),
                name="payment_unique_code_within_range",
            ),
        ]
        indexes = [models.Index(fields=["order", "status"])]

    def __str__(self):
        return f"{self.order_id}: {self.get_kind_display()} {self.amount}"


class Refund(models.Model):
    """Money going back to a buyer: asked for when an order stops, then sent by the seller.

    Only refunds marked sent are taken off what the order paid (payments/services/ledger.py);
    pending ones already hold their share of it, so that refunds never add up to more than was paid.
    The buyer gives the account to send to on their order page; the seller types the bank's
    reference."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Where the buyer wants the money: blank until they say so on their order page.
    bank = models.CharField(_("bank or e-wallet"), max_length=60, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=100, blank=True)
    reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    proof = models.FileField(
        _("proof of transfer"),
        upload_to="refunds/%Y/%m/",
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    created_at = models.DateTimeField(_("asked for"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="sent") | (~Q(reference="") & Q(sent_at__isnull=False)),
                name="refund_sent_has_reference_and_date",
            ),
            models.CheckConstraint(
                condition=Q(bank="", account_number="", account_holder="")
                | (~Q(bank="") & ~Q(account_number="") & ~Q(account_holder="")),
                name="refund_bank_details_all_or_none",
            ),
        ]
        indexes = [models.Index(fields=["order", "status"])]

    def __str__(self):
        return f"{self.order_id}: {self.amount} ({self.get_status_display()})"

    @property
    def has_bank_details(self) -> bool:
        return bool(self.account_number)
