from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Shop
from kernel.money import MONEY, format_money
from kernel.sentences import SentenceField
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


class StatementImport(models.Model):
    """A bank statement (mutasi rekening) the seller uploaded: the file's text as it came, the
    bank's layout it is read with, and once confirmed, its credit lines (StatementLine).

    A draft is a preview: nothing is credited until the seller confirms it
    (payments/services/statements.py).
    """

    class Layout(models.TextChoices):
        BCA = "bca", _("BCA (KlikBCA, CSV or TXT)")
        MANDIRI = "mandiri", _("Mandiri (CSV)")
        BRI = "bri", _("BRI (CMS / BRImo, CSV)")
        BNI = "bni", _("BNI (CSV)")
        CSV = "csv", _("Another CSV: I choose the columns")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Preview")
        CONFIRMED = "confirmed", _("Imported")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="statement_imports")
    account = models.ForeignKey(
        PaymentAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    layout = models.CharField(_("bank"), max_length=10, choices=Layout.choices)
    file_name = models.CharField(_("file"), max_length=200)
    text = models.TextField(_("statement as uploaded"))
    # For Layout.CSV: which column holds what, {"date": 0, "description": 1, "credit": 3}.
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(confirmed_at__isnull=False),
                name="statement_confirmed_has_date",
            )
        ]

    def __str__(self):
        return f"{self.get_layout_display()}: {self.file_name}"


class StatementLine(models.Model):
    """One credit (money in) of an imported statement: credited to an order, left to match by
    hand, or dismissed. Its fingerprint (date, amount, description and which occurrence of those
    it is) is unique per shop, so importing the same statement twice, or two that overlap, never
    stores, let alone credits, a line twice; one payment at most names it (Payment.statement_line).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To match")
        CREDITED = "credited", _("Credited")
        DISMISSED = "dismissed", _("Dismissed")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="statement_lines")
    statement = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, related_name="lines", verbose_name=_("statement")
    )
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.TextField(_("description"), max_length=500)
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.TextField(_("why dismissed"), max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["booked_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "fingerprint"], name="statement_line_imported_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="statement_line_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(note=""),
                name="statement_line_dismissed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "booked_on"], name="statement_line_by_status")
        ]

    def __str__(self):
        return f"{self.booked_on} {self.amount}"


class Payment(models.Model):
    """Money for an order: a proof the buyer sent and the seller's review of it, a bank statement
    line credited to the order, or a payment the seller recorded by hand. All are credited through
    payments/services/crediting.py, the one door.

    `amount` is what the buyer reported (or the line or the seller said); `amount_received` is
    what arrived, and only verified payments count (payments/services/ledger.py).
    """

    class Source(models.TextChoices):
        PROOF = "proof", _("Proof of transfer")
        STATEMENT = "statement", _("Bank statement")
        RECORDED = "recorded", _("Recorded by the seller")
        GATEWAY = "gateway", _("Payment gateway")

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Down payment")
        BALANCE = "balance", _("Balance")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        VERIFIED = "verified", _("Received")
        REJECTED = "rejected", _("Rejected")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("for"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PROOF
    )
    method = models.CharField(
        _("method"), max_length=10, choices=Method.choices, default=Method.TRANSFER
    )
    amount = models.DecimalField(_("amount sent"), **MONEY)
    # The order's kode unik when this was sent: part of the amount, so the review can tell.
    unique_code = models.PositiveSmallIntegerField(_("unique transfer code"), default=0)
    sender_name = models.CharField(_("sender's name"), max_length=100, blank=True)
    sender_bank = models.CharField(_("sender's bank or e-wallet"), max_length=60, blank=True)
    # Optional for a payment the seller records; a statement line is its own evidence.
    proof = models.FileField(
        _("proof of transfer"),
        upload_to="proofs/%Y/%m/",
        storage=private_storage,
        max_length=200,
        blank=True,
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
    # The day the money arrived, as the bank statement or the seller says.
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # The statement line this payment was found in: each line is credited at most once.
    statement_line = models.OneToOneField(
        StatementLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("statement line"),
    )
    # The gateway transaction this payment came through: each is credited at most once.
    gateway_transaction = models.OneToOneField(
        "payments.GatewayTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("gateway transaction"),
    )
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
            # Money found in the bank or recorded by the seller has arrived: nothing to review.
            # A gateway's payment may wait for review (its amount was not the one asked).
            models.CheckConstraint(
                condition=Q(source__in=["proof", "gateway"]) | Q(status="verified"),
                name="payment_statement_or_recorded_is_verified",
            ),
            models.CheckConstraint(
                condition=~Q(source="gateway") | Q(gateway_transaction__isnull=False),
                name="payment_from_gateway_names_its_transaction",
            ),
            models.CheckConstraint(
                condition=~Q(source="statement") | Q(statement_line__isnull=False),
                name="payment_from_statement_names_its_line",
            ),
            models.CheckConstraint(
                condition=Q(statement_line__isnull=True) | Q(status="verified"),
                name="payment_with_statement_line_is_verified",
            ),
        ]
        indexes = [models.Index(fields=["order", "status"])]

    def __str__(self):
        # What an inline row is titled by: "Deposit · Rp 75.000 · Verified".
        amount = format_money(self.amount, self.order.currency)
        return f"{self.get_kind_display()} · {amount} · {self.get_status_display()}"

    @property
    def from_statement(self) -> bool:
        return self.statement_line_id is not None

    @property
    def from_gateway(self) -> bool:
        return self.gateway_transaction_id is not None


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
    reason = SentenceField(_("reason"))  # the seller's words, or the PO terms' in the reader's
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
    # Sent back through the gateway the money came by (its refund API), not by transfer.
    gateway_transaction = models.ForeignKey(
        "payments.GatewayTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("refunded through"),
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
        amount = format_money(self.amount, self.order.currency)
        return f"{_('Refund')} · {amount} · {self.get_status_display()}"

    @property
    def has_bank_details(self) -> bool:
        return bool(self.account_number)


class AlertState(models.Model):
    """How far a shop's members have been alerted (payments/services/alerts.py): the last order
    and proof each batch listed, when it went, and the last day a digest went."""

    shop = models.OneToOneField(
        Shop, on_delete=models.CASCADE, primary_key=True, related_name="alert_state"
    )
    orders_until = models.BigIntegerField(default=0)
    orders_alerted_at = models.DateTimeField(null=True)
    proofs_until = models.BigIntegerField(default=0)
    proofs_alerted_at = models.DateTimeField(null=True)
    digest_on = models.DateField(null=True)

    def __str__(self):
        return str(self.shop_id)
