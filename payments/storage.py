"""Where proofs of payment are kept: a folder no URL leads to.

Proofs show a buyer's name, bank and account number, so they live under PRIVATE_MEDIA_ROOT,
outside MEDIA_ROOT, and are only read back by views that check the order's token or the shop
membership (DESIGN.md, Buyer access and privacy).
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage rooted at PRIVATE_MEDIA_ROOT that refuses to make URLs."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        # Tests point PRIVATE_MEDIA_ROOT at a temporary folder.
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; a view that checks access serves them.")


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of proof files (a callable, so migrations never record a path)."""
    return _private


@checks.register(checks.Tags.security)
def check_private_root(app_configs=None, **kwargs):
    """PRIVATE_MEDIA_ROOT must not sit inside a folder the site serves."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and private.is_relative_to(Path(public).resolve()):
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) is inside {name}: proofs of payment "
                    "would be public.",
                    hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT and STATIC_ROOT.",
                    id="payments.E001",
                )
            )
    return errors
