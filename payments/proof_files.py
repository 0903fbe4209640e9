"""Sending a proof of payment back to someone allowed to see it, and to nobody's cache."""

from django.http import FileResponse, Http404


def private_image(file) -> FileResponse:
    """The stored picture (always WebP: we re-encoded it), never cached, never sniffed."""
    if not file:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/webp")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
