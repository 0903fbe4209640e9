"""Sharing a campaign: link previews in chat apps and a printable poster with the QR code."""

import html
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaigns.services.photos import add_campaign_image
from tests.payments.pictures import png
from tests.support import page_text

pytestmark = pytest.mark.django_db


def meta(response) -> dict[str, str]:
    """The page's <meta property|name=... content=...> tags."""
    found = re.findall(
        r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', response.content.decode()
    )
    return {key: html.unescape(value) for key, value in found}


def add_photo(campaign, alt=""):
    upload = SimpleUploadedFile("cover.png", png(), content_type="image/png")
    return add_campaign_image(campaign=campaign, upload=upload, alt=alt)


def test_a_campaign_link_pasted_in_a_chat_shows_title_words_and_the_cover(client, open_campaign):
    # given a campaign with a description and two photos
    open_campaign.description = "Tote bags with your name on them, sewn in Bandung."
    open_campaign.save(update_fields=["description"])
    cover = add_photo(open_campaign, alt="A green tote")
    add_photo(open_campaign)

    tags = meta(client.get(open_campaign.get_absolute_url()))

    # then the preview has the title, the words, the page and the cover's share card
    assert tags["og:title"] == "Custom tote"
    assert tags["og:description"] == "Tote bags with your name on them, sewn in Bandung."
    assert tags["og:site_name"] == "Rajut Test"
    assert tags["og:url"] == "http://testserver" + open_campaign.get_absolute_url()
    assert tags["og:image"] == "http://testserver" + cover.share_card.url
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    assert tags["og:image:alt"] == "A green tote"
    # and the card is a JPEG in the shape chat apps crop to
    with cover.share_card.open("rb") as file:
        card = Image.open(BytesIO(file.read()))
    assert (card.format, card.size) == ("JPEG", (1200, 630))
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")


def test_a_campaign_without_photos_still_previews_with_words_in_the_readers_language(
    client, open_campaign
):
    tags = meta(client.get(open_campaign.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id"))
    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"
    assert tags["og:description"] == "PO dari Rajut Test"
    assert tags["og:locale"] == "id_ID"


def test_a_duplicated_campaign_keeps_its_own_copy_of_the_share_card(seller, shop, open_campaign):
    cover = add_photo(open_campaign)
    seller.post(reverse("dashboard:campaign_duplicate", args=[shop.slug, open_campaign.pk]))
    copy = shop.campaigns.exclude(pk=open_campaign.pk).get()
    copied = copy.images.get()
    assert copied.share_card.name and copied.share_card.name != cover.share_card.name
    assert copied.share_card.name.endswith(".jpg")


def test_the_seller_prints_a_poster_with_the_qr_code_of_the_public_page(
    seller, shop, open_campaign
):
    shop.whatsapp = "+6281234567890"
    shop.save(update_fields=["whatsapp"])
    overview = page_text(
        seller.get(reverse("dashboard:campaign", args=[shop.slug, open_campaign.pk]))
    )
    poster_url = reverse("dashboard:campaign_poster", args=[shop.slug, open_campaign.pk])
    assert poster_url in overview

    response = seller.get(poster_url)
    text = page_text(response)
    assert response.status_code == 200
    assert "Open PO: Custom tote" in text
    assert "Rp 150.000" in text and "Rp 165.000" in text
    assert reverse("dashboard:campaign_qr", args=[shop.slug, open_campaign.pk]) in text
    assert "http://testserver" + open_campaign.get_absolute_url() in text
    assert "+62 812-3456-7890" in text
    # the window in the shop's time zone
    assert "WIB" in text
    # and the QR code is the public link
    qr = seller.get(reverse("dashboard:campaign_qr", args=[shop.slug, open_campaign.pk]))
    assert qr["Content-Type"] == "image/svg+xml"


def test_the_poster_speaks_the_sellers_language(seller, shop, open_campaign):
    poster_url = reverse("dashboard:campaign_poster", args=[shop.slug, open_campaign.pk])
    text = page_text(seller.get(poster_url, HTTP_ACCEPT_LANGUAGE="id"))
    assert "Scan to order" not in text
    assert "Scan untuk pesan" in text and "Estimasi pengiriman" in text
