"""Why a payment was refused: each carries the sentence the buyer or the seller reads."""

from django.utils.translation import gettext_lazy as _

from kernel.exceptions import Refused


class PaymentRefused(Refused):
    """Base for every refusal by the payment rules."""

    message = _("This payment could not be recorded.")


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


# --- cancelling and refunding (payments/services/cancellations.py, refunds.py) ------------------


class CancelRefused(PaymentRefused):
    """An order or a campaign that cannot be cancelled (or failed) as asked."""

    message = _("This can no longer be cancelled. Nothing changed.")
    http_status = 409


class InvalidReason(PaymentRefused):
    pass


class RefundRefused(PaymentRefused):
    message = _("This refund could not be recorded.")
    http_status = 409


class RefundTooLarge(RefundRefused):
    """Refunds never add up to more than the order paid."""


class RefundAlreadySent(RefundRefused):
    message = _("This refund has already been sent.")


class InvalidRefund(RefundRefused):
    """Bank details, a reference or a proof that does not fit; said beside `field`."""

    http_status = 400


class BalanceRefused(PaymentRefused):
    """An overdue balance that cannot be cancelled or extended as asked."""

    http_status = 409


# --- campaign decisions (payments/services/decisions.py) ----------------------------------------


class DecisionRefused(Refused):
    """A campaign decision (go, finish, extend) the rules refuse."""

    message = _("This decision could not be made.")


# --- bank statements (payments/services/statements.py, crediting.py) ----------------------------


class StatementRefused(PaymentRefused):
    """A statement file, or a line of one, that cannot be used as asked; nothing changed."""

    message = _("This statement could not be imported.")


class StatementUnreadable(StatementRefused):
    """The file is not a statement of the layout chosen (or not text at all)."""


class LineAlreadyHandled(StatementRefused):
    message = _("This statement line has already been credited or dismissed.")
    http_status = 409


# --- payment gateways (payments/services/gateways/) ---------------------------------------------


class GatewayRefused(PaymentRefused):
    """A gateway connection, payment or refund the rules refuse; nothing changed."""

    message = _("Paying online is not available for this order right now.")
