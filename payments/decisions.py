"""Campaign decisions that depend on what each order has paid.

Orders cannot read the ledger (payments → orders → campaigns), so payments reads it and hands
the answer to the orders decision that moves the orders.
"""

from datetime import datetime
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from campaigns.models import Campaign
from orders import decisions
from orders.models import Order
from payments.ledger import amount_paid, still_owed
from payments.models import Payment


def finish_production(
    *, campaign: Campaign, actor: AbstractBaseUser | None, now: datetime | None = None
) -> Campaign:
    """Production finished: orders paid in full become paid, the others owe their balance.

    Rules: those of orders.decisions.finish_production. What each order still owes is read
    from the ledger under the campaign's and the orders' row locks, so a payment verified at
    the same moment is either counted here or waits until the decision is made.
    """
    with transaction.atomic():
        # Campaign, then its orders: the order every decision takes its locks in.
        list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
        owed: dict[int, Decimal] = {}
        for order in (
            Order.objects.select_for_update()
            .filter(campaign=campaign, status=Order.Status.IN_PRODUCTION)
            .order_by("pk")
        ):
            owed[order.pk] = still_owed(order, Payment.Kind.BALANCE, paid=amount_paid(order))
        return decisions.finish_production(
            campaign=campaign,
            paid_in_full={pk for pk, amount in owed.items() if amount <= 0},
            owed=owed,
            actor=actor,
            now=now,
        )
