"""The campaign editor's forms: every PO term, the variant rows, and the photos."""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignImage, Variant
from campaigns.services.campaigns import TERM_FIELDS, VariantSpec, slug_taken_message
from kernel.forms import AmountField
from kernel.money import LOW_PRICE, format_money
from kernel.uploads import MAX_PHOTOS_PER_UPLOAD

# What <input type="datetime-local"> sends and shows: no seconds, no zone. The zone is the
# shop's, which seller_view activates, so Django reads and shows the times in it.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MAX_VARIANTS = 30
EXTRA_VARIANT_ROWS = 3


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


def whole_number():
    return forms.NumberInput(attrs={"inputmode": "numeric"})


def at_least_one(form, *names):
    # IntegerField sets min="0" from the model's PositiveIntegerField; these start at 1.
    for name in names:
        form.fields[name].widget.attrs["min"] = 1


def suggested_window(query) -> dict:
    """`opens_at` and `closes_at` from a suggestion link (`?opens_at=...&closes_at=...`), as
    initial values for the editor; nothing unless both read as times and the window closes after
    it opens. Read in the active time zone, the shop's."""
    reader = forms.DateTimeField(input_formats=[DATETIME_LOCAL])
    try:
        window = {name: reader.clean(query.get(name)) for name in ("opens_at", "closes_at")}
    except forms.ValidationError:
        return {}
    return window if window["closes_at"] > window["opens_at"] else {}


class CampaignForm(forms.ModelForm):
    """All the PO terms. Campaign.clean checks the rules between fields (close after open,
    minimum within capacity, deposit fits its rule, capacity above the units ordered)."""

    # A percent or an amount, as the seller types either ("50", "25.000", "25rb").
    deposit_value = AmountField(
        label=capfirst(Campaign._meta.get_field("deposit_value").verbose_name),
        help_text=Campaign._meta.get_field("deposit_value").help_text,
        required=False,
    )

    # Legends and fields of the page's sections, in order.
    GROUPS = (
        (_("The product"), ("title", "slug", "description", "video_url")),
        (_("Order window"), ("opens_at", "closes_at")),
        (
            _("Quantities"),
            ("min_quantity", "capacity", "max_per_order", "max_per_buyer", "sales_target"),
        ),
        (_("Production and shipping"), ("production_days", "shipping_days")),
        (_("Payment"), ("deposit_rule", "deposit_value", "deposit_hours", "balance_days")),
        (_("Customisation"), ("note_prompt", "note_required")),
        (_("Cancellation and refunds"), ("cancellation_policy", "late_balance")),
    )

    class Meta:
        model = Campaign
        fields = TERM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "cancellation_policy": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "min_quantity": whole_number(),
            "capacity": whole_number(),
            "max_per_order": whole_number(),
            "max_per_buyer": whole_number(),
            "sales_target": whole_number(),
            "production_days": whole_number(),
            "shipping_days": whole_number(),
            "deposit_hours": whole_number(),
            "balance_days": whole_number(),
            "video_url": forms.URLInput(attrs={"inputmode": "url"}),
        }

    def __init__(self, *args, shop, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.instance.shop = shop
        at_least_one(
            self,
            "min_quantity",
            "capacity",
            "max_per_order",
            "max_per_buyer",
            "sales_target",
            "deposit_hours",
        )
        slug = self.fields["slug"]
        slug.required = False
        slug.help_text = _("Letters, digits and dashes. Leave empty to make it from the title.")
        if self.instance.pk and self.instance.status != Campaign.Status.DRAFT:
            # Buyers have the link (WhatsApp, the QR code): it stays once published.
            slug.disabled = True
            slug.help_text = _("Fixed once published: buyers already have the link.")
        zone_hint = _("In your shop's time zone (%(zone)s).") % {"zone": shop.time_zone}
        self.fields["opens_at"].help_text = zone_hint
        self.fields["closes_at"].help_text = zone_hint
        self.fields["deposit_value"].set_currency(shop.currency)

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean_opens_at(self):
        return self._keep_seconds("opens_at")

    def clean_closes_at(self):
        value = self._keep_seconds("closes_at")
        stored = self.instance.closes_at
        published = self.instance.pk and self.instance.status != Campaign.Status.DRAFT
        if published and value and stored and value > stored:
            # Closing earlier stops orders; a later close is the once-only extension, decided
            # with its rules and the buyers told (payments/services/decisions.py, extend_window).
            raise forms.ValidationError(
                _(
                    "Buyers have this closing time. To give them more time, use “Extend the "
                    "window” on the campaign's overview once the window is about to close."
                )
            )
        return value

    def _keep_seconds(self, name):
        # The input shows minutes only: a time sent back unchanged keeps its stored seconds, so
        # saving another field never moves the window.
        value, stored = self.cleaned_data.get(name), getattr(self.instance, name)
        if value and stored and value == stored.replace(second=0, microsecond=0):
            return stored
        return value

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and self.shop.campaigns.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(slug_taken_message())
        return slug

    def clean(self):
        cleaned = super().clean()
        rule = cleaned.get("deposit_rule")
        if cleaned.get("deposit_value") is None and "deposit_value" not in self.errors:
            if rule == Campaign.DepositRule.FULL:
                # Ignored for full payment, but the column needs a value.
                cleaned["deposit_value"] = self.instance.deposit_value or 0
            elif rule:
                self.add_error("deposit_value", _("Enter the deposit."))
        return cleaned

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in TERM_FIELDS}


class VariantForm(forms.ModelForm):
    price = AmountField(label=capfirst(Variant._meta.get_field("price").verbose_name))
    # Shown only once a price under LOW_PRICE was asked about.
    low_price_ok = forms.BooleanField(label=_("This price is right"), required=False)

    class Meta:
        model = Variant
        fields = ["name", "price", "capacity", "weight_grams"]
        widgets = {"capacity": whole_number(), "weight_grams": whole_number()}
        help_texts = {"weight_grams": _("Packed, for ongkir by weight.")}

    def __init__(self, *args, currency: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["price"].set_currency(currency)
        at_least_one(self, "capacity")
        if self.instance.pk is None:
            # An untouched new row stays unchanged (and unsaved) with its weight left empty.
            self.initial["weight_grams"] = None

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is not None and price <= 0:
            raise forms.ValidationError(_("The price must be more than zero."))
        return price

    def clean(self):
        cleaned = super().clean()
        price, floor = cleaned.get("price"), LOW_PRICE.get(self.currency)
        if price and floor and price < floor and not cleaned.get("low_price_ok"):
            self.add_error(
                "price",
                forms.ValidationError(
                    _(
                        "%(price)s is very little for a product: did you mean %(guess)s? "
                        "If %(price)s is right, tick “This price is right”."
                    ),
                    code="low_price",
                    params={
                        "price": format_money(price, self.currency),
                        "guess": format_money(price * 1000, self.currency),
                    },
                ),
            )
        return cleaned

    @property
    def asks_about_low_price(self) -> bool:
        return self.has_error("price", "low_price") or bool(self["low_price_ok"].value())

    def validate_constraints(self):
        # The formset checks names across all rows, ignoring case, as they will be saved; the
        # other constraints are the field and clean() checks already run.
        pass


class BaseVariantFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, form_kwargs={"currency": currency}, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this variant")

    def clean(self):
        # Not super().clean(): its unique check compares rows with the database as it is, not
        # as it will be after this save (two variants trading names).
        kept = 0
        seen = set()
        for form in self.forms:
            if self._removed(form) or (form.instance.pk is None and not form.has_changed()):
                continue
            kept += 1
            name = (form.cleaned_data or {}).get("name")
            if not name:
                continue
            key = name.strip().casefold()
            if key in seen:
                form.add_error("name", _("Another variant already has this name."))
            seen.add(key)
        if not kept:
            raise forms.ValidationError(
                _("Add at least one variant with a name and a price."), code="no_variants"
            )

    def validate_unique(self):
        pass

    def _removed(self, form) -> bool:
        return self.can_delete and self._should_delete_form(form)

    def specs(self) -> list[VariantSpec]:
        """The rows to save, in page order (the variants' display order); call after is_valid."""
        specs = []
        for form in self.forms:
            pk = form.instance.pk
            if self._removed(form):
                if pk is not None:
                    specs.append(VariantSpec(name="", price=Decimal(0), id=pk, delete=True))
                continue
            if pk is None and not form.has_changed():
                continue
            specs.append(
                VariantSpec(
                    name=form.cleaned_data["name"],
                    price=form.cleaned_data["price"],
                    capacity=form.cleaned_data.get("capacity"),
                    weight_grams=form.cleaned_data.get("weight_grams") or 0,
                    id=pk,
                )
            )
        return specs


VariantFormSet = forms.inlineformset_factory(
    Campaign,
    Variant,
    form=VariantForm,
    formset=BaseVariantFormSet,
    extra=EXTRA_VARIANT_ROWS,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_VARIANTS,
    absolute_max=MAX_VARIANTS,
    validate_max=True,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by images.add_campaign_image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        single = super().clean
        return [single(file, initial) for file in files]


class PhotoUploadForm(forms.Form):
    images = MultipleFileField(
        label=_("Photos"),
        required=True,
        error_messages={"required": _("Choose at least one photo.")},
    )
    alt = forms.CharField(
        label=_("Description for screen readers"),
        max_length=200,
        required=False,
        help_text=_("Optional; given to each photo of this upload. You can change it below."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = _(
            "JPEG, PNG or WebP, up to 10 MB each; at most %(n)d at a time."
        ) % {"n": MAX_PHOTOS_PER_UPLOAD}


class PhotoAltForm(forms.ModelForm):
    class Meta:
        model = CampaignImage
        fields = ["alt"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
