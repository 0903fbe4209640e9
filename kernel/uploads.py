"""Hostile request bodies are refused before they are read whole (DESIGN.md, Buyer access).

Two guards, both answering 413 with the normal page and "The picture is larger than 10 MB.":
- RequestSizeMiddleware compares the declared Content-Length with what the page can take
  (one picture plus the form for buyers, MAX_PHOTOS_PER_UPLOAD pictures in the dashboard) and
  refuses without reading a byte. Under WSGI the body can't be longer than it declares.
- SizeLimitUploadHandler, first in FILE_UPLOAD_HANDLERS, stops receiving a file as soon as it
  passes the picture limit (kernel/images.py), so nothing larger is ever written to disk.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.utils.translation import gettext as _

from kernel.images import MAX_BYTES

# The most pictures one dashboard form may carry (the campaign editor's photo upload).
MAX_PHOTOS_PER_UPLOAD = 10
# Room for the form's other fields and the multipart boundaries around a picture.
MARGIN = 1024 * 1024
# A file is cut off this far past the picture limit: the precise check is open_upload's.
FILE_MARGIN = 64 * 1024


def max_body(request) -> int:
    """The largest body this request may declare."""
    match = request.resolver_match
    if match is not None and "dashboard" in match.namespaces:
        return MAX_PHOTOS_PER_UPLOAD * MAX_BYTES + MARGIN
    return MAX_BYTES + MARGIN


def too_large(request):
    return render(
        request,
        "413.html",
        {"message": _("The picture is larger than 10 MB.")},
        status=413,
    )


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each file's bytes and stops the upload once one passes the picture limit."""

    limit = MAX_BYTES + FILE_MARGIN

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_too_large = True
            # The rest of the body is bounded by RequestSizeMiddleware; reading it keeps the
            # connection usable for the 413 page.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class RequestSizeMiddleware:
    """Refuses bodies larger than the page can take, before CSRF or a view reads them.

    In process_view, so the 413 page still gets every security header from the middleware
    around it; listed before CsrfViewMiddleware, whose process_view reads the POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_body(request):
            return too_large(request)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018  (parsed here, so the handler's verdict is known)
            if getattr(request, "upload_too_large", False):
                return too_large(request)
        return None
