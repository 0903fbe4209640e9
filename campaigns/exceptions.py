"""Why a change to a shop or a campaign was refused: each carries the sentence the seller reads."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from kernel.exceptions import Refused

# --- the campaign editor and the campaign's status ---------------------------------------------


class CampaignRuleBroken(Refused):
    """A change the campaign rules refuse. `field` is the Campaign field of the same name; when
    several rules are broken at once, `errors` holds every message by field."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: dict[str | None, list[str]] | None = None,
    ):
        super().__init__(message, field=field)
        self.errors = errors or {field: [message]}

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "CampaignRuleBroken":
        if not hasattr(error, "error_dict"):
            return cls(error.messages[0])
        errors = {
            None if field == NON_FIELD_ERRORS else field: messages
            for field, messages in error.message_dict.items()
        }
        field, messages = next(iter(errors.items()))
        return cls(messages[0], field=field, errors=errors)


class CampaignMoveNotAllowed(Refused):
    """A status change campaigns/services/transitions.py does not allow: a bug in the caller,
    or two people deciding at once (the second finds the campaign moved)."""

    def __init__(self, campaign, to: str):
        self.campaign, self.to = campaign, to
        super().__init__(f"Campaign {campaign.pk} cannot move from {campaign.status} to {to}.")


# --- shops and their members --------------------------------------------------------------------


class ShopRefused(Refused):
    """Base for every request the shop rules refuse; `field` is the form field of the same name."""


class UsernameTaken(ShopRefused):
    message = _("That username is taken; choose another.")
    field = "username"


class EmailTaken(ShopRefused):
    message = _("An OpenPO account already uses that email. Log in, or reset your password.")
    field = "email"


class ShopSlugTaken(ShopRefused):
    message = _("Another shop uses that web address; choose another.")
    field = "shop_slug"


class AlreadyMember(ShopRefused):
    message = _("That account is already a member of this shop.")
    field = "email"


class OwnerOnly(ShopRefused):
    message = _("Only the shop's owners can do this.")
    http_status = 403


class OwnerStays(ShopRefused):
    message = _("The shop's founder stays its owner: they cannot be removed or given another role.")


class InvitationClosed(ShopRefused):
    message = _(
        "This invitation link is no longer valid: it was used, withdrawn or is too old. "
        "Ask the shop's owner for a new one."
    )
    http_status = 404


# --- ongkir (campaigns/services/shipping.py) ----------------------------------------------------


class DestinationRefused(Refused):
    message = _("Choose your city or regency from the list.")


class ShippingRefused(Refused):
    message = _("These shipping settings could not be saved.")
