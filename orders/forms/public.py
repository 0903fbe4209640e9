"""The buyer's order form: one row per variant (how many, and a note for each unit where the
campaign asks for customisation) plus who and where to ship."""

import secrets
from collections import Counter

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.services import shipping
from kernel import regions
from kernel.phones import to_e164
from orders.services.placing import MAX_NOTE_LENGTH, Buyer, LineRequest

MAX_QUANTITY = 999
# Note fields one row shows at most: more units of one variant, each with its own note, are
# refused (nobody types 51 names into one form; the seller can take them on WhatsApp).
MAX_NOTED_UNITS = 50


class LineForm(forms.Form):
    """One variant: its quantity and, where the campaign asks, one note per unit ("names on
    3 shirts"). The form shows as many note fields as the quantity it was sent with (at least
    one); the page's script adds and removes them as the buyer changes the quantity."""

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

    def __init__(self, *args, variants, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["variant"].choices = [(v.pk, v.name) for v in variants]
        self.item = next((v for v in variants if v.pk == self.initial.get("variant")), None)
        if campaign.note_prompt:
            for unit in range(self._units_shown()):
                self.fields[f"note_{unit}"] = forms.CharField(
                    label=campaign.note_prompt,
                    max_length=MAX_NOTE_LENGTH,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def _units_shown(self) -> int:
        """As many note fields as units asked for (sent, or the initial quantity), at least
        one and at most MAX_NOTED_UNITS."""
        typed = self.data.get(self.add_prefix("quantity")) if self.is_bound else None
        try:
            units = int(typed) if typed is not None else self.initial.get("quantity") or 0
        except ValueError:
            units = 0
        return min(max(units, 1), MAX_NOTED_UNITS)

    @property
    def note_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("note_")]

    @property
    def chosen(self) -> bool:
        """A quantity is chosen: its notes are required, where the campaign requires them."""
        try:
            return int(self["quantity"].value() or 0) > 0
        except (TypeError, ValueError):
            return False

    def clean(self):
        cleaned = super().clean()
        quantity = cleaned.get("quantity") or 0
        if not self.campaign.note_prompt or not quantity:
            return cleaned
        if quantity > MAX_NOTED_UNITS:
            self.add_error(
                "quantity",
                _("At most %(n)d units in one order when each has its own note.")
                % {"n": MAX_NOTED_UNITS},
            )
            return cleaned
        if self.campaign.note_required:
            for unit in range(quantity):
                name = f"note_{unit}"
                if name in self.fields and not (cleaned.get(name) or "").strip():
                    self.add_error(
                        name,
                        _("Fill in “%(prompt)s” for this one.")
                        % {"prompt": self.campaign.note_prompt},
                    )
        return cleaned

    def unit_notes(self) -> list[str]:
        """One note per unit ordered (empty where the campaign asks for none). A unit whose
        field the browser did not send (no script: the page had fewer fields than the quantity
        typed) takes the last note sent; where notes are required, clean() asked for it."""
        notes, last = [], ""
        for unit in range(self.cleaned_data.get("quantity") or 0):
            if self.add_prefix(f"note_{unit}") in self.data:
                last = (self.cleaned_data.get(f"note_{unit}") or "").strip()
            notes.append(last)
        return notes


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
    # Only where the shop names pickup points: "ship" or a pickup point's id.
    delivery = forms.ChoiceField(label=_("Delivery"), widget=forms.RadioSelect, initial="ship")
    # Only where the shop charges ongkir: picked from the page's list of cities (a datalist, so
    # a phone's keyboard searches it), checked against it here.
    destination = forms.CharField(
        label=_("City or regency"),
        max_length=120,
        required=False,
        help_text=_("Start typing, then pick it from the list."),
        widget=forms.TextInput(attrs={"list": "destinations", "autocomplete": "off"}),
    )
    shipping_address = forms.CharField(
        label=_("Shipping address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    # Made once per page view: a double tap or a resubmit sends the same key, and gets the
    # same order back instead of a second one.
    idempotency_key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput, required=False
    )

    def __init__(self, data=None, *, campaign: Campaign, variants=None, quantity=1, buyer=None):
        """`variants` (default: all the campaign's) are the rows offered; a lone row starts at
        `quantity`; `buyer` fills in who orders (a waiting-list place knows them)."""
        initial = {"idempotency_key": new_idempotency_key(), **(buyer or {})}
        super().__init__(data, initial=initial)
        self.campaign = campaign
        shop = campaign.shop
        pickups = list(shop.pickup_points.all())
        if pickups:
            self.fields["delivery"].choices = [("ship", _("Ship it to me"))] + [
                (
                    str(point.pk),
                    _("Pick it up at %(place)s (%(details)s)")
                    % {"place": point.name, "details": point.details},
                )
                for point in pickups
            ]
        else:
            del self.fields["delivery"]
        self.destinations = shipping.destinations(shop) if shipping.asks_destination(shop) else []
        if not self.destinations:
            del self.fields["destination"]
        variants = list(campaign.variants.all()) if variants is None else variants
        self.lines = LineFormSet(
            data,
            prefix="lines",
            initial=[
                {"variant": v.pk, "quantity": quantity if len(variants) == 1 else 0}
                for v in variants
            ],
            form_kwargs={"variants": variants, "campaign": campaign},
        )

    def clean_buyer_phone(self):
        return to_e164(self.cleaned_data["buyer_phone"])

    def clean_destination(self):
        text = self.cleaned_data["destination"]
        city = regions.city_by_label(text) if text else None
        if text and city not in self.destinations:
            raise forms.ValidationError(_("Choose your city or regency from the list."))
        return city

    def clean(self):
        data = super().clean()
        if data.get("delivery", "ship") == "ship":
            if "shipping_address" in data and not data["shipping_address"].strip():
                self.add_error("shipping_address", _("Give the address to ship to."))
            # Left empty (a name not on the list is refused by clean_destination).
            if "destination" in data and data["destination"] is None:
                self.add_error("destination", _("Choose your city or regency from the list."))
        return data

    def is_valid(self):
        return all([super().is_valid(), self.lines.is_valid()])

    def line_requests(self) -> list[LineRequest]:
        """A line per variant and note: three shirts with three names are three lines of one,
        three with one name (or none) one line of three."""
        requests = []
        for line in self.lines:
            notes = Counter(line.unit_notes())
            requests += [
                LineRequest(variant_id=line.cleaned_data["variant"], quantity=count, note=note)
                for note, count in notes.items()
            ]
        return requests

    def buyer(self, language: str) -> Buyer:
        data = self.cleaned_data
        return Buyer(
            name=data["buyer_name"].strip(),
            phone=data["buyer_phone"],
            email=data["buyer_email"],
            address=data["shipping_address"].strip(),
            language=language,
            destination=data["destination"].code if data.get("destination") else "",
            pickup_point=None if data.get("delivery", "ship") == "ship" else int(data["delivery"]),
        )

    def key(self) -> str:
        return self.cleaned_data["idempotency_key"] or new_idempotency_key()


def new_idempotency_key() -> str:
    """One per page view; the campaign page's cached copy gets its own in every response."""
    return secrets.token_urlsafe(16)
