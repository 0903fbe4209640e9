"""A shop owner connects Midtrans or Xendit with the shop's own keys: stored encrypted, shown
masked, never again in full."""

from decimal import Decimal

import pytest

from payments.models import GatewayConnection
from tests.payments.gateways.conftest import SERVER_KEY, connect

pytestmark = pytest.mark.django_db


def test_keys_are_encrypted_at_rest_and_read_back_with_the_environments_key(shop):
    connection = connect(shop, "midtrans", secret_key="SB-Mid-server-abcdefgh1234")

    row = GatewayConnection.objects.values("secret_key_sealed", "secret_key_hint").get()
    assert "abcdefgh1234" not in row["secret_key_sealed"]
    assert row["secret_key_hint"] == "SB-••••1234"
    assert GatewayConnection.objects.get(pk=connection.pk).secret_key == (
        "SB-Mid-server-abcdefgh1234"
    )


def test_the_owner_connects_midtrans_and_sees_the_key_masked_only(seller, shop):
    response = seller.post(
        "/dashboard/rajut/gateways/midtrans/",
        {
            "mode": "sandbox",
            "secret_key": "SB-Mid-server-secretvalue9876",
            "fee_percent": "0.7",
            "fee_fixed": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302

    page = seller.get("/dashboard/rajut/gateways/").content.decode()
    assert "SB-••••9876" in page
    assert "secretvalue" not in page
    form = seller.get("/dashboard/rajut/gateways/midtrans/").content.decode()
    assert "secretvalue" not in form
    assert "Leave blank to keep it" in form
    connection = GatewayConnection.objects.get()
    assert connection.fee_percent == Decimal("0.70")


def test_saving_again_with_the_key_blank_keeps_the_key(seller, shop):
    connect(shop, "midtrans")
    response = seller.post(
        "/dashboard/rajut/gateways/midtrans/",
        {"mode": "production", "secret_key": "", "fee_percent": "0", "fee_fixed": "0"},
    )
    assert response.status_code == 302
    connection = GatewayConnection.objects.get()
    assert connection.secret_key == SERVER_KEY
    assert connection.mode == "production"
    assert connection.is_active is False


def test_xendit_needs_its_webhook_token(seller, shop):
    response = seller.post(
        "/dashboard/rajut/gateways/xendit/",
        {
            "mode": "sandbox",
            "secret_key": "xnd_development_x",
            "fee_percent": "0",
            "fee_fixed": "0",
        },
    )
    assert response.status_code == 400
    assert "verification token" in response.content.decode()
    assert not GatewayConnection.objects.exists()


def test_a_fee_above_ten_percent_is_refused_with_a_message(seller, shop):
    response = seller.post(
        "/dashboard/rajut/gateways/midtrans/",
        {"mode": "sandbox", "secret_key": "k" * 20, "fee_percent": "50", "fee_fixed": "0"},
    )
    assert response.status_code == 400
    assert not GatewayConnection.objects.exists()


def test_a_manager_cannot_see_or_change_the_keys(client, shop):
    from tests.factories import make_user

    manager = make_user(username="helper")
    shop.members.add(manager, through_defaults={"role": "manager"})
    client.force_login(manager)
    assert client.get("/dashboard/rajut/gateways/").status_code == 403
    response = client.post(
        "/dashboard/rajut/gateways/midtrans/",
        {"mode": "sandbox", "secret_key": "k" * 20, "fee_percent": "0", "fee_fixed": "0"},
    )
    assert response.status_code == 403
    assert not GatewayConnection.objects.exists()


def test_without_an_encryption_key_in_production_nothing_is_stored(seller, shop, settings):
    settings.GATEWAY_KEYS_KEY = ""
    settings.DEBUG = False
    response = seller.post(
        "/dashboard/rajut/gateways/midtrans/",
        {"mode": "sandbox", "secret_key": "k" * 20, "fee_percent": "0", "fee_fixed": "0"},
    )
    assert response.status_code == 400
    assert "GATEWAY_KEYS_KEY" in response.content.decode()
    assert not GatewayConnection.objects.exists()
