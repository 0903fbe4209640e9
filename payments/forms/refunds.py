"""Forms around refunds: the buyer's bank details, the seller's transfer reference, a new
balance due date. The services check the rules again and say why."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from payments.forms.public import PICTURE_TYPES
from payments.models import Refund
from payments.services.refunds import MAX_REASON_LENGTH, MAX_REFERENCE_LENGTH


class RefundDetailsForm(forms.Form):
    bank = forms.CharField(
        label=_("Bank or e-wallet"), max_length=60, help_text=_("e.g. BCA, Mandiri, GoPay.")
    )
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=40,
        help_text=_("Or the e-wallet's phone number."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "spellcheck": "false"}),
    )
    holder = forms.CharField(
        label=_("Account holder"),
        max_length=100,
        help_text=_("The name on the account, as the bank shows it."),
    )

    def __init__(self, *args, refund: Refund, **kwargs):
        self.refund = refund
        kwargs.setdefault("prefix", f"r{refund.pk}")
        if refund.has_bank_details:
            kwargs.setdefault(
                "initial",
                {
                    "bank": refund.bank,
                    "account_number": refund.account_number,
                    "holder": refund.account_holder,
                },
            )
        super().__init__(*args, **kwargs)


class RefundSentForm(forms.Form):
    reference = forms.CharField(
        label=_("Transfer reference"),
        max_length=MAX_REFERENCE_LENGTH,
        help_text=_("As your bank or e-wallet shows it; the buyer sees it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    proof = forms.FileField(
        label=_("Screenshot of the transfer (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": PICTURE_TYPES}),
    )

    def __init__(self, *args, refund: Refund, **kwargs):
        self.refund = refund
        kwargs.setdefault("prefix", f"r{refund.pk}")
        super().__init__(*args, **kwargs)


class RefundForm(forms.Form):
    """The seller refunds what a stopped order still holds."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_LENGTH,
        help_text=_("The buyer reads it on their order page."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendBalanceForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("New due date"),
        help_text=_("In the shop's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, order, **kwargs):
        kwargs.setdefault("prefix", f"o{order.pk}")
        super().__init__(*args, **kwargs)


@dataclass
class RefundItem:
    """A refund on the buyer's order page, with its details form while it waits."""

    refund: Refund
    form: RefundDetailsForm | None
    chat_link: str = ""  # to ask the shop about it on WhatsApp, where the shop has a number


def buyer_refund_items(refunds, *, bound: RefundDetailsForm | None = None) -> list[RefundItem]:
    """Each refund with the form for its bank details (the refused one, bound, keeps its errors)."""
    items = []
    for refund in refunds:
        # A refund sent keeps no form, but a refused one still shows why.
        form = bound if bound is not None and bound.refund.pk == refund.pk else None
        if form is None and refund.status == Refund.Status.PENDING:
            form = RefundDetailsForm(refund=refund)
        items.append(RefundItem(refund=refund, form=form))
    return items
