"""Uploads a buyer might send as a proof of transfer: real pictures and things pretending."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# Jakarta, give or take: what must never leave the buyer's phone inside a proof.
GPS_LATITUDE = (6.0, 12.0, 34.0)
GPS_LONGITUDE = (106.0, 49.0, 56.0)
CAMERA = "PhoneCam GPS-Test 9000"


def _picture(fmt: str, size=(120, 90), **options) -> bytes:
    image = Image.new("RGB", size)
    # Some detail, so encoders have something to compress.
    image.putdata(
        [
            ((x * 7) % 256, (y * 5) % 256, (x + y) % 256)
            for y in range(size[1])
            for x in range(size[0])
        ]
    )
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", GPS_LATITUDE
    gps[3], gps[4] = "E", GPS_LONGITUDE
    return _picture("JPEG", exif=exif.tobytes())


def png() -> bytes:
    return _picture("PNG")


def webp() -> bytes:
    return _picture("WEBP")


def gif() -> bytes:
    return _picture("GIF")


def truncated_jpeg() -> bytes:
    whole = _picture("JPEG", size=(400, 300), quality=95)
    return whole[: len(whole) // 2]


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims `width` × `height` pixels: a decompression bomb
    as far as anything reading the header is concerned."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
TEXT = b"Transfer done, trust me!\n"


def upload(content: bytes, name: str = "proof.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def proof_jpeg(name: str = "bukti-transfer.jpg"):
    return upload(jpeg_with_gps(), name)
