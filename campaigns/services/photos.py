"""A campaign's photos: each stored once as a display copy, a thumbnail and a link-preview card.

Pictures are opened, limited and re-encoded by kernel.images; a refused file stores nothing.
"""

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.exceptions import CampaignRuleBroken
from campaigns.models import Campaign, CampaignImage
from kernel.images import DISPLAY_SIZE, THUMBNAIL_SIZE, encode, open_upload, share_card
from kernel.uploads import MAX_PHOTOS_PER_UPLOAD

logger = logging.getLogger(__name__)


@transaction.atomic
def add_campaign_image(*, campaign: Campaign, upload, alt: str = "") -> CampaignImage:
    """Store a campaign photo, its thumbnail and share card, made once here rather than on every
    view."""
    image = open_upload(upload)
    position = campaign.images.count()
    return CampaignImage.objects.create(
        campaign=campaign,
        image=encode(image, DISPLAY_SIZE),
        thumbnail=encode(image, THUMBNAIL_SIZE),
        share_card=share_card(image),
        alt=alt,
        position=position,
    )


@dataclass(frozen=True)
class RefusedUpload:
    name: str
    message: str


def add_photos(
    *, campaign: Campaign, uploads: Sequence, alt: str = ""
) -> tuple[list[CampaignImage], list[RefusedUpload]]:
    """Store each upload through add_campaign_image (its own transaction): a refused
    file stores nothing and is reported by name, the others are kept."""
    if len(uploads) > MAX_PHOTOS_PER_UPLOAD:
        raise CampaignRuleBroken(
            _("Upload at most %(n)d pictures at a time.") % {"n": MAX_PHOTOS_PER_UPLOAD},
            field="images",
        )
    added, refused = [], []
    for upload in uploads:
        try:
            added.append(add_campaign_image(campaign=campaign, upload=upload, alt=alt.strip()))
        except ValidationError as error:
            refused.append(RefusedUpload(name=upload.name, message=error.messages[0]))
    return added, refused


def describe_photo(*, photo: CampaignImage, alt: str) -> CampaignImage:
    """Set the description screen readers read for a photo."""
    photo.alt = alt.strip()
    photo.save(update_fields=["alt"])
    return photo


def remove_photo(*, photo: CampaignImage) -> None:
    """Delete a photo and, once the deletion is committed, its files."""
    files = [photo.image, photo.thumbnail, photo.share_card]
    with transaction.atomic():
        photo.delete()
        for file in files:
            if file.name:
                transaction.on_commit(lambda f=file: f.storage.delete(f.name))


def copy_photo(image: CampaignImage, campaign: Campaign) -> None:
    """Copies the files, so deleting one campaign's photo never breaks the other's."""
    try:
        files = {}
        for field in ("image", "thumbnail", "share_card"):
            file = getattr(image, field)
            if not file.name:
                continue
            with file.open("rb") as source:
                extension = file.name.rsplit(".", 1)[-1]
                files[field] = ContentFile(
                    source.read(), name=f"{secrets.token_hex(16)}.{extension}"
                )
    except (FileNotFoundError, ValueError):
        logger.warning("Photo %s of campaign %s has no file; not copied.", image.pk, campaign.pk)
        return
    CampaignImage.objects.create(campaign=campaign, alt=image.alt, position=image.position, **files)
