"""The proof picture: stored re-encoded, without its EXIF and GPS, under a random private name;
anything that is not an acceptable picture is refused and leaves nothing behind."""

import re
from io import BytesIO

import pytest
from PIL import Image

from orders.models import OrderEvent
from payments.exceptions import InvalidProof
from payments.models import Payment
from tests.payments import pictures
from tests.payments.conftest import send, stored_files
from tests.payments.proofs import nothing_stored

pytestmark = pytest.mark.django_db


def stored_picture(payment: Payment) -> tuple[bytes, Image.Image]:
    with payment.proof.open("rb") as file:
        data = file.read()
    return data, Image.open(BytesIO(data))


def test_a_phone_photo_is_stored_without_its_exif_and_gps(pending_order, private_files):
    # given a JPEG straight from a phone, with the camera and the GPS position in its EXIF
    original = pictures.jpeg_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)

    # when it is sent as a proof
    payment = send(pending_order, "75000", proof_upload=pictures.upload(original, "IMG_2024.jpg"))

    # then the stored copy is a re-encoded WebP with no EXIF at all
    data, image = stored_picture(payment)
    assert image.format == "WEBP"
    assert image.size == (120, 90)
    assert not image.getexif()
    assert b"Exif" not in data
    assert pictures.CAMERA.encode() not in data
    # under a random name, in the private folder only
    assert re.fullmatch(r"proofs/\d{4}/\d{2}/[0-9a-f]{32}\.webp", payment.proof.name)
    assert "IMG_2024" not in payment.proof.name
    assert (private_files / payment.proof.name).is_file()
    # with a thumbnail made once, here
    assert payment.proof_thumbnail.name != payment.proof.name
    assert (private_files / payment.proof_thumbnail.name).is_file()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [(pictures.png(), "bukti.png", "image/png"), (pictures.webp(), "bukti.webp", "image/webp")],
)
def test_png_and_webp_screenshots_are_accepted(pending_order, content, name, content_type):
    payment = send(
        pending_order, "75000", proof_upload=pictures.upload(content, name, content_type)
    )
    assert stored_picture(payment)[1].format == "WEBP"


REFUSED_UPLOADS = {
    "text renamed .jpg": (pictures.TEXT, "proof.jpg", "image/jpeg", "not a picture we can read"),
    "PDF renamed .png": (pictures.PDF, "proof.png", "image/png", "not a picture we can read"),
    "truncated JPEG": (
        pictures.truncated_jpeg(),
        "proof.jpg",
        "image/jpeg",
        "not a picture we can read",
    ),
    "SVG": (pictures.SVG, "proof.svg", "image/svg+xml", "not a picture we can read"),
    "GIF": (pictures.gif(), "proof.gif", "image/gif", "JPEG, PNG or WebP"),
    "bomb of 20000 × 20000": (
        pictures.png_declaring(20000, 20000),
        "proof.png",
        "image/png",
        "not a picture we can read",
    ),
    "48 megapixels": (
        pictures.png_declaring(8000, 6000),
        "proof.png",
        "image/png",
        "more than 40 megapixels",
    ),
}


@pytest.mark.parametrize("case", REFUSED_UPLOADS)
def test_files_that_are_not_acceptable_pictures_are_refused(pending_order, private_files, case):
    content, name, content_type, reason = REFUSED_UPLOADS[case]

    with pytest.raises(InvalidProof) as refusal:
        send(pending_order, "75000", proof_upload=pictures.upload(content, name, content_type))

    assert reason in str(refusal.value)
    assert nothing_stored(pending_order, private_files)


def test_a_picture_over_the_size_limit_is_refused(pending_order, private_files, monkeypatch):
    # given a limit lowered to 100 bytes (the real one is 10 MB: no need to write that much)
    monkeypatch.setattr("kernel.images.MAX_BYTES", 100)
    big = pictures.png()
    assert len(big) > 100

    with pytest.raises(InvalidProof, match="larger than 10 MB"):
        send(pending_order, "75000", proof_upload=pictures.upload(big, "big.png", "image/png"))
    assert nothing_stored(pending_order, private_files)


def test_a_failure_after_the_files_are_written_leaves_no_file_behind(
    pending_order, private_files, monkeypatch
):
    # given the timeline cannot be written (the last step, after the files and the row)
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(OrderEvent.objects, "create", broken)

    # when
    with pytest.raises(RuntimeError):
        send(pending_order, "75000")

    # then the transaction is gone and so are the files
    assert not Payment.objects.exists()
    assert stored_files(private_files) == []
