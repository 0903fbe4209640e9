"""The shop's vendor list and a campaign's vendor quotes."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from campaigns.models import Shop, Vendor, VendorQuote
from campaigns.services.vendors import vendor_name_taken
from kernel.forms import AmountField


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"contact": _("WhatsApp number, email or address: how you reach them.")}

    def __init__(self, *args, shop: Shop, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.instance.shop = shop

    def clean_name(self):
        name = self.cleaned_data["name"]
        if vendor_name_taken(shop=self.shop, name=name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("You already have a vendor with this name."))
        return name

    def validate_constraints(self):
        # clean_name checks the name per shop, ignoring case.
        pass


class QuoteForm(forms.ModelForm):
    unit_cost = AmountField(label=capfirst(VendorQuote._meta.get_field("unit_cost").verbose_name))

    class Meta:
        model = VendorQuote
        fields = ["vendor", "unit_cost", "lead_time_days", "vendor_minimum", "notes"]
        widgets = {
            "lead_time_days": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "vendor_minimum": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "vendor_minimum": _("The fewest units the vendor makes in one run."),
            "lead_time_days": _("Days from your order to the goods being ready."),
        }

    def __init__(self, *args, shop: Shop, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Only this shop's vendors: another shop's id is “not one of the available choices”.
        self.fields["vendor"].queryset = shop.vendors.all()
        self.fields["unit_cost"].set_currency(shop.currency)

    def clean_unit_cost(self):
        cost = self.cleaned_data.get("unit_cost")
        if cost is not None and cost <= 0:
            raise forms.ValidationError(_("The unit cost must be more than zero."))
        return cost
