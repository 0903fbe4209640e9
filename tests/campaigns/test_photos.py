"""A seller adds, describes and deletes a campaign's photos: pictures are re-encoded, anything else
refused with nothing stored."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.models import CampaignImage
from campaigns.services import photos
from kernel import images
from tests.campaigns.editor import picture, url
from tests.support import page_text

pytestmark = pytest.mark.django_db


def stored_files(root) -> list[Path]:
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_seller_uploads_a_photo_stored_as_webp_with_a_thumbnail_and_no_exif(
    seller, shop, open_campaign, media_root
):
    # given a phone photo with EXIF data
    upload = picture(exif=True, size=(2400, 1800))
    assert Image.open(io.BytesIO(upload.read())).getexif()
    upload.seek(0)

    # when the seller uploads it with a description
    response = seller.post(
        url("campaign_photos", shop, open_campaign),
        {"images": upload, "alt": "Green tote on a chair"},
        follow=True,
    )

    # then one photo is stored, re-encoded as WebP, with its thumbnail, and no EXIF
    photo = open_campaign.images.get()
    assert "1 photo added." in page_text(response)
    assert photo.alt == "Green tote on a chair"
    for field, longest in ((photo.image, 1600), (photo.thumbnail, 640)):
        stored = Image.open(field.path)
        assert stored.format == "WEBP"
        assert max(stored.size) == longest
        assert not stored.getexif()
    # and the list shows the thumbnail
    assert photo.thumbnail.url in response.content.decode()


def test_seller_uploads_several_photos_at_once(seller, shop, open_campaign, media_root):
    response = seller.post(
        url("campaign_photos", shop, open_campaign),
        {"images": [picture(), picture("PNG"), picture("WEBP")]},
        follow=True,
    )
    assert open_campaign.images.count() == 3
    assert "3 photos added." in page_text(response)
    assert [p.position for p in open_campaign.images.all()] == [0, 1, 2]


def truncated_png() -> SimpleUploadedFile:
    data = picture("PNG", size=(300, 300)).read()
    return SimpleUploadedFile("cut.png", data[: len(data) // 2], content_type="image/png")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>'


@pytest.mark.parametrize(
    ("story", "make_upload", "message"),
    [
        (
            "text renamed .png",
            lambda: SimpleUploadedFile("photo.png", b"just some notes", content_type="image/png"),
            "This file is not a picture we can read.",
        ),
        (
            "PDF renamed .jpg",
            lambda: SimpleUploadedFile(
                "photo.jpg", b"%PDF-1.4\n1 0 obj << >>\nendobj\n%%EOF", content_type="image/jpeg"
            ),
            "This file is not a picture we can read.",
        ),
        ("truncated PNG", truncated_png, "This file is not a picture we can read."),
        (
            "SVG",
            lambda: SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml"),
            "This file is not a picture we can read.",
        ),
        (
            "GIF",
            lambda: picture("GIF", name="anim.gif"),
            "Upload a JPEG, PNG or WebP picture.",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_picture_is_refused_and_nothing_stored(
    seller, shop, open_campaign, media_root, story, make_upload, message
):
    # when
    upload = make_upload()
    response = seller.post(
        url("campaign_photos", shop, open_campaign), {"images": upload}, follow=True
    )
    # then
    assert f"“{upload.name}” was not added: {message}" in page_text(response), story
    assert not CampaignImage.objects.exists()
    assert stored_files(media_root) == []


def test_a_picture_over_the_size_limit_is_refused(
    seller, shop, open_campaign, media_root, monkeypatch
):
    # given a limit small enough to pass without writing 10 MB
    upload = picture("PNG", size=(400, 400))
    monkeypatch.setattr(images, "MAX_BYTES", upload.size - 1)
    # when
    response = seller.post(
        url("campaign_photos", shop, open_campaign), {"images": upload}, follow=True
    )
    # then
    assert "was not added: The picture is larger than 10 MB." in page_text(response)
    assert not CampaignImage.objects.exists()
    assert stored_files(media_root) == []


def test_in_a_mixed_upload_the_good_photos_are_kept_and_the_bad_one_named(
    seller, shop, open_campaign, media_root
):
    bad = SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png")
    response = seller.post(
        url("campaign_photos", shop, open_campaign), {"images": [picture(), bad]}, follow=True
    )
    text = page_text(response)
    assert "1 photo added." in text
    assert "“notes.png” was not added" in text
    assert open_campaign.images.count() == 1


def test_an_upload_without_a_file_says_so(seller, shop, open_campaign):
    response = seller.post(url("campaign_photos", shop, open_campaign), {"alt": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["images"] == ["Choose at least one photo."]


def test_seller_describes_and_deletes_a_photo(
    seller, shop, open_campaign, media_root, django_capture_on_commit_callbacks
):
    # given a stored photo
    photo = photos.add_campaign_image(campaign=open_campaign, upload=picture())
    files = [Path(photo.image.path), Path(photo.thumbnail.path)]
    assert all(f.exists() for f in files)

    # when the seller writes its description
    seller.post(
        url("campaign_photo", shop, open_campaign, photo_id=photo.pk),
        {f"photo-{photo.pk}-alt": "Navy tote, front"},
    )
    # then
    photo.refresh_from_db()
    assert photo.alt == "Navy tote, front"

    # when the seller deletes it
    with django_capture_on_commit_callbacks(execute=True):
        response = seller.post(url("campaign_photo_delete", shop, open_campaign, photo_id=photo.pk))
    # then the row and, once committed, its files are gone
    assert response.status_code == 302
    assert not CampaignImage.objects.filter(pk=photo.pk).exists()
    assert not any(f.exists() for f in files)


def test_the_photos_page_labels_every_input(seller, shop, open_campaign, media_root):
    photos.add_campaign_image(campaign=open_campaign, upload=picture(), alt="Front")
    response = seller.get(url("campaign_photos", shop, open_campaign))
    text = response.content.decode()
    for input_id in re.findall(r'<(?:input|textarea)[^>]* id="([^"]+)"', text):
        assert f'for="{input_id}"' in text, input_id
    assert "multiple" in text and 'enctype="multipart/form-data"' in text
