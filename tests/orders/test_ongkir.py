"""Ongkir: the shop's rule prices each order by where it goes (or not at all for a pickup), the
buyer sees it from the start, it is paid with the balance, and the seller can set or correct
one order's ongkir with a reason the buyer reads."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from campaigns.models import PickupPoint, ShippingZone
from orders.models import Order, TransferAmount
from payments.exceptions import DecisionRefused, PaymentRefused
from payments.services.cancellations import cancel_order
from payments.services.decisions import finish_production
from payments.services.ledger import amount_paid, payment_due
from payments.services.shipping_fees import set_shipping_fee
from tests.factories import make_buyer, make_campaign, make_order
from tests.orders.order_form import order_data
from tests.orders.production import confirmed_order, in_production, received
from tests.support import page_text

pytestmark = pytest.mark.django_db

BANDUNG = "Kota Bandung, Jawa Barat"
SURABAYA = "Kota Surabaya, Jawa Timur"
MEDAN = "Kota Medan, Sumatera Utara"


@pytest.fixture
def zoned(shop, open_campaign):
    """Java at Rp 15.000 + Rp 5.000 a kg, Bandung itself at Rp 9.000; totes of 600 g."""
    ShippingZone.objects.create(
        shop=shop, name="Java", regions=["31", "32", "33", "35"], fee=15000, fee_per_kg=5000
    )
    ShippingZone.objects.create(shop=shop, name="Bandung", regions=["3273"], fee=9000)
    shop.shipping_rule = "zones"
    shop.save()
    open_campaign.variants.update(weight_grams=600)
    return open_campaign


def read(response) -> str:
    """The page's words, tags taken out: "Ongkir Rp 20.000"."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def place(client, campaign, **fields) -> Order | None:
    response = client.post(campaign.get_absolute_url(), order_data(campaign, **fields))
    if response.status_code != 302:
        return None
    return Order.objects.get(token=response.url.split("/")[2])


def test_a_flat_rate_is_added_to_the_balance_and_shown_from_the_start(client, shop, open_campaign):
    shop.shipping_rule, shop.shipping_flat_fee = "flat", Decimal(20000)
    shop.save()

    order = place(client, open_campaign, destination=SURABAYA)

    assert (order.destination, order.destination_name) == ("3578", SURABAYA)
    assert order.shipping_fee == 20000
    assert order.deposit_amount == 75000  # the DP is of the goods only
    assert order.balance_amount == 75000 + 20000
    text = read(client.get(order.get_absolute_url()))
    assert "Ongkir Rp 20.000" in text and f"Destination {SURABAYA}" in text
    terms = read(client.get(open_campaign.get_absolute_url()))
    assert "Rp 20.000 per order, paid with the balance." in terms


def test_zones_price_by_city_before_province_and_by_the_kilograms_started(client, zoned):
    # 2 totes of 600 g = 1.2 kg: two kilograms started
    to_surabaya = place(client, zoned, destination=SURABAYA, quantities={"Green": 2})
    to_bandung = place(client, zoned, destination=BANDUNG.lower())

    assert to_surabaya.shipping_fee == 15000 + 2 * 5000
    assert to_bandung.shipping_fee == 9000  # its own zone, not Java's


def test_a_destination_the_shop_does_not_ship_to_is_refused_and_nothing_is_ordered(client, zoned):
    response = client.post(zoned.get_absolute_url(), order_data(zoned, destination=MEDAN))
    typed = client.post(zoned.get_absolute_url(), order_data(zoned, destination="Bandung"))

    assert response.status_code == 400 and typed.status_code == 400
    assert "Choose your city or regency from the list." in page_text(response)
    assert not Order.objects.exists()
    zoned.refresh_from_db()
    assert zoned.reserved == 0
    # the list offers only where the shop ships
    page = client.get(zoned.get_absolute_url()).content.decode()
    assert f'<option value="{BANDUNG}">' in page and MEDAN not in page


def test_a_pickup_pays_no_ongkir_and_needs_no_address(client, zoned):
    point = PickupPoint.objects.create(
        shop=zoned.shop, name="Toko Rajut", details="Jl. Braga 5, Sat 10–14"
    )

    order = place(client, zoned, delivery=str(point.pk), shipping_address="", destination="")

    assert order.shipping_fee == 0 and order.pickup == "Toko Rajut: Jl. Braga 5, Sat 10–14"
    assert "Pickup at Toko Rajut" in read(client.get(order.get_absolute_url()))
    # shipping still needs both
    response = client.post(zoned.get_absolute_url(), order_data(zoned, shipping_address=""))
    assert "Give the address to ship to." in page_text(response)


def test_ongkir_set_later_holds_production_until_every_order_has_it(shop, open_campaign):
    shop.shipping_rule = "later"
    shop.save()
    open_campaign.min_quantity = 1
    open_campaign.save()
    buyer = make_buyer(destination="3273")
    order = confirmed_order(open_campaign, buyer=buyer, note="Sari")
    assert order.shipping_pending and order.balance_amount == 75000
    campaign = in_production(open_campaign, shop.owner)

    with pytest.raises(DecisionRefused, match="Set the ongkir of 1 order first"):
        finish_production(campaign=campaign, actor=shop.owner)

    set_shipping_fee(order=order, fee=Decimal(18000), reason="", actor=shop.owner)
    finish_production(campaign=campaign, actor=shop.owner)
    order.refresh_from_db()
    due = payment_due(order, paid=amount_paid(order))
    assert order.status == Order.Status.AWAITING_BALANCE
    assert due.amount == 75000 + 18000
    # the balance with its ongkir completes the order
    received(order, due.amount, kind="balance")
    assert amount_paid(order) == order.total == 150000 + 18000


def test_the_seller_corrects_ongkir_with_a_reason_the_buyer_reads(client, seller, shop, zoned):
    order = place(client, zoned, destination=SURABAYA)
    url = f"/dashboard/{shop.slug}/orders/{order.code}/ongkir/"

    refused = seller.post(url, {"ongkir-fee": "30.000", "ongkir-reason": ""})
    assert refused.status_code == 400 and "Say why: the buyer reads it." in page_text(refused)
    order.refresh_from_db()
    assert order.shipping_fee == 20000

    seller.post(url, {"ongkir-fee": "30.000", "ongkir-reason": "Sent by air to keep the date"})
    order.refresh_from_db()
    assert order.shipping_fee == 30000 and order.balance_amount == 75000 + 30000
    text = read(client.get(order.get_absolute_url()))
    assert "Ongkir changed from Rp 20.000 to Rp 30.000. Sent by air to keep the date" in text


def test_a_new_ongkir_gives_an_order_awaiting_its_balance_a_new_amount_to_transfer(
    coded_shop, open_campaign
):
    open_campaign.min_quantity = 1
    open_campaign.save()
    order = confirmed_order(open_campaign, note="Sari")
    campaign = in_production(open_campaign, coded_shop.owner)
    finish_production(campaign=campaign, actor=coded_shop.owner)
    order.refresh_from_db()

    set_shipping_fee(order=order, fee=Decimal(12000), reason="Ongkir to Bali", actor=None)

    live = TransferAmount.objects.get(order=order, released_at__isnull=True)
    assert live.kind == "balance" and live.amount == 75000 + 12000 + live.code
    call_command("check_integrity", stdout=StringIO())  # the running totals followed
    # and it cannot fall below what was paid
    received(order, Decimal(87000), kind="balance")
    with pytest.raises(PaymentRefused):
        set_shipping_fee(order=order, fee=Decimal(0), reason="Free after all", actor=None)


def test_the_ongkir_settings_page_sets_rules_zones_and_pickup_points(seller, shop):
    url = f"/dashboard/{shop.slug}/shipping/"

    refused = seller.post(url, {"action": "rule", "shipping_rule": "zones"})
    assert "Add a zone first" in page_text(refused)
    seller.post(
        url,
        {
            "action": "zone",
            "zone-name": "Java",
            "zone-provinces": ["32", "35"],
            "zone-cities": "Kota Denpasar, Bali",
            "zone-fee": "15.000",
            "zone-fee_per_kg": "5rb",
        },
    )
    overlap = seller.post(
        url, {"action": "zone", "zone-name": "West", "zone-provinces": ["32"], "zone-fee": "1"}
    )
    seller.post(url, {"action": "rule", "shipping_rule": "zones"})
    seller.post(url, {"action": "pickup", "pickup-name": "Toko", "pickup-details": "Jl. Braga 5"})

    shop.refresh_from_db()
    zone = shop.shipping_zones.get()
    assert (zone.regions, zone.fee, zone.fee_per_kg) == (["32", "35", "5171"], 15000, 5000)
    assert "Already in the zone “Java”: Jawa Barat." in page_text(overlap)
    assert shop.shipping_rule == "zones" and shop.pickup_points.count() == 1


def test_integrity_holds_over_orders_with_ongkir(client, zoned):
    place(client, zoned, destination=SURABAYA)
    out = StringIO()

    call_command("check_integrity", stdout=out)

    # the database itself keeps the ongkir in the balance
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.update(balance_amount=75000)


def test_a_shop_with_free_shipping_asks_no_destination(client, open_campaign):
    page = client.get(open_campaign.get_absolute_url()).content.decode()

    assert 'name="destination"' not in page and "<datalist" not in page
    assert make_order(open_campaign, note="x").shipping_fee == 0


def test_the_recap_counts_orders_by_destination_and_the_csv_carries_the_ongkir(
    client, seller, shop, zoned
):
    for place_to in (SURABAYA, SURABAYA, BANDUNG):
        order = place(client, zoned, destination=place_to)
        received(order, order.deposit_amount)
    Order.objects.update(status=Order.Status.CONFIRMED)
    base = f"/dashboard/{shop.slug}/campaigns/{zoned.pk}/"

    recap = read(seller.get(base + "recap/"))
    export = b"".join(seller.get(base + "orders.csv").streaming_content).decode()

    assert f"By destination, for the courier Destination Orders Units {SURABAYA} 2 2" in recap
    assert "Ongkir" in export.splitlines()[0]
    assert f'"{SURABAYA}",,Green' in export and ",150000,20000,75000,95000" in export


def test_a_full_payment_up_front_includes_a_known_ongkir(client, shop, open_campaign):
    shop.shipping_rule, shop.shipping_flat_fee = "flat", Decimal(20000)
    shop.save()
    open_campaign.deposit_rule = "full"
    open_campaign.save()

    order = place(client, open_campaign, destination=SURABAYA)

    assert (order.deposit_amount, order.balance_amount) == (150000 + 20000, 0)
    # a lower ongkir before paying shrinks the payment asked
    set_shipping_fee(order=order, fee=Decimal(5000), reason="Same city", actor=None)
    order.refresh_from_db()
    assert (order.deposit_amount, order.balance_amount) == (155000, 0)
    call_command("check_integrity", stdout=StringIO())


def test_the_seller_is_shown_which_orders_still_need_their_ongkir(client, seller, shop):
    shop.shipping_rule = "later"
    shop.save()
    campaign = make_campaign(shop, min_quantity=1, slug="later")
    waiting = confirmed_order(campaign, buyer=make_buyer(destination="3273"))
    in_production(campaign, shop.owner)
    overview = f"/dashboard/{shop.slug}/campaigns/{campaign.pk}/"

    text = read(seller.get(overview))
    listed = read(seller.get(overview + "orders/?payment=ongkir_unset"))

    assert "1 order still needs its ongkir" in text
    assert waiting.code in listed
    set_shipping_fee(order=waiting, fee=Decimal(9000), reason="", actor=None)
    assert "still needs its ongkir" not in read(seller.get(overview))
    assert waiting.code not in read(seller.get(overview + "orders/?payment=ongkir_unset"))


def test_the_order_email_says_the_balance_carries_the_ongkir(
    client, shop, open_campaign, django_capture_on_commit_callbacks
):
    shop.shipping_rule, shop.shipping_flat_fee = "flat", Decimal(20000)
    shop.save()

    with django_capture_on_commit_callbacks(execute=True):
        place(client, open_campaign, destination=SURABAYA)

    placed = mail.outbox[-1]
    assert "Balance, due after production: Rp 95.000, ongkir Rp 20.000 included" in placed.body


def test_a_cancelled_order_refunds_the_ongkir_it_paid(shop, open_campaign):
    shop.shipping_rule, shop.shipping_flat_fee = "flat", Decimal(20000)
    shop.save()
    order = confirmed_order(open_campaign, buyer=make_buyer(destination="3578"), note="Sari")
    received(order, Decimal(95000), kind="balance")

    cancel_order(order=order, reason="Out of stock", refund=True, actor=shop.owner)

    assert order.refunds.get().amount == 150000 + 20000
