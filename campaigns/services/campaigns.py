"""The seller's campaign editor: create, edit, duplicate, publish,
unpublish (the photos: photos.py).

Each function is one transaction. A change the rules refuse raises CampaignRuleBroken with the
sentence the seller reads, and nothing is written. The counters (`reserved`) belong to the order
code: nothing here ever writes them, and every save names the fields it changes, so an order
placed while the seller edits keeps its units.
"""

import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.exceptions import CampaignRuleBroken
from campaigns.models import Campaign, CampaignEvent, Shop, Variant
from campaigns.services.photos import copy_photo
from campaigns.services.transitions import move_campaign
from kernel.sentences import say, words

logger = logging.getLogger(__name__)

# The PO terms the seller edits. `status` and `reserved` are never among them: status moves by
# publish/unpublish and the campaign decisions, reserved only by the order code's UPDATEs.
TERM_FIELDS = (
    "title",
    "slug",
    "description",
    "opens_at",
    "closes_at",
    "min_quantity",
    "capacity",
    "max_per_order",
    "max_per_buyer",
    "production_days",
    "shipping_days",
    "deposit_rule",
    "deposit_value",
    "deposit_hours",
    "balance_days",
    "note_prompt",
    "note_required",
    "cancellation_policy",
    "late_balance",
    "video_url",
    "sales_target",
)
VARIANTS = gettext_lazy("variants")  # among the terms that changed
SLUG_MAX_LENGTH = Campaign._meta.get_field("slug").max_length
# Without a Latin letter or digit in the title (emoji, Javanese script) the slug falls back to this.
FALLBACK_SLUG = "po"


@dataclass(frozen=True)
class VariantSpec:
    """One row of the variant table: `id` names an existing variant of the campaign, None a new
    one; `delete` removes an existing one."""

    name: str
    price: Decimal
    capacity: int | None = None
    weight_grams: int = 0
    id: int | None = None
    delete: bool = False


# --- create and edit -----------------------------------------------------------------------


def create_campaign(
    *,
    shop: Shop,
    terms: Mapping[str, object],
    variants: Sequence[VariantSpec],
    actor: AbstractBaseUser,
) -> Campaign:
    """Create a draft campaign with its variants and write its CREATED event.

    Rules: every PO rule of Campaign.clean; an empty web address comes from the title, unique in
    the shop; at least one variant; variant names unique (ignoring case), prices above zero.
    """
    _check_variant_rows(variants, existing={})
    try:
        with transaction.atomic():
            campaign = Campaign(shop=shop, status=Campaign.Status.DRAFT)
            _apply_terms(campaign, terms)
            _validate(campaign)
            campaign.save()
            for position, spec in enumerate(v for v in variants if not v.delete):
                _validate_and_save(
                    Variant(
                        campaign=campaign,
                        name=spec.name,
                        price=spec.price,
                        capacity=spec.capacity,
                        weight_grams=spec.weight_grams,
                        position=position,
                    )
                )
            CampaignEvent.objects.create(
                campaign=campaign, kind=CampaignEvent.Kind.CREATED, actor=actor
            )
    except IntegrityError as exc:
        raise _integrity_refusal() from exc
    return campaign


def update_campaign(
    *,
    campaign: Campaign,
    terms: Mapping[str, object],
    variants: Sequence[VariantSpec],
    actor: AbstractBaseUser,
) -> Campaign:
    """Change a campaign's PO terms and variants.

    Rules: as for create_campaign; the capacities (campaign and variant) never drop below the
    units already ordered, read under a row lock so an order placed meanwhile counts; a variant
    with orders cannot be removed; the web address is fixed once published (buyers have the
    link). Placed orders keep their snapshot prices and names. Once buyers can see the
    campaign, a NOTE event records who changed which terms.
    """
    try:
        with transaction.atomic():
            # Locks the campaign row (PostgreSQL; SQLite's IMMEDIATE transaction locks the
            # database): orders wait for the edit, and the edit sees their units.
            locked = Campaign.objects.select_for_update().select_related("shop").get(pk=campaign.pk)
            existing = {v.pk: v for v in locked.variants.select_for_update().order_by("pk")}
            _check_variant_rows(variants, existing=existing)
            published = locked.status != Campaign.Status.DRAFT
            if published and terms.get("slug", locked.slug) != locked.slug:
                raise CampaignRuleBroken(
                    _("The web address is fixed once published: buyers already have the link."),
                    field="slug",
                )
            before = {name: getattr(locked, name) for name in TERM_FIELDS}
            variants_changed = _variants_change(variants, existing)
            _apply_terms(locked, terms)
            _validate(locked)
            locked.save(update_fields=[*TERM_FIELDS, "updated_at"])
            _save_variants(locked, variants, existing)
            changed = [
                Campaign._meta.get_field(name).verbose_name
                for name in TERM_FIELDS
                if getattr(locked, name) != before[name]
            ]
            if variants_changed:
                changed.append(VARIANTS)
            if published and changed:
                CampaignEvent.objects.create(
                    campaign=locked,
                    kind=CampaignEvent.Kind.NOTE,
                    actor=actor,
                    note=say("Terms changed: %(fields)s.", fields=words(changed)),
                )
    except IntegrityError as exc:
        raise _integrity_refusal() from exc
    return locked


def _variants_change(variants: Sequence[VariantSpec], existing: Mapping[int, Variant]) -> bool:
    if {spec.id for spec in variants if not spec.delete} != set(existing):
        return True
    return any(
        (spec.name.strip(), spec.price, spec.capacity)
        != (existing[spec.id].name, existing[spec.id].price, existing[spec.id].capacity)
        for spec in variants
        if spec.id is not None and not spec.delete
    )


def _apply_terms(campaign: Campaign, terms: Mapping[str, object]) -> None:
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise ValueError(f"not PO terms: {sorted(unknown)}")
    for name, value in terms.items():
        setattr(campaign, name, value)
    campaign.title = (campaign.title or "").strip()
    if not campaign.slug:
        campaign.slug = unique_slug(
            shop=campaign.shop, base=slugify(campaign.title), exclude_pk=campaign.pk
        )
    elif campaign.shop.campaigns.filter(slug=campaign.slug).exclude(pk=campaign.pk).exists():
        raise CampaignRuleBroken(slug_taken_message(), field="slug")


def slug_taken_message() -> str:
    return _("Another campaign of this shop already uses this web address.")


def unique_slug(*, shop: Shop, base: str, exclude_pk: int | None = None) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first web address no other campaign of the
    shop uses."""
    base = base[:SLUG_MAX_LENGTH].strip("-") or FALLBACK_SLUG
    taken = set(
        shop.campaigns.exclude(pk=exclude_pk)
        .filter(slug__startswith=base[: SLUG_MAX_LENGTH - 8])
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def _validate(campaign: Campaign) -> None:
    """Campaign.clean and the field validators, against the row as it is now."""
    try:
        campaign.full_clean(exclude=["shop"], validate_unique=False)
    except ValidationError as error:
        raise CampaignRuleBroken.from_validation_error(error) from error


def _check_variant_rows(variants: Sequence[VariantSpec], *, existing: Mapping[int, Variant]):
    kept = [v for v in variants if not v.delete]
    if not kept:
        raise CampaignRuleBroken(_("Add at least one variant with a name and a price."))
    names = [v.name.strip().casefold() for v in kept]
    if len(set(names)) != len(names):
        raise CampaignRuleBroken(_("Two variants cannot have the same name."))
    for spec in variants:
        if spec.id is not None and spec.id not in existing:
            # Another campaign's variant, or one removed meanwhile: refuse rather than guess.
            raise CampaignRuleBroken(_("A variant changed meanwhile; reload the page."))


def _save_variants(
    campaign: Campaign, variants: Sequence[VariantSpec], existing: Mapping[int, Variant]
) -> None:
    for spec in variants:
        if spec.delete and spec.id is not None:
            variant = existing[spec.id]
            if variant.held:
                # Read under the campaign's lock: a hold cannot start or end meanwhile.
                raise CampaignRuleBroken(
                    _(
                        "Units of “%(name)s” are held for buyers on the waiting list, so it "
                        "cannot be removed now."
                    )
                    % {"name": variant.name}
                )
            try:
                variant.delete()
            except ProtectedError as exc:
                raise CampaignRuleBroken(
                    _("“%(name)s” has orders, so it cannot be removed.") % {"name": variant.name}
                ) from exc
    # Names are unique per campaign in the database: a row renamed to a name another row gives
    # up would collide mid-way, so the changed rows pass through a temporary name first.
    kept = [spec for spec in variants if not spec.delete]
    renamed = [
        existing[spec.id]
        for spec in kept
        if spec.id is not None and existing[spec.id].name != spec.name.strip()
    ]
    for variant in renamed:
        variant.name = f"~{variant.pk}~{secrets.token_hex(4)}"
        variant.save(update_fields=["name"])
    for position, spec in enumerate(kept):
        variant = Variant(campaign=campaign) if spec.id is None else existing[spec.id]
        variant.name = spec.name.strip()
        variant.price = spec.price
        variant.capacity = spec.capacity
        variant.weight_grams = spec.weight_grams
        variant.position = position
        _validate_and_save(variant)


def _validate_and_save(variant: Variant) -> None:
    try:
        variant.full_clean(exclude=["campaign"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        broken = CampaignRuleBroken.from_validation_error(error)
        raise CampaignRuleBroken(
            _("%(variant)s: %(message)s") % {"variant": variant.name, "message": broken.message}
        ) from error
    if variant.pk is None:
        variant.save()
    else:
        # Never `reserved`: the order code owns it.
        variant.save(update_fields=["name", "price", "capacity", "weight_grams", "position"])


def _integrity_refusal() -> CampaignRuleBroken:
    # The checks above run under the row lock, so this is a race with another save (two tabs
    # taking the same new web address or variant name): the database constraint held.
    return CampaignRuleBroken(
        _("Another save got there first (a second tab?). Reload the page and try again.")
    )


# --- duplicate, publish, unpublish -------------------------------------------------------------


def duplicate_campaign(
    *, campaign: Campaign, actor: AbstractBaseUser, now: datetime | None = None
) -> Campaign:
    """Copy a campaign's terms, variants and photos into a new draft.

    The copy gets the first free web address `<slug>-2`, `<slug>-3`, ...; nothing ordered
    (reserved 0); its window opens tomorrow at the same time of day, in the shop's calendar, and
    lasts as long as the original's.
    """
    now = now or timezone.now()
    with transaction.atomic():
        source = Campaign.objects.select_related("shop").get(pk=campaign.pk)
        shop = source.shop
        tz = ZoneInfo(shop.time_zone)
        copy = Campaign(shop=shop, status=Campaign.Status.DRAFT)
        for name in TERM_FIELDS:
            setattr(copy, name, getattr(source, name))
        # The source holds its own slug, so this gives `<slug>-2` or the next free number.
        copy.slug = unique_slug(shop=shop, base=source.slug)
        copy.opens_at, copy.closes_at = _window_from_tomorrow(source, now, tz)
        copy.save()
        Variant.objects.bulk_create(
            Variant(
                campaign=copy,
                name=variant.name,
                price=variant.price,
                capacity=variant.capacity,
                weight_grams=variant.weight_grams,
                position=variant.position,
            )
            for variant in source.variants.all()
        )
        for image in source.images.all():
            copy_photo(image, copy)
        CampaignEvent.objects.create(
            campaign=copy,
            kind=CampaignEvent.Kind.CREATED,
            actor=actor,
            note=say(
                "Duplicated from “%(title)s” (%(slug)s).", title=source.title, slug=source.slug
            ),
        )
    return copy


def _window_from_tomorrow(source: Campaign, now: datetime, tz: ZoneInfo):
    opens_local = timezone.localtime(source.opens_at, tz)
    tomorrow = timezone.localtime(now, tz).date() + timedelta(days=1)
    opens_at = datetime.combine(tomorrow, opens_local.time(), tzinfo=tz)
    return opens_at, opens_at + (source.closes_at - source.opens_at)


def way_to_ask(shop: Shop) -> str | None:
    """A buyer with a question needs somewhere to ask it."""
    if shop.whatsapp or shop.contact_email:
        return None
    return _(
        "Add the shop's WhatsApp number (or a contact e-mail) in Settings before publishing: "
        "buyers need a way to ask."
    )


# What a shop needs before buyers are sent to any of its campaigns. Each check returns the
# sentence the seller reads, or None. Apps above campaigns add theirs when Django starts
# (payments: somewhere buyers can pay), so the rule stays at this one door to publishing
# without campaigns importing them.
SHOP_READY_CHECKS: list[Callable[[Shop], str | None]] = [way_to_ask]


def publish_campaign(
    *, campaign: Campaign, actor: AbstractBaseUser, now: datetime | None = None
) -> Campaign:
    """Draft → published, with a PUBLISHED event.

    Needs at least one variant, a window that has not closed yet (a published campaign that
    is closed from its first second only confuses buyers), and a shop buyers can ask and pay
    (SHOP_READY_CHECKS).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.DRAFT:
            raise CampaignRuleBroken(_("Only a draft can be published."))
        if not locked.variants.exists():
            raise CampaignRuleBroken(_("Add at least one variant before publishing."))
        if locked.closes_at <= now:
            raise CampaignRuleBroken(
                _("The order window has already closed; move the close date, then publish."),
                field="closes_at",
            )
        for check in SHOP_READY_CHECKS:
            if missing := check(locked.shop):
                raise CampaignRuleBroken(missing)
        return move_campaign(campaign=locked, to=Campaign.Status.PUBLISHED, actor=actor)


def unpublish_campaign(*, campaign: Campaign, actor: AbstractBaseUser) -> Campaign:
    """Published → draft, with an UNPUBLISHED event, only while no unit is ordered: buyers
    holding units must keep their campaign."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.PUBLISHED:
            raise CampaignRuleBroken(_("Only a published campaign can be unpublished."))
        if locked.reserved:
            raise CampaignRuleBroken(
                ngettext(
                    "A buyer has ordered %(n)d unit, so this campaign stays published. "
                    "To stop orders, move its close date instead.",
                    "Buyers have ordered %(n)d units, so this campaign stays published. "
                    "To stop orders, move its close date instead.",
                    locked.reserved,
                )
                % {"n": locked.reserved}
            )
        return move_campaign(campaign=locked, to=Campaign.Status.DRAFT, actor=actor)
