"""The seller's order forms: the list's filters, the internal note, the cancel reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from orders.models import Order
from orders.selectors import PAYMENT_STATES, OrderFilters

PAYMENT_LABELS = {
    "unpaid": _("Deposit not paid"),
    "deposit_paid": _("Deposit paid"),
    "paid_in_full": _("Paid in full"),
    "ongkir_unset": _("Ongkir still to set"),
}


class NoColon:
    """Labels without the trailing colon Django adds, as everywhere else in the app."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class OrderFilterForm(NoColon, forms.Form):
    """GET filters of the orders list; a value that does not fit is ignored, never an error."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Order code, name, WhatsApp number or email"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Order.Status.choices],
    )
    payment = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        # KeyError here, at import, if a payment state is added without its label.
        choices=[("", _("Any payment")), *((key, PAYMENT_LABELS[key]) for key in PAYMENT_STATES)],
    )
    variant = forms.TypedChoiceField(label=_("Variant"), required=False, coerce=int)

    def __init__(self, data=None, *, campaign: Campaign | None = None):
        super().__init__(data)
        if campaign is None:
            del self.fields["variant"]
        else:
            # From the campaign's prefetched variants: no query of its own.
            self.fields["variant"].choices = [
                ("", _("All variants")),
                *((variant.pk, variant.name) for variant in campaign.variants.all()),
            ]

    def filters(self) -> OrderFilters:
        self.is_valid()
        data = self.cleaned_data  # the fields that were valid
        return OrderFilters(
            status=data.get("status", ""),
            payment=data.get("payment", ""),
            variant_id=data.get("variant") or None,
            search=data.get("q", ""),
        )


class InternalNoteForm(NoColon, forms.ModelForm):
    class Meta:
        model = Order
        fields = ["internal_note"]
        widgets = {"internal_note": forms.Textarea(attrs={"rows": 3})}

    def save(self, commit=True):
        # Only the note: a full save would write back a status read before someone moved it.
        self.instance.save(update_fields=["internal_note", "updated_at"])
        return self.instance


class CancelOrderForm(NoColon, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Saved on the order's timeline."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
