"""The one shape of a refusal: a rule said no, nothing was written, and here is why."""

from django.utils.translation import gettext_lazy as _


class Refused(Exception):
    """Base of every refusal the services raise; nothing has been written when it is raised.

    `message` is the sentence the buyer or seller reads (each kind has its default); `field`
    names the form field it is about, or None for the request as a whole; `http_status` is what
    a page answers with it. Views and the admin catch this one class, never a bare Exception.
    """

    message = _("This could not be done.")
    field: str | None = None
    http_status = 400

    def __init__(self, message=None, *, field: str | None = None):
        if message is not None:
            self.message = message
        if field is not None:
            self.field = field
        super().__init__(str(self.message))
