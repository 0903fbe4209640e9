"""A buyer's payment through a gateway, from "Pay now" to credited.

1. `start_gateway_payment` (the request): one open transaction per order step, reused on a
   second click while it is payable; a new one when the amount due changed. No network: the
   worker opens it at the gateway (`open_transaction`) and the buyer's page follows it there.
2. What the gateway says, by webhook or by our status check (`check_transaction`), goes to
   `apply_notice`: kept as it came, then applied once under the order's lock. Paid with the
   amount asked → credited through payments/services/crediting.py, the one door; paid with
   another amount, or for an order that no longer waits for it → the seller's review queue.
   A paid transaction stays paid whatever comes after (a late "pending", an "expire").
3. `recheck_gateway_payments` (the tick) asks the gateway about transactions still pending
   after a few minutes, and about those past their expiry, in case a webhook was lost.
   While a transaction is open its order does not expire (orders/services/placing.py).
"""

import json
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction as db
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.exceptions import Refused
from kernel.money import quantize
from kernel.sentences import money, say, word
from orders.models import Order, OrderEvent
from payments.exceptions import GatewayRefused, NothingToPay, PaymentWaiting
from payments.models import GatewayConnection, GatewayNotification, GatewayTransaction, Payment
from payments.services.crediting import credit_payment, kind_word, lock_for_credit
from payments.services.gateways.clients import GatewayError, client_for
from payments.services.gateways.notices import Notice, State
from payments.services.ledger import STAGE, amount_paid, payment_due, still_owed

log = logging.getLogger(__name__)

Status = GatewayTransaction.Status
Outcome = GatewayNotification.Outcome
# Asked about when still pending this long after it was opened, and again as often.
CHECK_AFTER = timedelta(minutes=5)
# A transaction the worker has not opened at the gateway this long after "Pay now" is given up.
NOT_OPENED_AFTER = timedelta(minutes=15)
# A transaction the gateway never answers about is given up on this long after its expiry.
GIVE_UP_AFTER = timedelta(hours=6)


def gateway_fee(connection: GatewayConnection, amount):
    """The fee the buyer pays on top of `amount`, when the shop passes it on (rounded half up)."""
    fee = amount * connection.fee_percent / 100 + connection.fee_fixed
    return quantize(fee, "IDR")


def start_gateway_payment(*, order: Order, connection: GatewayConnection) -> GatewayTransaction:
    """The transaction a buyer pays the step their order waits for through, new or reused.

    Rules: the order waits for money (deposit or balance) and has no proof waiting for review;
    the connection is the order's shop's, offered to buyers, and the order is in rupiah; an open
    transaction of the same step, gateway and amount is reused (a second click, a second tab);
    one for another amount or gateway is replaced. The transaction is opened at the gateway by
    the worker once this commits (`open_transaction`).
    """
    if connection.shop_id != order.campaign.shop_id or not connection.is_active:
        raise GatewayRefused()
    if order.currency != "IDR":
        raise GatewayRefused(_("Paying online is only possible in rupiah."))
    now = timezone.now()
    with db.atomic():
        order = Order.objects.select_for_update().select_related("campaign").get(pk=order.pk)
        due = payment_due(order, paid=amount_paid(order))
        if due is None:
            raise NothingToPay()
        if order.payments.filter(status=Payment.Status.SUBMITTED).exists():
            raise PaymentWaiting()
        current = (
            order.gateway_transactions.select_for_update()
            .filter(kind=due.kind, status__in=GatewayTransaction.OPEN)
            .first()
        )
        if current is not None:
            if (
                current.connection_id == connection.pk
                and current.amount == due.amount
                and (current.status == Status.CREATING or current.expires_at > now)
            ):
                return current
            current.status = Status.REPLACED
            current.save(update_fields=["status"])
        fee = gateway_fee(connection, due.amount)
        created = GatewayTransaction.objects.create(
            order=order,
            connection=connection,
            provider=connection.provider,
            kind=due.kind,
            reference=f"OPO-{order.code}-{secrets.token_hex(3).upper()}",
            amount=due.amount,
            fee=fee,
            gross=due.amount + fee,
            expires_at=now + timedelta(minutes=settings.GATEWAY_PAYMENT_MINUTES),
        )
        db.on_commit(lambda: open_transaction.enqueue(transaction_id=created.pk))
    return created


@task
def open_transaction(*, transaction_id: int) -> None:
    """Open the payment page at the gateway (the worker: network, with a timeout). A gateway
    that says no marks the transaction failed: the buyer's page says so and offers to try again."""
    txn = (
        GatewayTransaction.objects.select_related("connection", "order__campaign")
        .filter(pk=transaction_id, status=Status.CREATING)
        .first()
    )
    if txn is None:
        return
    return_url = settings.SITE_URL.rstrip("/") + txn.order.get_absolute_url()
    try:
        opened = client_for(txn.connection).open(
            txn, minutes=settings.GATEWAY_PAYMENT_MINUTES, return_url=return_url
        )
    except GatewayError as error:
        log.warning("Gateway transaction %s not opened: %s", txn.reference, error)
        GatewayTransaction.objects.filter(pk=txn.pk, status=Status.CREATING).update(
            status=Status.FAILED, error=str(error)[:300]
        )
        return
    GatewayTransaction.objects.filter(pk=txn.pk, status=Status.CREATING).update(
        status=Status.PENDING, gateway_id=opened.gateway_id, redirect_url=opened.redirect_url
    )


def apply_notice(
    *, notice: Notice, transaction: GatewayTransaction, body: str, source: str
) -> GatewayNotification:
    """Keep what the gateway said and apply it, once (the rules are this module's docstring).

    One transaction under the order's lock (campaign, order, then the gateway transaction), so
    the same notification delivered ten times, or twice at once, credits once."""
    with db.atomic():
        order = lock_for_credit(transaction.order_id)
        txn = GatewayTransaction.objects.select_for_update().get(pk=transaction.pk)
        outcome = _apply(notice, txn, order)
        return GatewayNotification.objects.create(
            transaction=txn, source=source, body=body, state=notice.status[:40], outcome=outcome
        )


def _apply(notice: Notice, txn: GatewayTransaction, order: Order) -> str:
    if txn.status == Status.PAID:
        return Outcome.IGNORED  # paid stays paid: duplicates and late news change nothing
    if notice.gateway_id and not txn.gateway_id:
        txn.gateway_id = notice.gateway_id[:100]
    if notice.state == State.PAID:
        return _paid(notice, txn, order)
    if notice.state == State.PENDING and txn.status == Status.CREATING:
        txn.status = Status.PENDING
    elif notice.state in (State.EXPIRED, State.FAILED) and txn.is_open:
        txn.status = Status.EXPIRED if notice.state == State.EXPIRED else Status.FAILED
    else:
        txn.save(update_fields=["gateway_id"])
        return Outcome.IGNORED
    txn.save(update_fields=["status", "gateway_id"])
    return Outcome.UPDATED


def _paid(notice: Notice, txn: GatewayTransaction, order: Order) -> str:
    """The buyer paid: credit it, or leave it to the seller when it is not what was asked."""
    txn.status, txn.paid_at, txn.method = Status.PAID, timezone.now(), notice.method[:40]
    txn.save(update_fields=["status", "paid_at", "method", "gateway_id"])
    received = notice.amount if notice.amount is not None else txn.gross

    def new_payment() -> Payment:
        return Payment(
            order=order,
            kind=txn.kind,
            source=Payment.Source.GATEWAY,
            amount=received,
            sender_name=order.buyer_name[:100],
            sender_bank=f"{txn.get_provider_display()} · {notice.method}"[:60].rstrip(" ·"),
            gateway_transaction=txn,
            received_on=timezone.localdate(),
        )

    paid = amount_paid(order)
    waiting_status, _ = STAGE[txn.kind]
    as_asked = received == txn.gross
    waits = order.status == waiting_status and still_owed(order, txn.kind, paid=paid) == txn.amount
    if as_asked and (waits or order.status not in Order.ACTIVE):
        try:
            with db.atomic():  # a savepoint: a rule that says no leaves it to the seller
                # What the buyer paid on top was the gateway's fee: the order gets its part.
                credit_payment(
                    order=order,
                    payment=new_payment(),
                    amount=txn.amount,
                    actor=None,
                    paid_before=paid,
                )
            return Outcome.CREDITED
        except Refused:
            log.exception("Gateway payment %s not credited; sent to review.", txn.reference)
    new_payment().save()
    if not as_asked:
        note = say(
            "Payment of %(amount)s arrived through %(gateway)s, but %(asked)s was asked: "
            "it waits for the seller's review.",
            amount=money(received, order.currency),
            gateway=word(txn.get_provider_display()),
            asked=money(txn.gross, order.currency),
        )
    else:
        note = say(
            "Payment of %(amount)s arrived through %(gateway)s for the %(kind)s, which the "
            "order no longer waits for: it waits for the seller's review.",
            amount=money(received, order.currency),
            gateway=word(txn.get_provider_display()),
            kind=kind_word(txn.kind),
        )
    OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.PAYMENT, note=note)
    return Outcome.REVIEW


def recheck_gateway_payments(*, now: datetime) -> int:
    """Queue a status check of every open transaction the gateway has been quiet about: pending
    for CHECK_AFTER since it was opened or last checked (and fail those the worker never
    opened). Each is claimed by one conditional UPDATE, so two ticks at once queue it once.
    Returns how many were queued."""
    # Never opened (no worker ran it): no buyer can pay it, so it holds its order no longer.
    GatewayTransaction.objects.filter(
        status=Status.CREATING, created_at__lte=now - NOT_OPENED_AFTER
    ).update(status=Status.FAILED, error="Not opened at the gateway in time.")
    due = GatewayTransaction.objects.filter(
        status=Status.PENDING, created_at__lte=now - CHECK_AFTER
    ).exclude(checked_at__gt=now - CHECK_AFTER)
    queued = 0
    for pk, checked_at in list(due.values_list("pk", "checked_at")[:500]):
        claimed = GatewayTransaction.objects.filter(pk=pk, checked_at=checked_at).update(
            checked_at=now
        )
        if claimed:
            db.on_commit(lambda pk=pk: check_transaction.enqueue(transaction_id=pk))
            queued += 1
    return queued


@task
def check_transaction(*, transaction_id: int) -> None:
    """Ask the gateway how a pending transaction stands, and apply the answer like a webhook."""
    txn = (
        GatewayTransaction.objects.select_related("connection")
        .filter(pk=transaction_id, status=Status.PENDING)
        .first()
    )
    if txn is None:
        return
    try:
        answer = client_for(txn.connection).status(txn)
    except GatewayError as error:
        log.warning("Gateway transaction %s not checked: %s", txn.reference, error)
        answer = None
        if timezone.now() < txn.expires_at + GIVE_UP_AFTER:
            return
    if answer is None:
        if timezone.now() >= txn.expires_at:
            # Unknown to the gateway (never paid) and past its time: it can no longer be paid.
            notice = Notice(reference=txn.reference, state=State.EXPIRED, status="", amount=None)
            apply_notice(notice=notice, transaction=txn, body="", source="status")
        return
    notice, data = answer
    apply_notice(notice=notice, transaction=txn, body=json.dumps(data), source="status")
