"""The outbox: every e-mail a buyer or seller should get, with how its sending went."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.shops import Shop

# What each kind of e-mail is, as the shop's outbox and the admin list it.
KINDS = {
    "order_placed": _("Order placed"),
    "order_link": _("Order page link, sent again"),
    "order_links": _("Order page links, asked for by the buyer"),
    "deposit_reminder": _("Deposit reminder"),
    "order_expired": _("Order expired"),
    "payment_received": _("Payment received"),
    "payment_rejected": _("Payment rejected"),
    "production_started": _("Production started"),
    "balance_due": _("Balance due"),
    "balance_reminder": _("Balance reminder"),
    "order_shipped": _("Order shipped"),
    "order_cancelled": _("Order cancelled"),
    "refund_sent": _("Refund sent"),
    "window_extended": _("Window extended"),
    "campaign_announcement": _("Campaign update"),
    "dates_revised": _("Dates revised"),
    "alert_new_orders": _("Alert: new orders"),
    "alert_proofs": _("Alert: payments to review"),
    "alert_decision": _("Alert: a campaign to decide"),
    "alert_digest": _("Daily digest"),
    "password_reset": _("Password reset"),
    "member_invitation": _("Invitation to run the shop"),
}


class Email(models.Model):
    """One e-mail, recorded in the transaction that decided it and sent by the worker
    (campaigns/services/outbox.py). The shop sees its own in the dashboard, staff all of them."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Will try again")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Empty for what is no shop's business (a seller's password reset).
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    # emails/<template>_subject.txt, .txt and .html
    template = models.CharField(_("kind"), max_length=50)
    context = models.JSONField(default=dict)
    # The code of the order it is about, so the seller's order page lists its e-mails.
    about = models.CharField(_("order"), max_length=20, blank=True, db_index=True)
    # E-mails that go out once (an alert, a digest) are recorded under a key no other can take.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "-created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="email_sent_at_iff_sent",
            ),
        ]

    def __str__(self):
        return f"{self.template} → {self.to}"

    @property
    def kind(self) -> str:
        return str(KINDS.get(self.template, self.template))
