"""The shop owner's form for a payment gateway connection (Midtrans, Xendit, the demo one)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kernel.forms import AmountField
from payments.models import GatewayConnection, Provider


class GatewayConnectionForm(forms.Form):
    conditional_fields = ("secret_key", "callback_token")

    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=GatewayConnection.Mode.choices,
        initial=GatewayConnection.Mode.SANDBOX,
        help_text=_("Sandbox keys take test payments only; production keys take real money."),
    )
    secret_key = forms.CharField(
        label=_("Secret key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    callback_token = forms.CharField(
        label=_("Webhook verification token"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    fee_percent = forms.DecimalField(
        label=_("Fee buyers pay on top (percent)"),
        min_value=Decimal(0),
        max_value=Decimal(10),
        max_digits=4,
        decimal_places=2,
        initial=Decimal(0),
        help_text=_("0 when the shop pays the gateway's fee itself."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    fee_fixed = AmountField(
        label=_("Fee buyers pay on top (fixed)"),
        help_text=_("Added to every payment, e.g. Rp 4.000 for a virtual account; 0 for none."),
    )
    is_active = forms.BooleanField(label=_("Offer it to buyers"), required=False, initial=True)

    def __init__(self, *args, provider: str, connection: GatewayConnection | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        saved = connection is not None and connection.secret_key_hint
        key_help = {
            Provider.MIDTRANS: _("Midtrans dashboard → Settings → Access keys: the Server Key."),
            Provider.XENDIT: _(
                "Xendit dashboard → Settings → API keys: a secret key with "
                "write access to Invoices."
            ),
            Provider.FAKE: _("Any text: the demo gateway signs its notifications with it."),
        }[provider]
        if saved:
            key_help = _("Saved: %(masked)s. Leave blank to keep it.") % {
                "masked": connection.secret_key_hint
            }
        self.fields["secret_key"].help_text = key_help
        if provider == Provider.XENDIT:
            token_help = _("Xendit dashboard → Settings → Webhooks: the verification token.")
            if connection is not None and connection.callback_token_hint:
                token_help = _("Saved: %(masked)s. Leave blank to keep it.") % {
                    "masked": connection.callback_token_hint
                }
            self.fields["callback_token"].help_text = token_help
        else:
            del self.fields["callback_token"]
        if provider == Provider.FAKE:
            del self.fields["mode"]
        if connection is not None and not self.is_bound:
            self.initial.update(
                mode=connection.mode,
                fee_percent=connection.fee_percent,
                fee_fixed=connection.fee_fixed,
                is_active=connection.is_active,
            )
        else:
            self.initial.setdefault("fee_fixed", Decimal(0))

    def connection_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "mode": data.get("mode") or GatewayConnection.Mode.SANDBOX,
            "secret_key": data["secret_key"],
            "callback_token": data.get("callback_token", ""),
            "fee_percent": data["fee_percent"],
            "fee_fixed": data["fee_fixed"] or Decimal(0),
            "is_active": data["is_active"],
        }


def providers_offered() -> list[tuple[str, str]]:
    """The gateways a shop may connect here: the demo one only where it is switched on."""
    return [
        (value, label)
        for value, label in Provider.choices
        if value != Provider.FAKE or settings.FAKE_GATEWAY
    ]
