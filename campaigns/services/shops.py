"""A seller's shop and who may run it: signing up with a new shop, adding and removing members."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from campaigns.exceptions import (
    AlreadyMember,
    AmbiguousEmail,
    EmailTaken,
    OwnerOnly,
    OwnerStays,
    ShopSlugTaken,
    UnknownEmail,
    UsernameTaken,
)
from campaigns.models import RESERVED_SLUGS, Shop

# Room for a "-12" suffix within the slug's 50 characters.
SLUG_BASE_LENGTH = 45


def free_slug(name: str) -> str:
    """A web address made from the shop name that no shop uses and no app path shadows."""
    base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "shop"
    same_start = Shop.objects.filter(slug__istartswith=base).values_list("slug", flat=True)
    taken = {slug.lower() for slug in same_start}
    candidate, n = base, 1
    while candidate in taken or candidate in RESERVED_SLUGS:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def create_seller(
    *, username: str, email: str, password: str, shop_name: str, shop_slug: str = ""
) -> Shop:
    """Create a seller's account and their shop, with them as its owner and first member.

    One account per email (members are added by email, and passwords are reset by it). An empty
    `shop_slug` is made from the shop name, with a number added if that one is taken; a slug
    given explicitly is used as typed (lower-cased) or refused.
    """
    users = get_user_model()
    email = users.objects.normalize_email(email.strip())
    if users.objects.filter(username__iexact=username).exists():
        raise UsernameTaken
    if users.objects.filter(email__iexact=email).exists():
        raise EmailTaken
    slug = shop_slug.strip().lower()
    if slug and (slug in RESERVED_SLUGS or Shop.objects.filter(slug__iexact=slug).exists()):
        raise ShopSlugTaken
    # Savepoints, so a sign-up racing another for the same name or address ends in a message.
    try:
        with transaction.atomic():
            owner = users.objects.create_user(username=username, email=email, password=password)
    except IntegrityError as exc:
        raise UsernameTaken from exc
    try:
        with transaction.atomic():
            shop = Shop.objects.create(
                name=shop_name.strip(), slug=slug or free_slug(shop_name), owner=owner
            )
    except IntegrityError as exc:
        raise ShopSlugTaken from exc
    shop.members.add(owner)
    return shop


def _require_owner(shop: Shop, actor: AbstractBaseUser) -> None:
    if actor.pk != shop.owner_id:
        raise OwnerOnly


@transaction.atomic
def add_member(*, shop: Shop, email: str, actor: AbstractBaseUser) -> AbstractBaseUser:
    """Let an existing OpenPO account run the shop too. Only the owner may add members."""
    _require_owner(shop, actor)
    users = get_user_model()
    matches = list(
        users.objects.filter(email__iexact=email.strip(), is_active=True).order_by("pk")[:2]
    )
    if not matches:
        raise UnknownEmail
    if len(matches) > 1:
        raise AmbiguousEmail
    user = matches[0]
    if shop.members.filter(pk=user.pk).exists():
        raise AlreadyMember
    shop.members.add(user)
    return user


@transaction.atomic
def remove_member(*, shop: Shop, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Take a member off the shop. Only the owner may remove members, and never themselves."""
    _require_owner(shop, actor)
    if user.pk == shop.owner_id:
        raise OwnerStays
    shop.members.remove(user)
