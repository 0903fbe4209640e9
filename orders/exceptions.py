"""Why an order, its shipping or a message to its buyers was refused: each carries the sentence
the buyer or seller reads."""

from django.utils.translation import gettext_lazy as _

from kernel.exceptions import Refused

# --- placing an order (orders/services/placing.py) ----------------------------------------------


class OrderRefused(Refused):
    """Base for every refusal by the ordering rules."""

    message = _("This order could not be placed.")


class CampaignNotOpen(OrderRefused):
    http_status = 409


class SoldOut(OrderRefused):
    message = _("Sold out: there are not enough units left for this order.")
    http_status = 409


class InvalidLines(OrderRefused):
    pass


class LimitExceeded(OrderRefused):
    pass


class FormAlreadyUsed(OrderRefused):
    message = _("This form was already used to place an order. Reload the page to order again.")
    http_status = 409


# --- moving an order (orders/services/transitions.py) -------------------------------------------


class TransitionNotAllowed(Refused):
    """A status change the transition table does not allow: a bug in the caller, or two people
    acting at once (the second finds the order moved)."""

    def __init__(self, order, to):
        super().__init__(f"Order {order.code} cannot move from {order.status} to {to}.")


# --- shipping and completing (orders/services/fulfilment.py) ------------------------------------


class ShippingRefused(Refused):
    message = _("This order could not be shipped.")


# --- what the seller tells buyers (announcements.py, revisions.py) -------------------------------


class AnnouncementRefused(Refused):
    """An update the rules refuse; nothing is stored or sent."""


class RevisionRefused(Refused):
    """A revision of the estimated dates the rules refuse; nothing is stored or sent."""


# --- the kode unik (orders/services/transfer_codes.py) ------------------------------------------


class TransferCodesExhausted(OrderRefused):
    """Every code up to the widest range is taken for this amount by orders waiting for money."""

    message = _(
        "So many orders are waiting for a payment of this same amount that no unique transfer "
        "code is left for it. Please try again once some of them are paid."
    )
    http_status = 409


# --- the waiting list (orders/services/waitlist.py) -------------------------------------------


class WaitlistRefused(Refused):
    """Joining, leaving or ordering from the waiting list, refused; nothing changed."""

    message = _("The waiting list could not take this.")
    http_status = 409
