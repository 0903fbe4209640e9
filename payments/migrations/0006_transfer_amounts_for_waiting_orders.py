"""Orders already waiting for money when transfer amounts arrived get theirs, from their kode unik
and what they still owe (orders/services/transfer_codes.py does it for every new one).

An older order whose amount another waiting order of its shop already expects (codes were drawn
at random then) keeps its code but gets no amount: its buyer was told the amount already, and a
statement line for it is matched by the order code in its description instead.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import Sum

WAITING = {"pending": ("deposit", "deposit_amount"), "awaiting_balance": ("balance", "subtotal")}


def totals(model, field, orders, **filters):
    rows = (
        model.objects.filter(order__in=orders, **filters)
        .values("order")
        .annotate(total=Sum(field))
        .values_list("order", "total")
    )
    return dict(rows)


def claim_for_waiting_orders(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    TransferAmount = apps.get_model("orders", "TransferAmount")
    Payment = apps.get_model("payments", "Payment")
    Refund = apps.get_model("payments", "Refund")
    waiting = Order.objects.filter(status__in=WAITING)
    received = totals(Payment, "amount_received", waiting, status="verified")
    refunded = totals(Refund, "amount", waiting, status="sent")
    taken = set()
    claims = []
    for order in waiting.select_related("campaign").order_by("created_at", "pk").iterator():
        kind, target = WAITING[order.status]
        paid = received.get(order.pk, Decimal(0)) - refunded.get(order.pk, Decimal(0))
        owed = getattr(order, target) - paid
        if owed <= 0:
            continue
        amount = owed + order.transfer_code
        key = (order.campaign.shop_id, amount)
        if order.transfer_code and key in taken:
            continue
        taken.add(key)
        claims.append(
            TransferAmount(
                shop_id=order.campaign.shop_id,
                order=order,
                kind=kind,
                amount=amount,
                code=order.transfer_code,
                claimed_at=order.created_at,
            )
        )
    TransferAmount.objects.bulk_create(claims, batch_size=500)


def forget_claims(apps, schema_editor):
    apps.get_model("orders", "TransferAmount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_transfer_amounts"),
        ("payments", "0005_wider_unique_codes"),
    ]

    operations = [migrations.RunPython(claim_for_waiting_orders, forget_claims)]
