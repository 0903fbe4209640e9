"""A shop's connection to a payment gateway: its keys kept encrypted (kernel/vault.py), shown
masked once saved, and which gateways buyers are offered."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Shop
from kernel import vault
from payments.exceptions import GatewayRefused
from payments.models import GatewayConnection, Provider


def connect_gateway(
    *,
    shop: Shop,
    provider: str,
    mode: str,
    secret_key: str,
    callback_token: str,
    fee_percent: Decimal,
    fee_fixed: Decimal,
    is_active: bool,
) -> GatewayConnection:
    """Save the shop's connection to `provider`, new or changed.

    Rules: rupiah shops only (both gateways charge in IDR); the fake gateway only where this
    installation allows it (FAKE_GATEWAY: development and demos); a key left blank keeps the one
    saved, and a new connection needs its secret key (and, for Xendit, its callback token); keys
    are stored encrypted and never shown again in full; no encryption key configured → refused.
    """
    if shop.currency != "IDR":
        raise GatewayRefused(_("Midtrans and Xendit take payments in rupiah (IDR) only."))
    if provider == Provider.FAKE and not settings.FAKE_GATEWAY:
        raise GatewayRefused(_("The fake gateway is for demos and is switched off here."))
    if not vault.is_available():
        raise GatewayRefused(
            _("Gateway keys cannot be stored safely yet: the operator has to set GATEWAY_KEYS_KEY.")
        )
    secret_key, callback_token = secret_key.strip(), callback_token.strip()
    with transaction.atomic():
        connection = (
            GatewayConnection.objects.select_for_update().filter(shop=shop, provider=provider)
        ).first() or GatewayConnection(shop=shop, provider=provider)
        if not secret_key and not connection.secret_key_sealed:
            raise GatewayRefused(_("Enter the secret key."), field="secret_key")
        needs_token = provider == Provider.XENDIT
        if needs_token and not callback_token and not connection.callback_token_sealed:
            raise GatewayRefused(
                _("Enter the webhook verification token from Xendit's settings."),
                field="callback_token",
            )
        if secret_key:
            connection.secret_key_sealed = vault.seal(secret_key)
            connection.secret_key_hint = vault.mask(secret_key)
        if callback_token:
            connection.callback_token_sealed = vault.seal(callback_token)
            connection.callback_token_hint = vault.mask(callback_token)
        connection.mode = mode
        connection.fee_percent = fee_percent
        connection.fee_fixed = fee_fixed
        connection.is_active = is_active
        connection.updated_at = timezone.now()
        connection.save()
    return connection


def disconnect_gateway(*, connection: GatewayConnection) -> None:
    """Stop offering the gateway and forget its keys; its transactions stay on the record."""
    connection.is_active = False
    connection.secret_key_sealed = connection.callback_token_sealed = ""
    connection.secret_key_hint = connection.callback_token_hint = ""
    connection.save()
