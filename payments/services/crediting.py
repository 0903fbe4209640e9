"""The one door money comes in by. A proof the seller reviewed, a bank statement line, a payment
the seller recorded by hand (and, later, a gateway's notification) all end in `credit_payment`:
the same locks, the same ledger, the same timeline and the same e-mails (DESIGN.md, Money).

Locks are taken campaign first, then the order, then its payment or statement line: the order
campaign decisions and cancellations take them in. A verified payment moves its order on through
orders.services.transitions.move_order, the one door for status changes; payments call orders,
never the other way round.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from kernel.money import format_money
from kernel.sentences import Sentence, day, money, say, word
from orders.models import Order, OrderEvent
from orders.services.transfer_codes import claim_transfer_amount
from orders.services.transitions import move_order
from payments import emails
from payments.exceptions import (
    InvalidAmount,
    LineAlreadyHandled,
    NothingToPay,
    StatementRefused,
)
from payments.models import Payment, StatementLine
from payments.services.decisions import join_production
from payments.services.ledger import STAGE, Due, amount_paid, payment_due, still_owed
from payments.services.refunds import refund_late_payment


def lock_for_credit(order_id: int) -> Order:
    """Lock the order's campaign, then the order, and return the order (with its shop)."""
    # The campaign first: the order may join production (which locks the campaign) or, stopped,
    # send the money straight back as a refund.
    Campaign.objects.select_for_update(of=("self",)).filter(orders=order_id).exists()
    # Locked before any sum: two payments of one order credited at once both see the other.
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("campaign__shop")
        .get(pk=order_id)
    )


def check_creditable(order: Order, amount: Decimal, *, paid: Decimal) -> Due:
    """What `order` waits for, if `amount` may be credited to it without the seller's eyes.

    Money found in the bank or recorded by hand goes to an order that waits for money, and never
    beyond what the whole order still owes plus its unique code: a wrong match cannot make an
    order paid more than its price."""
    due = payment_due(order, paid=paid)
    if due is None:
        raise NothingToPay(
            _("Order %(code)s is “%(status)s”: it is not waiting for a payment.")
            % {"code": order.code, "status": order.get_status_display()}
        )
    limit = still_owed(order, Payment.Kind.BALANCE, paid=paid) + order.transfer_code
    if amount > limit:
        raise InvalidAmount(
            _("%(amount)s is more than order %(code)s still owes (%(limit)s).")
            % {
                "amount": format_money(amount, order.currency),
                "code": order.code,
                "limit": format_money(limit, order.currency),
            }
        )
    return due


def credit_payment(
    *,
    order: Order,
    payment: Payment,
    amount: Decimal,
    actor,
    paid_before: Decimal | None = None,
) -> Payment:
    """Count `payment` as received (`amount` arrived) and move its order on. The caller holds
    the locks (lock_for_credit) inside its transaction; `payment` is unsaved, or locked (not yet
    counted); `paid_before`, what the order had paid, when the caller read it under those locks.

    Rules: a deposit that brings paid to the order's deposit confirms a pending order; a balance
    that brings paid to the subtotal marks an order awaiting its balance as paid; short of that
    the payment counts, the order stays, the timeline says what is missing and the rest gets its
    own exact amount to transfer. An order confirmed after its campaign went into production
    joins it; money for an order that stopped goes straight back as a refund. The buyer is
    e-mailed once the transaction commits.
    """
    payment.order = order
    payment.status = Payment.Status.VERIFIED
    payment.amount_received = amount
    payment.reviewed_by = actor
    payment.reviewed_at = timezone.now()
    payment.save()

    paid = amount_paid(order) if paid_before is None else paid_before + amount
    waiting_status, next_status = STAGE[payment.kind]
    missing = still_owed(order, payment.kind, paid=paid)
    OrderEvent.objects.create(
        order=order,
        kind=OrderEvent.Kind.PAYMENT,
        actor=actor,
        note=_received_note(payment, order, missing=missing, waited=order.status == waiting_status),
    )
    if order.status == waiting_status and missing > 0:
        # Part paid: what is left gets its own exact amount to transfer.
        claim_transfer_amount(order=order, kind=payment.kind, owed=missing)
    if order.status == waiting_status and missing <= 0:
        move_order(order=order, to=next_status, actor=actor)
        if next_status == Order.Status.CONFIRMED:
            # Paid in time, but the campaign may have gone into production meanwhile.
            join_production(order=order, actor=actor)
    if order.status not in Order.ACTIVE:
        # Money for an order that stopped meanwhile goes straight back
        # (payments/services/refunds.py).
        refund_late_payment(order=order, amount=amount, actor=actor)
    emails.payment_received(payment, order, paid=paid)
    return payment


def credit_statement_line(*, line: StatementLine, order: Order, actor) -> Payment:
    """Credit a line of the shop's bank statement to one of its orders: the money arrived.

    Rules: the line is still open (locked, so a line is credited once however many people click);
    the order is the line's shop's and waits for money, and the line's amount is within what it
    still owes (check_creditable). A proof of the order still waiting for review is that same
    money: it is verified with the line as its evidence rather than counted again. One
    transaction; a refusal changes nothing.
    """
    with transaction.atomic():
        order = lock_for_credit(order.pk)
        line = StatementLine.objects.select_for_update().get(pk=line.pk)
        if line.shop_id != order.campaign.shop_id:
            raise StatementRefused()
        if line.status != StatementLine.Status.OPEN:
            raise LineAlreadyHandled()
        paid = amount_paid(order)
        due = check_creditable(order, line.amount, paid=paid)
        payment = order.payments.select_for_update().filter(
            status=Payment.Status.SUBMITTED
        ).first() or Payment(
            order=order,
            kind=due.kind,
            source=Payment.Source.STATEMENT,
            amount=line.amount,
            unique_code=order.transfer_code,
        )
        payment.statement_line = line
        payment.received_on = line.booked_on
        line.status = StatementLine.Status.CREDITED
        line.handled_by = actor
        line.handled_at = timezone.now()
        line.save(update_fields=["status", "handled_by", "handled_at"])
        return credit_payment(
            order=order, payment=payment, amount=line.amount, actor=actor, paid_before=paid
        )


def _received_note(payment: Payment, order: Order, *, missing: Decimal, waited: bool) -> Sentence:
    """The timeline's sentence: what arrived, for which step, and how it was confirmed."""
    amount, kind = money(payment.amount_received, order.currency), kind_word(payment.kind)
    if not waited:
        note = say(
            "Payment of %(amount)s received for the %(kind)s; the order is “%(status)s”, "
            "so it stays as it is.",
            amount=amount,
            kind=kind,
            status=word(order.get_status_display()),
        )
    elif missing > 0:
        note = say(
            "Payment of %(amount)s received for the %(kind)s; %(missing)s is still missing.",
            amount=amount,
            kind=kind,
            missing=money(missing, order.currency),
        )
    else:
        note = say("Payment of %(amount)s received for the %(kind)s.", amount=amount, kind=kind)
    if payment.statement_line is not None:
        note += say("Found in the bank statement of %(date)s.", date=day(payment.received_on))
    elif payment.gateway_transaction is not None:
        note += say(
            "Paid through %(gateway)s.",
            gateway=word(payment.gateway_transaction.get_provider_display()),
        )
    elif payment.source == Payment.Source.RECORDED:
        note += say(
            "Recorded by hand: %(method)s, received %(date)s.",
            method=word(payment.get_method_display(), lower=True),
            date=day(payment.received_on),
        )
    return note


KIND_WORDS = {
    Payment.Kind.DEPOSIT: gettext_lazy("down payment"),
    Payment.Kind.BALANCE: gettext_lazy("balance"),
}


def kind_word(kind: str) -> dict:
    """The step a payment pays, as a word in the middle of a sentence."""
    return word(KIND_WORDS[kind])
