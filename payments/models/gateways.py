"""Payment gateways (Midtrans, Xendit): a shop's connection with its keys, the transactions
buyers pay through them, and every notification the gateways sent about those, as it came.

A gateway payment is credited like every other way money comes in
(payments/services/crediting.py); its transaction names at most one Payment, so nothing a
gateway says twice is ever credited twice.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Shop
from kernel import vault
from kernel.money import MONEY
from orders.models import Order


class Provider(models.TextChoices):
    MIDTRANS = "midtrans", _("Midtrans")
    XENDIT = "xendit", _("Xendit")
    # Pays without money, inside the app: development and demos only (settings.FAKE_GATEWAY).
    FAKE = "fake", _("Fake gateway (demo)")


class GatewayConnection(models.Model):
    """A shop's account at a payment gateway: its keys (encrypted, kernel/vault.py), sandbox or
    production, and the fee buyers pay on top, if the shop passes it on."""

    class Mode(models.TextChoices):
        SANDBOX = "sandbox", _("Sandbox (test payments)")
        PRODUCTION = "production", _("Production (real money)")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="gateway_connections")
    provider = models.CharField(_("gateway"), max_length=10, choices=Provider.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.SANDBOX)
    # Midtrans: the Server Key; Xendit: the secret API key. Encrypted; never shown again in full.
    secret_key_sealed = models.TextField(editable=False)
    # Xendit: the webhook verification token (x-callback-token). Encrypted.
    callback_token_sealed = models.TextField(editable=False, blank=True)
    secret_key_hint = models.CharField(_("secret key"), max_length=40, editable=False)
    callback_token_hint = models.CharField(
        _("callback token"), max_length=40, editable=False, blank=True
    )
    fee_percent = models.DecimalField(
        _("fee passed on (percent)"), max_digits=4, decimal_places=2, default=0
    )
    fee_fixed = models.DecimalField(_("fee passed on (fixed)"), default=0, **MONEY)
    is_active = models.BooleanField(_("offered to buyers"), default=True)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("payment gateway")
        verbose_name_plural = _("payment gateways")
        ordering = ["provider"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "provider"], name="one_connection_per_gateway"),
            models.CheckConstraint(
                condition=Q(fee_percent__gte=0, fee_percent__lte=10, fee_fixed__gte=0),
                name="gateway_fee_within_bounds",
            ),
        ]

    def __str__(self):
        return f"{self.get_provider_display()} ({self.get_mode_display()})"

    @property
    def secret_key(self) -> str:
        return vault.unseal(self.secret_key_sealed)

    @property
    def callback_token(self) -> str:
        return vault.unseal(self.callback_token_sealed)

    @property
    def passes_fees_on(self) -> bool:
        return bool(self.fee_percent or self.fee_fixed)


class GatewayTransaction(models.Model):
    """One attempt to collect an order's deposit or balance through a gateway: created on "Pay
    now", opened at the gateway by the worker, then pending until the gateway says paid, expired
    or failed. At most one is open per order and step; a second click reuses it."""

    class Status(models.TextChoices):
        CREATING = "creating", _("Being prepared")
        PENDING = "pending", _("Waiting for the buyer")
        PAID = "paid", _("Paid")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")
        REPLACED = "replaced", _("Replaced by a newer one")

    OPEN = (Status.CREATING, Status.PENDING)

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="gateway_transactions")
    connection = models.ForeignKey(
        GatewayConnection, on_delete=models.PROTECT, related_name="transactions"
    )
    provider = models.CharField(_("gateway"), max_length=10, choices=Provider.choices)
    # Which step it pays: "deposit" or "balance" (payments.Payment.Kind).
    kind = models.CharField(_("for"), max_length=10)
    # Our id at the gateway (Midtrans order_id, Xendit external_id): unique, never reused.
    reference = models.CharField(_("reference"), max_length=50, unique=True)
    gateway_id = models.CharField(_("gateway's id"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount for the order"), **MONEY)
    fee = models.DecimalField(_("fee"), default=0, **MONEY)
    gross = models.DecimalField(_("amount asked"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CREATING
    )
    redirect_url = models.URLField(_("payment page"), max_length=500, blank=True)
    method = models.CharField(_("paid with"), max_length=40, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    checked_at = models.DateTimeField(_("status last checked"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("gateway transaction")
        verbose_name_plural = _("gateway transactions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(status__in=["creating", "pending"]),
                name="one_open_gateway_transaction_per_step",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, fee__gte=0, gross=F("amount") + F("fee")),
                name="gateway_transaction_amounts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["deposit", "balance"]), name="gateway_transaction_kind"
            ),
        ]
        indexes = [models.Index(fields=["status", "checked_at"], name="gateway_txn_to_check")]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class GatewayNotification(models.Model):
    """What a gateway said about a transaction, kept as it came (the body's text), whether by
    its webhook or in answer to our status check, and what it did."""

    class Source(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")
        STATUS_CHECK = "status", _("Status check")

    class Outcome(models.TextChoices):
        CREDITED = "credited", _("Payment credited")
        REVIEW = "review", _("Sent to the seller's review")
        UPDATED = "updated", _("Status updated")
        IGNORED = "ignored", _("Nothing to change")

    transaction = models.ForeignKey(
        GatewayTransaction, on_delete=models.PROTECT, related_name="notifications"
    )
    source = models.CharField(_("came by"), max_length=10, choices=Source.choices)
    body = models.TextField(_("as received"))
    state = models.CharField(_("gateway status"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("gateway notification")
        verbose_name_plural = _("gateway notifications")
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.transaction_id} {self.state}"
