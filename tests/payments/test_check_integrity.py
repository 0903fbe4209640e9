"""check_integrity finds every broken invariant, and says nothing of healthy data."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from campaigns.models import Campaign, Variant
from orders.models import CampaignHour, CampaignTally, OrderLine, VariantTally
from payments.models import Payment, Refund
from tests.factories import make_order


@pytest.fixture
def healthy(open_campaign):
    order = make_order(open_campaign, quantity=2, note="x")
    Payment.objects.create(
        order=order,
        kind="deposit",
        amount=order.deposit_amount,
        sender_name="A",
        sender_bank="BCA",
        proof="p.webp",
        status="verified",
        amount_received=order.deposit_amount,
    )
    return order


def run_check(capsys) -> tuple[bool, str]:
    try:
        call_command("check_integrity")
    except CommandError:
        return False, capsys.readouterr().err
    return True, capsys.readouterr().out


def test_healthy_data_passes(healthy, capsys):
    ok, output = run_check(capsys)
    assert ok, output
    assert "every invariant holds" in output


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda o: Campaign.objects.update(reserved=5), "holds 5 units"),
        (lambda o: Variant.objects.filter(name="Green").update(reserved=1), "holds 1 units"),
        (lambda o: OrderLine.objects.filter(order=o).update(quantity=3), "its lines add up to"),
        (lambda o: OrderLine.objects.filter(order=o).delete(), "has no lines"),
        (
            lambda o: Refund.objects.create(order=o, amount=o.deposit_amount + 1, reason="x"),
            "exceed payments",
        ),
        (
            lambda o: CampaignTally.objects.update(pending=0),
            "running total pending is 0; its orders make 1",
        ),
        (
            lambda o: VariantTally.objects.create(variant=o.lines.get().variant, confirmed_units=2),
            "2 confirmed units counted; its orders have 0",
        ),
        (
            lambda o: CampaignHour.objects.update(orders=F("orders") + 1),
            "2 orders counted in the hour from",
        ),
    ],
    ids=[
        "campaign counter",
        "variant counter",
        "subtotal",
        "no lines",
        "refund over payments",
        "campaign running total",
        "variant running total",
        "orders per hour",
    ],
)
def test_each_breach_is_named_and_fails_the_command(healthy, capsys, breakage, message):
    # given
    breakage(healthy)
    # when
    ok, output = run_check(capsys)
    # then
    assert not ok
    assert message in output
