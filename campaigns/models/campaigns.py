"""A campaign (its PO terms and its phase), its variants and its photos."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from campaigns.models.shops import Shop
from kernel.money import MONEY

COUNTERS = frozenset({"reserved", "held"})


class CounterGuard(models.Model):
    """`reserved` and `held` are changed only by the conditional UPDATEs in
    orders/services/stock.py.

    A save of a loaded row (the admin, an editor, a script) writes every other field but never
    the counters, so an order placed (or a unit held) while the row was open in a form is never
    lost.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in COUNTERS
            ]
        super().save(*args, **kwargs)


class Campaign(CounterGuard):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IN_PRODUCTION = "in_production", _("In production")
        READY = "ready", _("Ready: balance collection")
        SHIPPING = "shipping", _("Shipping")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Phase(models.TextChoices):
        """Where a campaign stands for buyers; `scheduled`, `open` and `closed` follow from the
        clock and the counters while it is published, the rest from the seller's decisions."""

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Opens soon")
        OPEN = "open", _("Open")
        SOLD_OUT = "sold_out", _("Sold out")
        CLOSED = "closed", _("Closed")
        IN_PRODUCTION = "in_production", _("In production")
        READY = "ready", _("Balance collection")
        SHIPPING = "shipping", _("Shipping")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Did not reach minimum")
        CANCELLED = "cancelled", _("Cancelled")

    class DepositRule(models.TextChoices):
        PERCENT = "percent", _("Percent of the order")
        FIXED = "fixed", _("Fixed amount per unit")
        FULL = "full", _("Full payment up front")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("web address"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    min_quantity = models.PositiveIntegerField(
        _("minimum quantity"),
        validators=[MinValueValidator(1)],
        help_text=_("Production goes ahead only if this many units are confirmed."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Most units that can be sold (limited edition). Empty for no limit."),
    )
    # Units held by every order that is not expired or cancelled, pending ones included: they
    # keep their units until their deposit deadline. Only changed by conditional UPDATEs.
    reserved = models.PositiveIntegerField(_("units ordered"), default=0, editable=False)
    # Units held for buyers on the waiting list while their offer lasts (orders/services/
    # waitlist.py): nobody else may take them, and they are not ordered yet.
    held = models.PositiveIntegerField(
        _("units held for the waiting list"), default=0, db_default=0, editable=False
    )
    max_per_order = models.PositiveIntegerField(
        _("most units per order"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_per_buyer = models.PositiveIntegerField(
        _("most units per buyer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Across all active orders with the same WhatsApp number or email."),
    )

    production_days = models.PositiveIntegerField(
        _("production time (days)"), help_text=_("Counted from the close of the order window.")
    )
    shipping_days = models.PositiveIntegerField(
        _("shipping time (days)"), default=3, help_text=_("From the end of production.")
    )

    deposit_rule = models.CharField(
        _("deposit rule"), max_length=10, choices=DepositRule.choices, default=DepositRule.PERCENT
    )
    deposit_value = models.DecimalField(
        _("deposit"),
        **MONEY,
        default=Decimal(50),
        help_text=_("Percent of the order, or the amount per unit; ignored for full payment."),
    )
    deposit_hours = models.PositiveIntegerField(
        _("hours to pay the deposit"), default=24, validators=[MinValueValidator(1)]
    )
    balance_days = models.PositiveIntegerField(
        _("days to pay the balance"),
        default=7,
        help_text=_("Counted from the end of production."),
    )

    note_prompt = models.CharField(
        _("customisation prompt"),
        max_length=120,
        blank=True,
        help_text=_("What buyers write per item, e.g. “colour and name to print”."),
    )
    note_required = models.BooleanField(_("customisation required"), default=False)
    cancellation_policy = models.TextField(_("cancellation and refund policy"), blank=True)

    class LateBalance(models.TextChoices):
        KEEP_DEPOSIT = "keep", _("The deposit is kept")
        REFUND_DEPOSIT = "refund", _("The deposit is refunded")

    late_balance = models.CharField(
        _("if the balance is not paid in time"),
        max_length=10,
        choices=LateBalance.choices,
        default=LateBalance.KEEP_DEPOSIT,
        help_text=_("Shown to buyers in the PO terms; applied when you cancel an unpaid order."),
    )
    video_url = models.URLField(_("video link"), blank=True)
    sales_target = models.PositiveIntegerField(
        _("sales target (units)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("What you hope to sell; the overview measures progress and margin against it."),
    )

    # Set when the seller revises the estimates (orders/services/revisions.py); the original
    # estimates keep following from the rules above, so buyers can see what was promised and what
    # changed.
    revised_production_ends_on = models.DateField(
        _("revised end of production"), null=True, blank=True
    )
    revised_ships_on = models.DateField(_("revised shipping date"), null=True, blank=True)
    revision_reason = models.CharField(_("why the dates changed"), max_length=500, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "slug"], name="campaign_slug_unique_per_shop"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="campaign_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(reserved__lte=F("capacity") - F("held")),
                name="campaign_ordered_and_held_within_capacity",
            ),
            models.CheckConstraint(condition=Q(min_quantity__gte=1), name="campaign_min_positive"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="campaign_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(deposit_rule="full")
                | Q(deposit_rule="percent", deposit_value__gt=0, deposit_value__lte=100)
                | Q(deposit_rule="fixed", deposit_value__gt=0),
                name="campaign_deposit_value_fits_rule",
            ),
        ]
        indexes = [models.Index(fields=["shop", "status", "opens_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "campaigns:campaign",
            kwargs={"shop_slug": self.shop.slug, "campaign_slug": self.slug},
        )

    def clean(self):
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The window must close after it opens.")
        if self.capacity is not None and self.min_quantity and self.min_quantity > self.capacity:
            errors["min_quantity"] = _("The minimum cannot be more than the capacity.")
        if self.capacity is not None and self.capacity < self.reserved + self.held:
            errors["capacity"] = capacity_below_reserved(self.reserved, self.held)
        if self.deposit_rule == self.DepositRule.PERCENT and not (
            0 < (self.deposit_value or 0) <= 100
        ):
            errors["deposit_value"] = _("A percent deposit is more than 0 and at most 100.")
        if self.deposit_rule == self.DepositRule.FIXED and not (self.deposit_value or 0) > 0:
            errors["deposit_value"] = _("A fixed deposit must be more than zero.")
        if errors:
            raise ValidationError(errors)

    def phase_at(self, now) -> "Campaign.Phase":
        if self.status != self.Status.PUBLISHED:
            return self.Phase(self.status)
        if now < self.opens_at:
            return self.Phase.SCHEDULED
        if now >= self.closes_at:
            return self.Phase.CLOSED
        if self.units_left == 0:
            return self.Phase.SOLD_OUT
        return self.Phase.OPEN

    @cached_property
    def phase(self) -> "Campaign.Phase":
        return self.phase_at(timezone.now())

    @property
    def units_left(self) -> int | None:
        """Units a buyer from the public page may still order: those held for the waiting list
        are not among them."""
        return None if self.capacity is None else self.capacity - self.reserved - self.held

    @property
    def awaits_decisions(self) -> bool:
        """Published and not shipping yet: the seller may still start, finish, extend, fail or
        cancel it (shipping has its own page)."""
        return self.status in (self.Status.PUBLISHED, self.Status.IN_PRODUCTION, self.Status.READY)

    @property
    def production_finished(self) -> bool:
        """Its end of production is a fact, no longer an estimate."""
        return self.status in (self.Status.READY, self.Status.SHIPPING, self.Status.COMPLETED)

    @property
    def shipped(self) -> bool:
        """Its shipping date is a fact, no longer an estimate."""
        return self.status in (self.Status.SHIPPING, self.Status.COMPLETED)

    @property
    def lowest_price(self):
        return min((v.price for v in self.variants.all()), default=None)

    @property
    def min_reached(self) -> bool:
        return self.reserved >= self.min_quantity

    @property
    def production_ends_on(self):
        # Counted in the shop's calendar: a window closing at 23:00 in Jakarta closes that day.
        closes = timezone.localtime(self.closes_at, ZoneInfo(self.shop.time_zone))
        return closes.date() + timedelta(days=self.production_days)

    @property
    def ships_on(self):
        return self.production_ends_on + timedelta(days=self.shipping_days)

    @property
    def current_production_ends_on(self):
        """The estimate buyers hold the seller to now: the revised one where it was revised."""
        return self.revised_production_ends_on or self.production_ends_on

    @property
    def current_ships_on(self):
        # Shipping follows production: a later production end moves it unless revised itself.
        if self.revised_ships_on:
            return self.revised_ships_on
        return self.current_production_ends_on + timedelta(days=self.shipping_days)

    @property
    def delay_days(self) -> int:
        """How many days later than first announced shipping is now estimated."""
        return max((self.current_ships_on - self.ships_on).days, 0)

    @property
    def delay_beyond_threshold(self) -> bool:
        """Buyers may now choose to keep waiting or cancel (Shop.delay_threshold_days)."""
        return not self.shipped and self.delay_days > self.shop.delay_threshold_days

    @property
    def production_end_revised(self) -> bool:
        return self.current_production_ends_on != self.production_ends_on

    @property
    def shipping_revised(self) -> bool:
        return self.current_ships_on != self.ships_on

    @property
    def deposit_window(self) -> timedelta:
        return timedelta(hours=self.deposit_hours)


class Variant(CounterGuard):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=80)
    price = models.DecimalField(
        _("price"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    capacity = models.PositiveIntegerField(
        _("own capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Optional limit for this variant alone."),
    )
    reserved = models.PositiveIntegerField(_("units ordered"), default=0, editable=False)
    held = models.PositiveIntegerField(
        _("units held for the waiting list"), default=0, db_default=0, editable=False
    )
    # For ongkir by weight: each unit's packed weight.
    weight_grams = models.PositiveIntegerField(_("weight (grams)"), default=0, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="variant_name_unique"),
            models.CheckConstraint(condition=Q(price__gt=0), name="variant_price_positive"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(reserved__lte=F("capacity") - F("held")),
                name="variant_ordered_and_held_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="variant_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def units_left(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.reserved - self.held

    def clean(self):
        if self.capacity is not None and self.capacity < self.reserved + self.held:
            raise ValidationError({"capacity": capacity_below_reserved(self.reserved, self.held)})


def capacity_below_reserved(reserved: int, held: int = 0):
    if held:
        return _(
            "%(n)d units are already ordered and %(held)d held for the waiting list; the "
            "capacity cannot be lower than %(total)d."
        ) % {"n": reserved, "held": held, "total": reserved + held}
    return _("%(n)d units are already ordered; the capacity cannot be lower.") % {"n": reserved}


def campaign_image_path(instance, filename):
    return f"campaigns/{instance.campaign_id}/{filename}"


class CampaignImage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=campaign_image_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=campaign_image_path, editable=False)
    # Blank for photos stored before share cards existed: the page then offers the photo itself.
    share_card = models.ImageField(
        _("share card"), upload_to=campaign_image_path, editable=False, blank=True
    )
    alt = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("campaign image")
        verbose_name_plural = _("campaign images")
        ordering = ["position", "id"]

    def __str__(self):
        return self.alt or self.image.name
