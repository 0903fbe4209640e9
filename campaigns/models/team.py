"""Who runs a shop and as what (owner, manager, staff), the invitations that bring people in, and
the shop's log of changes to its members, payment accounts and settings."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.shops import Shop
from campaigns.models.timeline import TimelineEvent


class Role(models.TextChoices):
    # Each role may do what the roles below it may, and more.
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")


# Higher is more.
RANK = {Role.STAFF: 1, Role.MANAGER: 2, Role.OWNER: 3}


def role_allows(role: str, needed: str) -> bool:
    return RANK[Role(role)] >= RANK[Role(needed)]


class Membership(models.Model):
    """One person in one shop's team, with their role. The shop's founder (`Shop.owner`) is
    always an owner and stays one."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    # The least a member may do, for anyone added without a role named.
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        # The table the plain many-to-many kept before roles (migration 0012).
        db_table = "campaigns_shop_members"
        verbose_name = _("member")
        verbose_name_plural = _("members")
        # As the plain many-to-many made it.
        unique_together = [("shop", "user")]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known")
        ]

    def __str__(self):
        return f"{self.user} · {self.shop} · {self.get_role_display()}"

    def allows(self, needed: str) -> bool:
        return role_allows(self.role, needed)

    @property
    def is_owner(self) -> bool:
        return self.allows(Role.OWNER)

    @property
    def is_manager(self) -> bool:
        return self.allows(Role.MANAGER)


def invitation_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An owner's invitation to join the shop with a role, sent by e-mail as a secret link; the
    link is kept only as its digest, so the database alone opens no door."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    # Set once, when it is accepted or withdrawn; an invitation opens at most one door.
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per address and shop: inviting again replaces it.
            models.UniqueConstraint(
                fields=["shop", "email"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_invitation_per_email",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_known"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.shop} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.withdrawn_at is None
            and self.expires_at > timezone.now()
        )


class ShopLogEntry(TimelineEvent):
    """One change to who runs the shop, where its money goes, or its settings: written once by a
    service, with who and when, never changed or deleted; owners read it."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Members")
        PAYMENT_ACCOUNTS = "payment_accounts", _("Payment accounts")
        SETTINGS = "settings", _("Settings")

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(_("about"), max_length=20, choices=Kind.choices)
    # Who it was, as they were called then: the account may be renamed or deleted later.
    actor_name = models.CharField(_("by"), max_length=150, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("shop log entry")
        verbose_name_plural = _("shop log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.get_kind_display()}"
