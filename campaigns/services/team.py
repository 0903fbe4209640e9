"""Who runs a shop and as what: invitations by e-mail, accepting them (with a new account or the
one you have), roles, removing members; and the shop's append-only log, which every change to
members, payment accounts and settings writes to (payments/services/accounts.py too)."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.exceptions import (
    AlreadyMember,
    EmailTaken,
    InvitationClosed,
    OwnerOnly,
    OwnerStays,
    UsernameTaken,
)
from campaigns.models import Invitation, Membership, Role, Shop, ShopLogEntry
from campaigns.models.team import invitation_digest, new_invitation_token
from campaigns.services.outbox import queue_email
from kernel.clock import shop_time
from kernel.mail import absolute
from kernel.sentences import Sentence, say, word, words

INVITATION_VALID_FOR = timedelta(days=7)


def write_log(
    *, shop: Shop, kind: str, actor: AbstractBaseUser | None, note: Sentence
) -> ShopLogEntry:
    """One line of the shop's log, with who and when; it is never changed or deleted."""
    return ShopLogEntry.objects.create(
        shop=shop,
        kind=kind,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        note=note,
    )


def require_owner(shop: Shop, actor: AbstractBaseUser) -> None:
    """Raise OwnerOnly unless `actor` is one of the shop's owners."""
    if not Membership.objects.filter(shop=shop, user=actor, role=Role.OWNER).exists():
        raise OwnerOnly


def role_word(role: str) -> dict:
    return word(Role(role).label, lower=True)


@transaction.atomic
def invite(
    *,
    shop: Shop,
    email: str,
    role: str,
    actor: AbstractBaseUser,
    now: datetime | None = None,
) -> Invitation:
    """Invite someone by e-mail to run the shop with `role`; they need no account beforehand.

    Rules: only owners invite; not someone whose account is a member already; inviting the same
    address again withdraws the earlier link (one open invitation per address, held by the
    database); the link is valid INVITATION_VALID_FOR and works once. The e-mail goes out through
    the outbox after commit; the log says who invited whom as what.
    """
    require_owner(shop, actor)
    now = now or timezone.now()
    role = Role(role)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if Membership.objects.filter(shop=shop, user__email__iexact=email).exists():
        raise AlreadyMember
    Invitation.objects.filter(
        shop=shop, email=email, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    token = new_invitation_token()
    invitation = Invitation.objects.create(
        shop=shop,
        email=email,
        role=role,
        digest=invitation_digest(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    language = translation.get_language() or "en"
    with translation.override(language):
        queue_email(
            to=email,
            language=language,
            template="member_invitation",
            context={
                "shop": shop.name,
                "role": str(role.label),
                "inviter": actor.get_username(),
                "link": absolute(reverse("accounts:invitation", args=[token])),
                "valid_until": shop_time(shop, invitation.expires_at, language),
            },
            shop=shop,
        )
    write_log(
        shop=shop,
        kind=ShopLogEntry.Kind.MEMBERS,
        actor=actor,
        note=say("Invited %(email)s as %(role)s.", email=email, role=role_word(role)),
    )
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, actor: AbstractBaseUser) -> None:
    """Withdraw an invitation not yet accepted: its link stops working. Owners only."""
    require_owner(invitation.shop, actor)
    withdrawn = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if not withdrawn:
        raise InvitationClosed
    write_log(
        shop=invitation.shop,
        kind=ShopLogEntry.Kind.MEMBERS,
        actor=actor,
        note=say("Invitation to %(email)s withdrawn.", email=invitation.email),
    )


def open_invitation(token: str) -> Invitation:
    """The invitation behind a link, if it can still be accepted; else InvitationClosed."""
    try:
        invitation = Invitation.objects.select_related("shop", "invited_by").get(
            digest=invitation_digest(token)
        )
    except Invitation.DoesNotExist:
        raise InvitationClosed from None
    if not invitation.is_open:
        raise InvitationClosed
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user: AbstractBaseUser) -> Membership:
    """`user` joins the shop with the invitation's role.

    Rules: the invitation is open (not used, withdrawn or expired), checked under its row lock,
    so a link opened in two tabs makes one member; someone already a member keeps their role and
    the link stays unused. The log says who joined as what.
    """
    invitation = open_invitation(token)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise InvitationClosed
    shop = invitation.shop
    if Membership.objects.filter(shop=shop, user=user).exists():
        raise AlreadyMember
    membership = Membership.objects.create(shop=shop, user=user, role=locked.role)
    Invitation.objects.filter(pk=locked.pk).update(accepted_at=timezone.now(), accepted_by=user)
    write_log(
        shop=shop,
        kind=ShopLogEntry.Kind.MEMBERS,
        actor=user,
        note=say(
            "%(name)s joined as %(role)s, invited as %(email)s.",
            name=user.get_username(),
            role=role_word(locked.role),
            email=locked.email,
        ),
    )
    return membership


@transaction.atomic
def join_with_new_account(*, token: str, username: str, password: str) -> Membership:
    """Make an account for the invited address and accept the invitation with it, at once."""
    invitation = open_invitation(token)
    users = get_user_model()
    if users.objects.filter(username__iexact=username).exists():
        raise UsernameTaken
    if users.objects.filter(email__iexact=invitation.email).exists():
        raise EmailTaken
    try:
        with transaction.atomic():
            user = users.objects.create_user(
                username=username, email=invitation.email, password=password
            )
    except IntegrityError as exc:
        raise UsernameTaken from exc
    return accept_invitation(token=token, user=user)


def _member_to_change(shop: Shop, user: AbstractBaseUser, actor: AbstractBaseUser) -> Membership:
    require_owner(shop, actor)
    if user.pk == shop.owner_id:
        raise OwnerStays
    return Membership.objects.select_for_update().get(shop=shop, user=user)


@transaction.atomic
def change_role(
    *, shop: Shop, user: AbstractBaseUser, role: str, actor: AbstractBaseUser
) -> Membership:
    """Give a member another role. Owners only; the founder stays an owner."""
    membership = _member_to_change(shop, user, actor)
    role = Role(role)
    if membership.role == role:
        return membership
    was = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    write_log(
        shop=shop,
        kind=ShopLogEntry.Kind.MEMBERS,
        actor=actor,
        note=say(
            "%(name)s: %(was)s → %(role)s.",
            name=user.get_username(),
            was=role_word(was),
            role=role_word(role),
        ),
    )
    return membership


@transaction.atomic
def remove_member(*, shop: Shop, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Take a member off the shop. Owners only, and never the founder."""
    membership = _member_to_change(shop, user, actor)
    membership.delete()
    write_log(
        shop=shop,
        kind=ShopLogEntry.Kind.MEMBERS,
        actor=actor,
        note=say("%(name)s removed from the shop.", name=user.get_username()),
    )


@transaction.atomic
def save_settings(*, shop: Shop, changed: list[str], actor: AbstractBaseUser) -> Shop:
    """Save the shop's settings as an owner changed them; the log names what changed."""
    require_owner(shop, actor)
    shop.save()
    if changed:
        labels = [Shop._meta.get_field(name).verbose_name for name in changed]
        write_log(
            shop=shop,
            kind=ShopLogEntry.Kind.SETTINGS,
            actor=actor,
            note=say("Settings changed: %(fields)s.", fields=words(labels)),
        )
    return shop
