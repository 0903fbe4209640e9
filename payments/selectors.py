"""Reads for the payment pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Shop
from kernel.queries import HasRows, rows_of
from orders.models import Order, TransferAmount
from payments.models import (
    GatewayConnection,
    GatewayTransaction,
    Payment,
    PaymentAccount,
    Provider,
    Refund,
    StatementImport,
    StatementLine,
)
from payments.services.gateways.refunds import REFUNDABLE
from payments.services.gateways.transactions import gateway_fee
from payments.services.ledger import (
    ZERO,
    Due,
    paid_in,
    paid_sql,
    payment_due,
    refundable_in,
    refundable_sql,
)


def accounts_for_buyers(shop: Shop):
    return PaymentAccount.objects.filter(shop=shop, is_active=True)


# --- the buyer's order page ---------------------------------------------------------------------


def order_page_hints() -> dict:
    """Flags for orders.selectors.order_for_buyer to read in the order's own query: whether the
    order has payments, refunds, and whether its shop has payment accounts or gateways shown to
    buyers. Each one False spares the page a query (a new order has no payments, most campaigns
    no updates); True leaves the query to say what there is. Read in the same statement as the
    order, they agree with it."""
    shop = F("campaign__shop_id")
    return {
        "has_payments": HasRows(Payment, order=F("pk")),
        "has_refunds": HasRows(Refund, order=F("pk")),
        "shop_has_accounts": HasRows(PaymentAccount, shop=shop, is_active=True),
        # Any active connection: gateway_offers then reads which of them it may offer.
        "shop_has_gateways": HasRows(GatewayConnection, shop=shop, is_active=True),
    }


def _may_have(order: Order, hint: str) -> bool:
    """False only when the order was loaded with order_page_hints and `hint` says there is none."""
    return getattr(order, hint, True)


def accounts_for_order(order: Order) -> list[PaymentAccount]:
    """Where the order's buyer may pay: the shop's accounts shown to buyers, as
    accounts_for_buyers in one query of SQL written once (none where order_page_hints say the
    shop has none)."""
    if not _may_have(order, "shop_has_accounts"):
        return []
    return [a for a in rows_of(PaymentAccount, "shop", order.campaign.shop_id) if a.is_active]


@dataclass(frozen=True)
class OrderPayments:
    """An order's payments as its buyer sees them, and what is due next."""

    order: Order
    payments: list[Payment]
    paid: Decimal
    due: Due | None
    refunds: list[Refund] = field(default_factory=list)

    @property
    def waiting(self) -> Payment | None:
        """The payment waiting for the seller's review; none can be sent meanwhile."""
        return next((p for p in self.payments if p.status == Payment.Status.SUBMITTED), None)

    @property
    def can_pay(self) -> bool:
        return self.due is not None and self.waiting is None

    @property
    def rejected(self) -> Payment | None:
        """The buyer's last payment, when the seller turned it down and it is still to send
        again: the first thing the order page says."""
        last = self.payments[-1] if self.payments else None
        if last is not None and last.status == Payment.Status.REJECTED and self.can_pay:
            return last
        return None

    @property
    def refundable(self) -> Decimal:
        """What the order could still refund beyond the refunds already asked for."""
        return refundable_in(self.payments, self.refunds)

    @property
    def deposit_received(self) -> bool:
        """A verified deposit covers the order's deposit (the status may not say so yet)."""
        return self.paid >= self.order.deposit_amount and any(
            p.kind == Payment.Kind.DEPOSIT and p.status == Payment.Status.VERIFIED
            for p in self.payments
        )


def order_payments(order: Order) -> OrderPayments:
    """In one query (two for an order that stopped; none where order_page_hints say there are
    none): the order's payments and refunds, oldest first, with what they add up to."""
    payments = []
    if _may_have(order, "has_payments"):
        payments = list(
            order.payments.select_related(
                "reviewed_by", "statement_line__statement", "gateway_transaction"
            ).defer("statement_line__statement__text")
        )
    # Refunds are only ever made for orders that stopped (payments/services/refunds.py): an active
    # order's page spares the query.
    refunds = []
    if order.status not in Order.ACTIVE and _may_have(order, "has_refunds"):
        refunds = list(order.refunds.all())
    for row in (*payments, *refunds):
        row.order = order  # already loaded: spare a query per row
    paid = paid_in(payments, refunds)
    return OrderPayments(
        order=order,
        payments=payments,
        paid=paid,
        due=payment_due(order, paid=paid),
        refunds=refunds,
    )


def payments_to_review(shop: Shop) -> QuerySet[Payment]:
    """The shop's payments waiting for review, oldest first, with their orders and each order's
    other payments and refunds (for what is still owed): four queries whatever their number."""
    return (
        Payment.objects.filter(order__campaign__shop=shop, status=Payment.Status.SUBMITTED)
        .select_related("order__campaign")
        .prefetch_related(
            Prefetch("order__payments", queryset=Payment.objects.order_by()),
            Prefetch("order__refunds", queryset=Refund.objects.order_by()),
        )
        .order_by("created_at", "id")
    )


def shop_payment(shop: Shop, payment_id: int) -> Payment:
    """One payment of the shop's orders; DoesNotExist for another shop's."""
    return Payment.objects.select_related("order").get(order__campaign__shop=shop, pk=payment_id)


def buyer_payment(token: str, payment_id: int) -> Payment:
    """One payment of the order behind `token`; DoesNotExist for any other."""
    return Payment.objects.get(order__token=token, pk=payment_id)


# --- refunds and the decisions that make them ---------------------------------------------------


def shop_refunds(shop: Shop) -> QuerySet[Refund]:
    """The shop's refunds: those to send first, oldest first, then those sent, latest first."""
    return (
        Refund.objects.filter(order__campaign__shop=shop)
        .select_related("order__campaign", "sent_by")
        .annotate(to_send=Case(When(status=Refund.Status.PENDING, then=Value(0)), default=Value(1)))
        .order_by("to_send", F("sent_at").desc(nulls_last=True), "created_at", "id")
    )


def refunds_to_send(shop: Shop) -> dict:
    """How many refunds wait to be sent, and their total: one query."""
    return Refund.objects.filter(
        order__campaign__shop=shop, status=Refund.Status.PENDING
    ).aggregate(count=Count("id"), total=Sum("amount", default=ZERO))


def shop_refund(shop: Shop, refund_id: int) -> Refund:
    """One refund of the shop's orders; DoesNotExist for another shop's."""
    return Refund.objects.select_related("order__campaign__shop").get(
        order__campaign__shop=shop, pk=refund_id
    )


def buyer_refund(token: str, refund_id: int) -> Refund:
    """One refund of the order behind `token`; DoesNotExist for any other."""
    return Refund.objects.select_related("order").get(order__token=token, pk=refund_id)


def overdue_balances(shop: Shop, now: datetime) -> QuerySet[Order]:
    """The shop's orders whose balance is past due, longest overdue first, each with what it
    paid and whether a payment of it waits for review: one query a page."""
    waiting = Payment.objects.filter(order=OuterRef("pk"), status=Payment.Status.SUBMITTED)
    return (
        Order.objects.filter(
            campaign__shop=shop,
            status=Order.Status.AWAITING_BALANCE,
            balance_due_at__lt=now,
        )
        .select_related("campaign")
        .annotate(paid=paid_sql(), payment_waiting=Exists(waiting))
        .order_by("balance_due_at", "id")
    )


@dataclass(frozen=True)
class StopPreview:
    """What failing or cancelling a campaign would do: the orders it cancels, the money back."""

    orders: int
    refunds: int
    total: Decimal


def campaign_stop_preview(campaign) -> StopPreview:
    """In one query: the campaign's active orders, and what each would get back."""
    figures = (
        Order.objects.filter(campaign=campaign, status__in=Order.ACTIVE)
        .annotate(refundable=refundable_sql())
        .aggregate(
            orders=Count("id"),
            refunds=Count("id", filter=Q(refundable__gt=0)),
            total=Sum("refundable", filter=Q(refundable__gt=0), default=ZERO),
        )
    )
    return StopPreview(**figures)


# --- is the shop ready to sell ------------------------------------------------------------------


def missing_payment_method(shop: Shop) -> str | None:
    """Publishing waits for somewhere buyers can pay (campaigns' SHOP_READY_CHECKS)."""
    if accounts_for_buyers(shop).exists():
        return None
    return _("Add where buyers pay (a bank account, an e-wallet or a QR code) before publishing.")


@dataclass(frozen=True)
class FirstSteps:
    """What a new shop still has to do before it sells, as the dashboard home lists it."""

    details: bool  # the policy buyers read: cancellation and refunds
    whatsapp: bool
    payment_account: bool
    campaign: bool  # a campaign published
    shared: bool  # someone ordered: the link got out

    @property
    def done(self) -> bool:
        return all(vars(self).values())


def first_steps(shop: Shop) -> FirstSteps:
    """One query whatever the shop's size."""
    found = (
        Shop.objects.filter(pk=shop.pk)
        .annotate(
            has_account=Exists(accounts_for_buyers(shop)),
            has_published=Exists(shop.campaigns.exclude(status=Campaign.Status.DRAFT).values("pk")),
            has_order=Exists(Order.objects.filter(campaign__shop=shop).values("pk")),
        )
        .values("has_account", "has_published", "has_order")
        .get()
    )
    return FirstSteps(
        details=bool(shop.policy.strip()),
        whatsapp=bool(shop.whatsapp),
        payment_account=found["has_account"],
        campaign=found["has_published"],
        shared=found["has_order"],
    )


# --- bank statements --------------------------------------------------------------------------


def shop_statements(shop: Shop) -> QuerySet[StatementImport]:
    """The shop's statements, newest first, each with how its lines went: one query a page."""
    lines = StatementLine.Status
    return (
        StatementImport.objects.filter(shop=shop)
        .select_related("account", "uploaded_by")
        .defer("text")
        .annotate(
            line_count=Count("lines"),
            credited=Count("lines", filter=Q(lines__status=lines.CREDITED)),
            still_open=Count("lines", filter=Q(lines__status=lines.OPEN)),
        )
        .order_by("-created_at", "-id")
    )


def shop_statement(shop: Shop, statement_id: int) -> StatementImport:
    """One statement of the shop; DoesNotExist for another shop's."""
    return StatementImport.objects.select_related("shop", "account").get(shop=shop, pk=statement_id)


def lines_of(statement: StatementImport) -> QuerySet[StatementLine]:
    """A confirmed statement's lines in the file's order, with the order each one paid."""
    return statement.lines.select_related("payment__order", "handled_by").order_by("pk")


def open_lines(shop: Shop) -> QuerySet[StatementLine]:
    """The shop's statement lines left to match or dismiss, latest first."""
    return (
        StatementLine.objects.filter(shop=shop, status=StatementLine.Status.OPEN)
        .select_related("statement")
        .order_by("-booked_on", "-id")
    )


def shop_line(shop: Shop, line_id: int) -> StatementLine:
    """One statement line of the shop; DoesNotExist for another shop's."""
    return StatementLine.objects.select_related(
        "statement__account", "handled_by", "payment__order"
    ).get(shop=shop, pk=line_id)


# How many orders the search beside a statement line shows: enough to pick from, never the lot.
ORDERS_TO_MATCH = 20


def orders_to_match(
    shop: Shop, *, amount: Decimal | None, query: str = "", query_amount: Decimal | None = None
) -> list[Order]:
    """The shop's orders waiting for money that a statement line could pay, each with the exact
    amount it waits for (`to_send`, None when it has none): those expecting `amount`, or those
    whose code, buyer's name or phone is `query`, or whose amount to send is `query_amount`
    (the query read as an amount). One query."""
    expected = TransferAmount.objects.filter(order=OuterRef("pk"), released_at__isnull=True)

    def expecting(value: Decimal):
        # Found from the amount's index, not by working out every waiting order's amount: the
        # shop may have 100,000 orders (bench/big.py).
        return Q(
            pk__in=TransferAmount.objects.filter(
                shop=shop, amount=value, released_at__isnull=True
            ).values("order")
        )

    orders = (
        Order.objects.filter(
            campaign__shop=shop,
            status__in=[Order.Status.PENDING, Order.Status.AWAITING_BALANCE],
        )
        .select_related("campaign")
        .annotate(to_send=Subquery(expected.values("amount")[:1]))
        .order_by("-created_at", "-id")
    )
    query = " ".join(query.split())
    if query:
        found = Q(code__iexact=query) | Q(buyer_name__icontains=query)
        if query.lstrip("0+"):
            found |= Q(buyer_phone__contains=query.lstrip("0+"))
        if query_amount is not None:
            found |= expecting(query_amount)
        orders = orders.filter(found)
    elif amount is not None:
        orders = orders.filter(expecting(amount))
    else:
        return []
    return list(orders[:ORDERS_TO_MATCH])


@dataclass(frozen=True)
class GatewayOffer:
    """A gateway the buyer may pay the amount due through, with the fee the shop passes on."""

    provider: str
    label: str
    fee: Decimal
    total: Decimal


def gateway_offers(order: Order, due: Due | None) -> tuple[list[GatewayOffer], object]:
    """The gateways offered for what the order owes now (one query, none where order_page_hints
    say the shop has none), and its transaction still open for that step, if any (one more)."""
    if due is None or order.currency != "IDR" or not _may_have(order, "shop_has_gateways"):
        return [], None
    connections = order.campaign.shop.gateway_connections.filter(is_active=True).exclude(
        secret_key_sealed=""
    )
    if not settings.FAKE_GATEWAY:
        connections = connections.exclude(provider=Provider.FAKE)
    offers = []
    for connection in connections:
        fee = gateway_fee(connection, due.amount)
        offers.append(
            GatewayOffer(
                provider=connection.provider,
                label=connection.get_provider_display(),
                fee=fee,
                total=due.amount + fee,
            )
        )
    current = None
    if offers:
        current = (
            order.gateway_transactions.filter(kind=due.kind, status__in=["creating", "pending"])
            .order_by("-created_at")
            .first()
        )
    return offers, current


def refund_gateways(refunds) -> dict[int, str]:
    """For refunds still to send, the gateway each could go back through (one query): its
    order paid through one with a refund call, and nothing is on its way through it yet."""
    waiting = {
        r.pk: r.order_id
        for r in refunds
        if r.status == Refund.Status.PENDING and r.gateway_transaction_id is None
    }
    if not waiting:
        return {}
    paid = GatewayTransaction.objects.filter(
        order__in=set(waiting.values()),
        status=GatewayTransaction.Status.PAID,
        provider__in=REFUNDABLE,
    )
    label = {txn.order_id: txn.get_provider_display() for txn in paid}
    return {pk: str(label[order]) for pk, order in waiting.items() if order in label}
