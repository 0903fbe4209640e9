"""The buyer's order form: one row per variant (quantity, note) plus who and where to ship."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from kernel.phones import to_e164
from orders.services.placing import MAX_NOTE_LENGTH, Buyer, LineRequest

MAX_QUANTITY = 999


class LineForm(forms.Form):
    variant = forms.TypedChoiceField(
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That item is not part of this PO.")},
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=0,
        max_value=MAX_QUANTITY,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Customisation"),
        max_length=MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, variants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [(v.pk, v.name) for v in variants]
        self.item = next((v for v in variants if v.pk == self.initial.get("variant")), None)


LineFormSet = forms.formset_factory(
    LineForm, extra=0, max_num=50, absolute_max=50, validate_max=True
)


class OrderForm(forms.Form):
    buyer_name = forms.CharField(label=_("Your name"), max_length=100)
    buyer_phone = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    buyer_email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    shipping_address = forms.CharField(
        label=_("Shipping address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    # Made once per page view: a double tap or a resubmit sends the same key, and gets the
    # same order back instead of a second one.
    idempotency_key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput, required=False
    )

    def __init__(self, data=None, *, campaign: Campaign):
        super().__init__(data, initial={"idempotency_key": secrets.token_urlsafe(16)})
        self.campaign = campaign
        variants = list(campaign.variants.all())
        self.lines = LineFormSet(
            data,
            prefix="lines",
            initial=[
                {"variant": v.pk, "quantity": 1 if len(variants) == 1 else 0} for v in variants
            ],
            form_kwargs={"variants": variants},
        )
        if campaign.note_prompt:
            for form in self.lines:
                form.fields["note"].label = campaign.note_prompt

    def clean_buyer_phone(self):
        return to_e164(self.cleaned_data["buyer_phone"])

    def is_valid(self):
        return all([super().is_valid(), self.lines.is_valid()])

    def line_requests(self) -> list[LineRequest]:
        return [
            LineRequest(
                variant_id=row["variant"], quantity=row["quantity"], note=row.get("note", "")
            )
            for row in self.lines.cleaned_data
            if row.get("quantity")
        ]

    def buyer(self, language: str) -> Buyer:
        data = self.cleaned_data
        return Buyer(
            name=data["buyer_name"].strip(),
            phone=data["buyer_phone"],
            email=data["buyer_email"],
            address=data["shipping_address"].strip(),
            language=language,
        )

    def key(self) -> str:
        return self.cleaned_data["idempotency_key"] or secrets.token_urlsafe(16)
