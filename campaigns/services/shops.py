"""A seller's shop: signing up with a new one (members and roles: campaigns/services/team.py)."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from campaigns.exceptions import EmailTaken, ShopSlugTaken, UsernameTaken
from campaigns.models import RESERVED_SLUGS, Role, Shop

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
    shop.members.add(owner, through_defaults={"role": Role.OWNER})
    return shop
