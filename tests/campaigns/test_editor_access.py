"""Who may use the editor: anonymous visitors are sent to log in; another shop's members, and
another shop's ids in our dashboard, get 404."""

import pytest

from campaigns.models import Campaign, CampaignImage
from tests.campaigns.editor import url
from tests.factories import make_campaign, make_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_shop_things(open_campaign):
    """Another shop with its own campaign and photo; our campaign has a photo row too."""
    other = make_shop(name="Other", slug="other")
    theirs = make_campaign(other, slug="theirs")
    their_photo = CampaignImage.objects.create(
        campaign=theirs, image="x.webp", thumbnail="x-t.webp"
    )
    our_photo = CampaignImage.objects.create(
        campaign=open_campaign, image="y.webp", thumbnail="y-t.webp"
    )
    return {"other": other, "theirs": theirs, "their_photo": their_photo, "our_photo": our_photo}


EDITOR_URLS = [
    ("campaign_new", False, "get"),
    ("campaign_edit", True, "get"),
    ("campaign_edit", True, "post"),
    ("campaign_duplicate", True, "post"),
    ("campaign_publish", True, "post"),
    ("campaign_unpublish", True, "post"),
    ("campaign_photos", True, "get"),
    ("campaign_photos", True, "post"),
    ("campaign_photo", "photo", "post"),
    ("campaign_photo_delete", "photo", "post"),
]


def editor_url(name, shop, campaign, photo, scope):
    if scope is False:
        return url(name, shop)
    if scope == "photo":
        return url(name, shop, campaign, photo_id=photo.pk)
    return url(name, shop, campaign)


@pytest.mark.parametrize(("name", "scope", "method"), EDITOR_URLS)
def test_anonymous_visitors_are_sent_to_log_in(
    client, shop, open_campaign, other_shop_things, name, scope, method
):
    target = editor_url(name, shop, open_campaign, other_shop_things["our_photo"], scope)
    response = getattr(client, method)(target)
    assert response.status_code == 302
    assert "/login/" in response.url
    assert Campaign.objects.get(pk=open_campaign.pk).status == Campaign.Status.PUBLISHED


@pytest.mark.parametrize(("name", "scope", "method"), EDITOR_URLS)
def test_a_member_of_another_shop_gets_404(
    client, shop, open_campaign, other_shop_things, name, scope, method
):
    client.force_login(other_shop_things["other"].owner)
    target = editor_url(name, shop, open_campaign, other_shop_things["our_photo"], scope)
    assert getattr(client, method)(target).status_code == 404
    assert CampaignImage.objects.filter(pk=other_shop_things["our_photo"].pk).exists()
    assert Campaign.objects.count() == 2


@pytest.mark.parametrize(("name", "scope", "method"), [u for u in EDITOR_URLS if u[1]])
def test_another_shops_campaign_or_photo_id_is_404_in_our_dashboard(
    seller, shop, open_campaign, other_shop_things, name, scope, method
):
    theirs, their_photo = other_shop_things["theirs"], other_shop_things["their_photo"]
    # their campaign id under our shop
    target = editor_url(name, shop, theirs, their_photo, scope)
    assert getattr(seller, method)(target).status_code == 404
    if scope == "photo":
        # their photo id under our own campaign
        target = editor_url(name, shop, open_campaign, their_photo, scope)
        assert getattr(seller, method)(target).status_code == 404
    assert CampaignImage.objects.filter(pk=their_photo.pk).exists()
    theirs.refresh_from_db()
    assert theirs.status == Campaign.Status.PUBLISHED
    assert Campaign.objects.count() == 2
