"""Refunds sent back through the gateway the money came by, where it has a refund call
(Midtrans: cards, GoPay, ShopeePay, QRIS). Xendit invoices have none: such refunds are sent by
transfer and marked sent by hand, like every other refund (payments/services/refunds.py)."""

import logging

from django.db import transaction
from django.db.models import Sum
from django.tasks import task
from django.utils.translation import gettext as _

from kernel.sentences import money, say, word
from orders.models import Order, OrderEvent
from payments.exceptions import GatewayRefused, RefundAlreadySent
from payments.models import GatewayTransaction, Provider, Refund
from payments.services.gateways.clients import GatewayError, client_for
from payments.services.refunds import mark_refund_sent

log = logging.getLogger(__name__)

# The gateways whose API can send money back.
REFUNDABLE = (Provider.MIDTRANS,)


def gateway_for_refund(order: Order, amount, *, exclude: int | None = None):
    """The order's paid gateway transaction that can still refund `amount`, or None."""
    paid = order.gateway_transactions.filter(
        status=GatewayTransaction.Status.PAID, provider__in=REFUNDABLE
    ).order_by("-paid_at")
    for txn in paid:
        taken = txn.refunds.exclude(pk=exclude).aggregate(total=Sum("amount"))["total"] or 0
        if txn.amount - taken >= amount:
            return txn
    return None


def refund_through_gateway(*, refund: Refund, actor) -> Refund:
    """Have the worker send `refund` back through the gateway the order paid by.

    Rules: the refund is still to send, and not already on its way through a gateway; one of
    the order's payments came through a gateway with a refund call and has at least this much
    left to refund. The refund is marked sent when the gateway accepts it; if it refuses, the
    timeline says so and the refund waits to be sent by hand."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status == Refund.Status.SENT:
            raise RefundAlreadySent()
        if locked.gateway_transaction_id is not None:
            raise GatewayRefused(_("This refund is already on its way through the gateway."))
        txn = gateway_for_refund(order, locked.amount, exclude=locked.pk)
        if txn is None:
            raise GatewayRefused(
                _(
                    "No payment of this order can be refunded through a gateway: send it by "
                    "transfer and mark it sent."
                )
            )
        locked.gateway_transaction = txn
        locked.save(update_fields=["gateway_transaction"])
        OrderEvent.objects.create(
            order=order,
            kind=OrderEvent.Kind.REFUND,
            actor=actor,
            note=say(
                "Refund of %(amount)s asked from %(gateway)s.",
                amount=money(locked.amount, order.currency),
                gateway=word(txn.get_provider_display()),
            ),
        )
        transaction.on_commit(lambda: send_gateway_refund.enqueue(refund_id=locked.pk))
    return locked


@task
def send_gateway_refund(*, refund_id: int) -> None:
    """The worker asks the gateway to send the refund (its refund key makes a retry harmless)."""
    refund = (
        Refund.objects.select_related("gateway_transaction__connection", "order")
        .filter(pk=refund_id, status=Refund.Status.PENDING)
        .first()
    )
    if refund is None or refund.gateway_transaction is None:
        return
    txn = refund.gateway_transaction
    try:
        key = client_for(txn.connection).refund(
            txn, amount=refund.amount, key=f"openpo-refund-{refund.pk}", reason=str(refund.reason)
        )
    except GatewayError as error:
        log.warning("Refund %s not sent through %s: %s", refund.pk, txn.provider, error)
        with transaction.atomic():
            Refund.objects.filter(pk=refund.pk).update(gateway_transaction=None)
            OrderEvent.objects.create(
                order=refund.order,
                kind=OrderEvent.Kind.REFUND,
                note=say(
                    "%(gateway)s did not send the refund of %(amount)s: send it by transfer "
                    "and mark it sent.",
                    gateway=word(txn.get_provider_display()),
                    amount=money(refund.amount, refund.order.currency),
                ),
            )
        return
    mark_refund_sent(refund=refund, reference=f"{txn.get_provider_display()} {key}", actor=None)
