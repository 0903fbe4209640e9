"""Every seller URL, walked as an anonymous visitor and as a member of another shop.

The walk reads the dashboard's URL patterns themselves, so a new seller page is covered the day
it is added; a URL parameter the walk does not know fails the test until it is taught here.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import (
    Announcement,
    Campaign,
    CampaignEvent,
    CampaignImage,
    Email,
    Invitation,
    Membership,
    ShopLogEntry,
    Vendor,
    VendorQuote,
)
from orders.models import Order, OrderEvent
from payments.models import Payment, PaymentAccount, Refund, StatementImport, StatementLine
from tests.factories import make_campaign, make_order, make_shop
from tests.support import dashboard_routes, params, url_for

ROUTES = dashboard_routes()


@pytest.fixture
def victim(db):
    """Shop A with one of everything a seller page can name."""
    shop = make_shop(name="Victim", slug="victim")
    campaign = make_campaign(shop, title="Secret PO", capacity=None)
    order = make_order(campaign, quantity=2, note="private note")
    vendor = Vendor.objects.create(shop=shop, name="Konveksi A")
    statement = StatementImport.objects.create(
        shop=shop, layout="csv", file_name="mutasi.csv", text="Tanggal,Keterangan,Jumlah\n"
    )
    line = StatementLine.objects.create(
        shop=shop,
        statement=statement,
        booked_on=order.created_at.date(),
        amount=75000,
        description="TRSF E-BANKING CR",
        fingerprint="victim",
        status="open",
    )
    return {
        "shop_slug": shop.slug,
        "campaign_id": campaign.pk,
        "code": order.code,
        "vendor_id": vendor.pk,
        "quote_id": VendorQuote.objects.create(
            campaign=campaign, vendor=vendor, unit_cost=50000, lead_time_days=10
        ).pk,
        "photo_id": CampaignImage.objects.create(
            campaign=campaign, image="x.webp", thumbnail="x.webp"
        ).pk,
        "account_id": PaymentAccount.objects.create(shop=shop, provider="BCA", holder="A").pk,
        "payment_id": Payment.objects.create(
            order=order, kind="deposit", amount=75000, sender_name="A", sender_bank="BCA"
        ).pk,
        "refund_id": Refund.objects.create(order=order, amount=75000, reason="Cancelled").pk,
        "email_id": Email.objects.create(
            shop=shop, to="a@example.com", language="en", template="order_link", status="failed"
        ).pk,
        "user_id": shop.owner.pk,
        "member_id": shop.owner.pk,
        "statement_id": statement.pk,
        "invitation_id": Invitation.objects.create(
            shop=shop,
            email="new@example.com",
            role="staff",
            digest="v" * 64,
            invited_by=shop.owner,
            expires_at=timezone.now() + timedelta(days=7),
        ).pk,
        "line_id": line.pk,
    }


def snapshot():
    return (
        list(Order.objects.values_list("status", "internal_note")),
        OrderEvent.objects.count(),
        CampaignEvent.objects.count(),
        list(PaymentAccount.objects.values_list("provider", flat=True)),
        list(Payment.objects.values_list("status", flat=True)),
        list(Refund.objects.values_list("status", "reference", "account_number")),
        list(Email.objects.values_list("status", flat=True)),
        list(StatementImport.objects.values_list("status", "columns")),
        list(StatementLine.objects.values_list("status", "note")),
        Vendor.objects.count(),
        VendorQuote.objects.filter(chosen=True).count(),
        Announcement.objects.count(),
        list(Campaign.objects.values_list("revised_production_ends_on", "revised_ships_on")),
        list(Membership.objects.order_by("pk").values_list("user_id", "role")),
        list(Invitation.objects.order_by("pk").values_list("email", "withdrawn_at")),
        ShopLogEntry.objects.count(),
    )


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _ in ROUTES])
def test_anonymous_visitors_are_sent_to_log_in(client, victim, name, route):
    # when, by each method (a method the view does not take is refused first: 405)
    responses = [client.get(url_for(route, victim)), client.post(url_for(route, victim))]
    # then
    answered = [r for r in responses if r.status_code != 405]
    assert answered, name
    for response in answered:
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/")


SHOP_ROUTES = [(name, route) for name, route in ROUTES if "shop_slug" in params(route)]
OBJECT_ROUTES = [(name, route) for name, route in SHOP_ROUTES if params(route) - {"shop_slug"}]


@pytest.fixture
def intruder(client, db):
    """A seller logged in to a shop of their own."""
    shop = make_shop(name="Intruder", slug="intruder")
    client.force_login(shop.owner)
    return shop


def assert_not_found_and_nothing_changed(client, url):
    before = snapshot()
    # when, by each method (a method the view does not take is refused first: 405)
    statuses = {
        client.get(url).status_code,
        client.post(url, {"reason": "x", "note": "x", "email": "x@example.com"}).status_code,
    }
    # then the method it takes meets the scoping
    assert 404 in statuses and statuses <= {404, 405}, (url, statuses)
    assert snapshot() == before


@pytest.mark.parametrize(("name", "route"), SHOP_ROUTES, ids=[n for n, _ in SHOP_ROUTES])
def test_another_shops_pages_are_not_found(client, victim, intruder, name, route):
    assert_not_found_and_nothing_changed(client, url_for(route, victim))


@pytest.mark.parametrize(("name", "route"), OBJECT_ROUTES, ids=[n for n, _ in OBJECT_ROUTES])
def test_another_shops_objects_are_not_found_under_your_own_address(
    client, victim, intruder, name, route
):
    assert_not_found_and_nothing_changed(
        client, url_for(route, {**victim, "shop_slug": "intruder"})
    )
