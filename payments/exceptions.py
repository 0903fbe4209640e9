"""Why a payment was refused: each carries the sentence the buyer or the seller reads."""

from django.utils.translation import gettext_lazy as _


class PaymentRefused(Exception):
    """Base for every refusal by the payment rules; nothing has been written when raised."""

    message = _("This payment could not be recorded.")
    http_status = 400

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class NothingToPay(PaymentRefused):
    message = _("This order is not waiting for a payment.")
    http_status = 409


class PaymentWaiting(PaymentRefused):
    message = _(
        "Your last payment is still waiting for the seller's review. "
        "You can send another one once it has been checked."
    )
    http_status = 409


class InvalidAmount(PaymentRefused):
    pass


class InvalidSender(PaymentRefused):
    pass


class InvalidProof(PaymentRefused):
    pass


class AlreadyReviewed(PaymentRefused):
    message = _("This payment has already been reviewed.")
    http_status = 409


class InvalidReview(PaymentRefused):
    pass
