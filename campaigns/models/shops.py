"""A seller's storefront and the seller's own settings."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kernel.money import MONEY
from kernel.phones import to_e164

# The shop slug is the first part of public URLs, so it may not shadow the app's own paths.
RESERVED_SLUGS = frozenset(
    {"admin", "o", "static", "media", "dashboard", "accounts", "api", "proof", "i18n", "bench"}
    | {"healthz", "w", "payments"}
)


def validate_shop_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved; choose another."), params={"slug": value})


def validate_phone(value: str) -> None:
    to_e164(value)


class SellerSettings(models.Model):
    """A seller's own choices that follow them to every device they log in on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="seller_settings",
    )
    # Empty until they pick one: until then they read their browser's language.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Which alerts they get by e-mail about the shops they run (payments/services/alerts.py).
    alert_new_orders = models.BooleanField(_("new orders"), default=True)
    alert_proofs = models.BooleanField(_("proofs of payment to review"), default=True)
    alert_decisions = models.BooleanField(_("campaigns waiting for a decision"), default=True)
    alert_digest = models.BooleanField(_("a daily digest"), default=True)

    class Meta:
        verbose_name = _("seller settings")
        verbose_name_plural = _("seller settings")

    def __str__(self):
        return f"{self.user}: {self.language}"


class DelayRefund(models.TextChoices):
    EVERYTHING = "everything", _("Everything the buyer paid")
    BEYOND_DEPOSIT = "beyond_deposit", _("What the buyer paid beyond the down payment")


class ShippingRule(models.TextChoices):
    FREE = "free", _("Free shipping (in the price)")
    FLAT = "flat", _("One flat rate for every order")
    ZONES = "zones", _("Rates by destination (and weight)")
    LATER = "later", _("Set for each order before the balance")


class Shop(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("web address"), max_length=50, unique=True, validators=[validate_shop_slug]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_shops"
    )
    # Each with a role (campaigns/models/team.py); the founder above is always an owner.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="campaigns.Membership",
        related_name="shops",
        blank=True,
        verbose_name=_("members"),
    )
    whatsapp = models.CharField(
        _("WhatsApp number"), max_length=20, blank=True, validators=[validate_phone]
    )
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Jakarta")
    contact_email = models.EmailField(_("contact email"), blank=True)
    unique_codes = models.BooleanField(
        _("unique transfer codes"),
        default=False,
        help_text=_(
            "Add 1–999 to each amount to transfer (kode unik) so that no two orders waiting "
            "for money expect the same amount and the bank statement names each one; up to "
            "4,999, then 9,999, only when every code of an amount is taken. The price does not "
            "change."
        ),
    )
    # Ongkir: the rule, and the rate when it is one flat rate (zones and pickup points:
    # campaigns/models/shipping.py; what an order pays: campaigns/services/shipping.py).
    shipping_rule = models.CharField(
        _("shipping cost (ongkir)"),
        max_length=10,
        choices=ShippingRule.choices,
        default=ShippingRule.FREE,
    )
    shipping_flat_fee = models.DecimalField(
        _("flat rate"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    hold_hours = models.PositiveSmallIntegerField(
        _("waiting-list hold (hours)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_(
            "When units come back on a sold-out PO, the next buyer on its waiting list gets "
            "them held this long; then they pass to the next in line."
        ),
    )
    logo = models.ImageField(_("logo"), upload_to="shops/", blank=True)
    policy = models.TextField(
        _("shop policy"), blank=True, help_text=_("Cancellation and refund policy buyers see.")
    )
    # When revised dates push shipping later than first announced by more than this, each buyer
    # chooses on their order page: keep waiting, or cancel and get back what `delay_refund` says.
    delay_threshold_days = models.PositiveSmallIntegerField(
        _("delay buyers may refuse, in days"),
        default=14,
        help_text=_(
            "When revised dates move shipping later than first announced by more than this many "
            "days, each buyer may choose to keep waiting or to cancel and be refunded."
        ),
    )
    delay_refund = models.CharField(
        _("refund when a buyer cancels over a delay"),
        max_length=20,
        choices=DelayRefund.choices,
        default=DelayRefund.EVERYTHING,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delay_refund__in=DelayRefund.values),
                name="shop_delay_refund_known",
            ),
            models.CheckConstraint(
                condition=Q(shipping_flat_fee__gte=0), name="shop_flat_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(hold_hours__gte=1, hold_hours__lte=168),
                name="shop_hold_hours_within_a_week",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:shop", kwargs={"shop_slug": self.slug})
