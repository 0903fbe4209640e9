"""The waiting list's form on a sold-out campaign page: who waits, for which item, how many."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from kernel.phones import to_e164
from orders.services.waitlist import MAX_WANTED, free_units


def sold_out_variants(campaign: Campaign) -> list:
    """The variants a buyer from the public page can no longer order (all, when the campaign
    itself is sold out); a waiting list is offered for these."""
    if campaign.phase not in (Campaign.Phase.OPEN, Campaign.Phase.SOLD_OUT):
        return []
    return [v for v in campaign.variants.all() if free_units(campaign, v) == 0]


class WaitlistForm(forms.Form):
    # Tells the campaign page which of its two forms was sent.
    join_waitlist = forms.CharField(widget=forms.HiddenInput, initial="1")
    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    variant = forms.TypedChoiceField(
        label=_("Item"),
        coerce=int,
        error_messages={"invalid_choice": _("That item is not sold out, or not part of this PO.")},
    )
    quantity = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=MAX_WANTED,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, data=None, *, variants: list):
        super().__init__(data, auto_id="id_waitlist_%s")
        self.fields["variant"].choices = [(v.pk, v.name) for v in variants]
        if len(variants) == 1:
            self.fields["variant"].initial = variants[0].pk
            self.fields["variant"].widget = forms.HiddenInput()

    def clean_phone(self):
        return to_e164(self.cleaned_data["phone"])
