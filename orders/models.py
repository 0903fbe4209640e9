import re
import secrets
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Shop, TimelineEvent, Variant
from kernel.money import MONEY

# No 0/O or 1/I/L: buyers read the code aloud and type it into a bank transfer note.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# A kode unik is drawn from 1–999 first; when every code of an amount is taken by orders still
# waiting for money, from 1–4,999, then 1–9,999 (orders/services/transfer_codes.py).
TRANSFER_CODE_RANGES = (999, 4999, 9999)
MAX_TRANSFER_CODE = TRANSFER_CODE_RANGES[-1]


def new_token() -> str:
    # 24 random bytes: 192 bits, well over the 128 the private link needs.
    return secrets.token_urlsafe(24)


# Each common Indonesian courier's own tracking page, found by the carrier's name as sellers type
# it ("J&T Express", "jnt", "SiCepat"); "{}" takes the tracking number where the page reads it
# from its address. The buyer copies the number for the others.
TRACKING_PAGES = [
    (re.compile(r"^jne"), "https://www.jne.co.id/tracking-package"),
    (re.compile(r"^(jt|jnt|jet)"), "https://jet.co.id/track"),
    (re.compile(r"^sicepat"), "https://www.sicepat.com/checkAwb/{}"),
    (re.compile(r"^anteraja"), "https://anteraja.id/tracking/{}"),
    (re.compile(r"^pos"), "https://www.posindonesia.co.id/id/tracking"),
    (re.compile(r"^ninja"), "https://www.ninjaxpress.co/id-id/tracking?id={}"),
    (re.compile(r"^(idexpress|idx)"), "https://idexpress.com/lacak-paket/"),
]


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for deposit")
        CONFIRMED = "confirmed", _("Deposit received")
        IN_PRODUCTION = "in_production", _("In production")
        AWAITING_BALANCE = "awaiting_balance", _("Waiting for balance")
        PAID = "paid", _("Paid in full")
        SHIPPED = "shipped", _("Shipped")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    # Orders in these states hold their units; the others gave them back. Listed in the order
    # an order lives through them (the timeline relies on it).
    ACTIVE = (
        Status.PENDING,
        Status.CONFIRMED,
        Status.IN_PRODUCTION,
        Status.AWAITING_BALANCE,
        Status.PAID,
        Status.SHIPPED,
        Status.COMPLETED,
    )

    # Deposit verified and still going: these count toward the campaign's minimum.
    COUNTED = ACTIVE[1:]
    # The deposit is in but the balance is still to come.
    DEPOSIT_ONLY = (Status.CONFIRMED, Status.IN_PRODUCTION, Status.AWAITING_BALANCE)
    PAID_IN_FULL = (Status.PAID, Status.SHIPPED, Status.COMPLETED)

    # States in which a buyer may still refuse a long delay (not yet shipped, money may be in).
    DELAY_CHOICE = (
        Status.PENDING,
        Status.CONFIRMED,
        Status.IN_PRODUCTION,
        Status.AWAITING_BALANCE,
        Status.PAID,
    )

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="orders")
    code = models.CharField(_("order code"), max_length=12, unique=True, default=new_code)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    idempotency_key = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )

    buyer_name = models.CharField(_("name"), max_length=100)
    buyer_phone = models.CharField(_("WhatsApp number"), max_length=20)
    buyer_email = models.EmailField(_("email"))
    shipping_address = models.TextField(_("shipping address"), max_length=500, blank=True)
    # Where it goes: a city or regency of kernel.regions (code, and its label as the buyer
    # picked it), or the shop's pickup point as it was described then. Neither where the shop
    # charges no ongkir and names no pickup point.
    destination = models.CharField(_("destination"), max_length=4, blank=True)
    destination_name = models.CharField(_("destination"), max_length=120, blank=True)
    pickup = models.CharField(_("pickup at"), max_length=300, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    internal_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Only the shop's team sees this.")
    )
    # The shipping estimate the buyer agreed to wait for when the dates slipped past the shop's
    # threshold; a later slip asks them again (orders/services/revisions.py).
    waits_until = models.DateField(_("agreed to wait until"), null=True, blank=True)

    currency = models.CharField(_("currency"), max_length=3)
    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    deposit_amount = models.DecimalField(_("deposit"), **MONEY)
    balance_amount = models.DecimalField(_("balance"), **MONEY)
    # Ongkir is paid with the balance: balance = subtotal + ongkir − deposit. Pending while the
    # shop sets each order's ongkir by hand and has not set this one yet.
    shipping_fee = models.DecimalField(_("shipping cost (ongkir)"), **MONEY, default=0)
    shipping_pending = models.BooleanField(_("ongkir still to be set"), default=False)
    deposit_due_at = models.DateTimeField(_("deposit due"))
    balance_due_at = models.DateTimeField(_("balance due"), null=True, blank=True)
    # When the reminder before each deadline went out, so `tick` sends each one once.
    deposit_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    balance_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The shop's "kode unik": added to every amount this order transfers, never to its price. The
    # code of the amount the order waits for now (or waited for last): TransferAmount holds it.
    transfer_code = models.PositiveSmallIntegerField(_("unique transfer code"), default=0)

    # Set when the order leaves the shop (orders/services/fulfilment.py). A pickup has no tracking
    # number.
    carrier = models.CharField(_("carrier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    created_at = models.DateTimeField(_("placed"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "idempotency_key"], name="order_idempotency_key_unique"
            ),
            models.CheckConstraint(condition=Q(subtotal__gt=0), name="order_subtotal_positive"),
            models.CheckConstraint(
                condition=Q(deposit_amount__gte=0, balance_amount__gte=0, shipping_fee__gte=0),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(balance_amount=F("subtotal") + F("shipping_fee") - F("deposit_amount")),
                name="order_deposit_plus_balance_is_total",
            ),
            models.CheckConstraint(
                condition=Q(shipping_pending=False) | Q(shipping_fee=0),
                name="order_pending_ongkir_is_not_charged",
            ),
            models.CheckConstraint(
                condition=Q(transfer_code__lte=MAX_TRANSFER_CODE),
                name="order_transfer_code_within_range",
            ),
            # Not the tracking number: a pickup order ships without one.
            models.CheckConstraint(
                condition=~Q(status__in=("shipped", "completed")) | Q(shipped_at__isnull=False),
                name="order_shipped_has_shipped_at",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["campaign", "buyer_phone"]),
            models.Index(fields=["campaign", "buyer_email"]),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"token": self.token})

    @property
    def total(self):
        """What the order costs in all: the goods and the ongkir."""
        return self.subtotal + self.shipping_fee

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines.all())

    @property
    def tracking_page(self) -> str:
        """The carrier's tracking page (with the number in it where the page takes one), or ""
        for a carrier we do not know or an order without a tracking number."""
        carrier = re.sub(r"[^a-z]", "", self.carrier.lower())
        if not (carrier and self.tracking_number):
            return ""
        for name, page in TRACKING_PAGES:
            if name.match(carrier):
                return page.format(quote(self.tracking_number, safe=""))
        return ""


class TransferAmount(models.Model):
    """The exact amount an order waits for (what is owed for the step, plus its kode unik), so
    that a line of the shop's bank statement names exactly one order.

    Live while the order waits for that money; released (`released_at`) when it stops waiting:
    paid, expired, cancelled, or owing a new amount after a partial payment. The database lets no
    two live amounts of a shop be equal (for shops that add codes), however many orders are
    placed at once. Released rows stay, so a statement line of an old transfer can still be
    told apart from a new order that now expects the same amount.
    Written only by orders/services/transfer_codes.py.
    """

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Down payment")
        BALANCE = "balance", _("Balance")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="transfer_amounts")
    kind = models.CharField(_("for"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount to transfer"), **MONEY)
    code = models.PositiveSmallIntegerField(_("unique transfer code"))
    claimed_at = models.DateTimeField(_("expected from"), default=timezone.now)
    released_at = models.DateTimeField(_("expected until"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer amount")
        verbose_name_plural = _("transfer amounts")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "amount"],
                condition=Q(released_at__isnull=True, code__gt=0),
                name="one_waiting_order_per_transfer_amount",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(released_at__isnull=True),
                name="one_live_transfer_amount_per_order",
            ),
            models.CheckConstraint(
                condition=Q(code__lte=MAX_TRANSFER_CODE), name="transfer_amount_code_within_range"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=F("code")), name="transfer_amount_more_than_its_code"
            ),
        ]
        indexes = [models.Index(fields=["shop", "amount"], name="transfer_amount_lookup")]

    def __str__(self):
        return f"{self.order_id}: {self.amount}"

    @property
    def is_live(self) -> bool:
        return self.released_at is None


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="order_lines")
    # Snapshots: later edits to the variant never change a placed order.
    variant_name = models.CharField(_("variant"), max_length=80)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    quantity = models.PositiveIntegerField(_("quantity"))
    note = models.TextField(_("customisation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="line_price_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.variant_name}"

    @property
    def total(self):
        return self.unit_price * self.quantity


class OrderEvent(TimelineEvent):
    """One step of an order's fulfilment timeline."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Order placed")
        STATUS = "status", _("Status changed")
        NOTE = "note", _("Note")
        # A proof of payment sent, verified or rejected (payments app); status moves are STATUS.
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")
        REMINDER = "reminder", _("Reminder sent")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Order.Status.choices, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.get_kind_display()}"


class CampaignTally(models.Model):
    """Running totals of a campaign's orders, so the dashboard reads one row rather than summing
    every order. Kept by orders/tally.py in the transaction that places or moves an order;
    `check_integrity` recounts them from the orders."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    orders = models.PositiveIntegerField(default=0, db_default=0)  # active
    pending = models.PositiveIntegerField(default=0, db_default=0)
    confirmed_units = models.PositiveIntegerField(default=0, db_default=0)  # Order.COUNTED
    revenue = models.DecimalField(**MONEY, default=0, db_default=0)  # subtotals of active orders
    collected = models.DecimalField(
        **MONEY, default=0, db_default=0
    )  # deposits counted, balances paid
    outstanding = models.DecimalField(**MONEY, default=0, db_default=0)  # balances still to come

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(revenue__gte=0) & Q(collected__gte=0) & Q(outstanding__gte=0),
                name="tally_money_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id}: {self.orders} orders"


class VariantTally(models.Model):
    """Units of a variant counting toward the minimum (`Variant.reserved` holds the ordered)."""

    variant = models.OneToOneField(
        Variant, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    confirmed_units = models.PositiveIntegerField(default=0, db_default=0)

    def __str__(self):
        return f"{self.variant_id}: {self.confirmed_units} confirmed"


class CampaignHour(models.Model):
    """Orders placed in each hour (UTC) of a campaign: the orders-per-day chart and the shop's
    history add these up in the shop's time zone."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField()
    orders = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "hour"], name="one_row_per_campaign_hour")
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.hour:%Y-%m-%d %H}:00: {self.orders}"


class WaitlistEntry(models.Model):
    """A buyer waiting for units of a sold-out campaign (or variant), in the order they joined.

    When units come back the next in line get an offer: the units are held for them (the
    campaign's and the variant's `held` counters, taken by the same conditional UPDATE as an
    order's) until `offer_expires_at`, and reached through the entry's private link. Written only
    by orders/services/waitlist.py (and placing.py, which turns a hold into an order).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Units held")
        ORDERED = "ordered", _("Ordered")
        LAPSED = "lapsed", _("Hold lapsed")
        LEFT = "left", _("Left the list")

    # On the list: these may still get (or hold) units.
    ACTIVE = (Status.WAITING, Status.OFFERED)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="waitlist")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="waitlist")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("WhatsApp number"), max_length=20)
    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    quantity = models.PositiveIntegerField(_("units wanted"))
    # Units held for this buyer while the offer lasts; 0 otherwise.
    held = models.PositiveIntegerField(_("units held"), default=0)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    order = models.OneToOneField(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        verbose_name=_("order"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["joined_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="waitlist_quantity_positive"),
            # Units are held exactly while an offer is open, never more than were asked for.
            models.CheckConstraint(
                condition=(
                    Q(status="offered", held__gt=0, offer_expires_at__isnull=False)
                    | (~Q(status="offered") & Q(held=0))
                )
                & Q(held__lte=F("quantity")),
                name="waitlist_holds_only_while_offered",
            ),
            models.UniqueConstraint(
                fields=["variant", "phone"],
                condition=Q(status__in=("waiting", "offered")),
                name="waitlist_one_place_per_buyer_and_variant",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "joined_at"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]

    def __str__(self):
        return f"{self.name}: {self.quantity} × {self.variant_id}"

    def get_absolute_url(self):
        return reverse("orders:waitlist_entry", kwargs={"token": self.token})
