"""The seller's ongkir settings: the rule, the zones with their rates, the pickup points."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import ShippingRule
from kernel import regions
from kernel.forms import AmountField


class ShippingRuleForm(forms.Form):
    shipping_rule = forms.ChoiceField(
        label=_("How you charge ongkir"), choices=ShippingRule.choices, widget=forms.RadioSelect
    )
    shipping_flat_fee = AmountField(label=_("Flat rate"), required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_flat_fee"].set_currency(currency)


class ZoneForm(forms.Form):
    name = forms.CharField(label=_("Zone name"), max_length=60)
    provinces = forms.MultipleChoiceField(
        label=_("Provinces"), required=False, widget=forms.CheckboxSelectMultiple
    )
    cities = forms.CharField(
        label=_("Single cities or regencies"),
        required=False,
        max_length=2000,
        help_text=_("One per line, as in the list: “Kota Bandung, Jawa Barat”."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fee = AmountField(label=_("Rate per order"), required=False)
    fee_per_kg = AmountField(
        label=_("Rate per kg"),
        required=False,
        help_text=_("Added for each kilogram started, from the variants' weights."),
    )

    def __init__(self, *args, currency: str, **kwargs):
        kwargs.setdefault("prefix", "zone")
        super().__init__(*args, **kwargs)
        self.fields["provinces"].choices = [(p.code, p.name) for p in regions.provinces()]
        for name in ("fee", "fee_per_kg"):
            self.fields[name].set_currency(currency)

    def clean_cities(self):
        codes, unknown = [], []
        for line in filter(None, map(str.strip, self.cleaned_data["cities"].splitlines())):
            city = regions.city_by_label(line)
            (codes if city else unknown).append(city.code if city else line)
        if unknown:
            raise forms.ValidationError(
                _("Not in the list: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return codes

    def codes(self) -> list[str]:
        return self.cleaned_data["provinces"] + self.cleaned_data["cities"]


class PickupPointForm(forms.Form):
    name = forms.CharField(label=_("Place"), max_length=80)
    details = forms.CharField(label=_("Address and hours"), max_length=200)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "pickup")
        super().__init__(*args, **kwargs)
