"""A seller duplicates a campaign: terms, variants and photos copied into a draft opening
tomorrow."""

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import Campaign, CampaignEvent
from campaigns.services import photos
from tests.campaigns.editor import JAKARTA, picture, url
from tests.factories import make_order

pytestmark = pytest.mark.django_db


def test_duplicate_copies_terms_variants_and_photos_into_a_draft_opening_tomorrow(
    seller, shop, open_campaign, media_root
):
    # given the original has orders, a photo, and a window of 8 days opening at 09:30 Jakarta
    opens = datetime.combine(
        timezone.localdate(timezone=JAKARTA) - timedelta(days=2),
        datetime.min.time().replace(hour=9, minute=30),
        tzinfo=JAKARTA,
    )
    Campaign.objects.filter(pk=open_campaign.pk).update(
        opens_at=opens, closes_at=opens + timedelta(days=8)
    )
    open_campaign.refresh_from_db()
    make_order(open_campaign, quantity=2, note="Green, “SARI”")
    photos.add_campaign_image(campaign=open_campaign, upload=picture(), alt="Green tote")

    # when the seller duplicates it
    response = seller.post(url("campaign_duplicate", shop, open_campaign))

    # then a new draft exists with a fresh web address, nothing ordered
    copy = Campaign.objects.exclude(pk=open_campaign.pk).get()
    assert response.status_code == 302
    assert response.url == url("campaign_edit", shop, copy)
    assert copy.slug == "tote-2"
    assert copy.status == Campaign.Status.DRAFT
    assert copy.reserved == 0
    for name in ("title", "min_quantity", "capacity", "note_prompt", "note_required"):
        assert getattr(copy, name) == getattr(open_campaign, name)
    assert [(v.name, v.price, v.capacity, v.reserved) for v in copy.variants.all()] == [
        ("Green", Decimal(150000), None, 0),
        ("Navy", Decimal(165000), 4, 0),
    ]
    # its window opens tomorrow at the same time of day and lasts as long
    tomorrow = timezone.localdate(timezone=JAKARTA) + timedelta(days=1)
    local_open = timezone.localtime(copy.opens_at, JAKARTA)
    assert (local_open.date(), local_open.hour, local_open.minute) == (tomorrow, 9, 30)
    assert copy.closes_at - copy.opens_at == timedelta(days=8)
    # its photo is its own file
    photo = copy.images.get()
    original = open_campaign.images.get()
    assert photo.alt == "Green tote"
    assert photo.image.name != original.image.name
    assert Path(photo.image.path).read_bytes() == Path(original.image.path).read_bytes()
    # a CREATED event says where it came from; the original is untouched
    event = copy.events.get()
    assert (event.kind, event.actor) == (CampaignEvent.Kind.CREATED, shop.owner)
    assert "Custom tote" in event.note
    open_campaign.refresh_from_db()
    assert (open_campaign.reserved, open_campaign.status) == (2, Campaign.Status.PUBLISHED)


def test_duplicating_again_takes_the_next_free_web_address(seller, shop, open_campaign):
    seller.post(url("campaign_duplicate", shop, open_campaign))
    seller.post(url("campaign_duplicate", shop, open_campaign))
    assert sorted(shop.campaigns.values_list("slug", flat=True)) == ["tote", "tote-2", "tote-3"]


def test_duplicate_is_a_post(seller, shop, open_campaign):
    assert seller.get(url("campaign_duplicate", shop, open_campaign)).status_code == 405
    assert shop.campaigns.count() == 1
