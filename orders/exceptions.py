"""Why an order was refused: each carries the sentence the buyer reads."""

from django.utils.translation import gettext_lazy as _


class OrderRefused(Exception):
    """Base for every refusal by the ordering rules; nothing has been written when raised."""

    message = _("This order could not be placed.")
    http_status = 400

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


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


class TransitionNotAllowed(Exception):
    def __init__(self, order, to):
        super().__init__(f"Order {order.code} cannot move from {order.status} to {to}.")
