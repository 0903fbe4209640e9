"""A seller's forms about their shop: signing up, the shop's settings, adding a member."""

from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from campaigns.exceptions import ShopSlugTaken
from campaigns.models import Role, SellerSettings, Shop, validate_shop_slug
from kernel.images import encode, open_upload
from kernel.phones import to_e164

# The currencies kernel/money.py knows how to show.
CURRENCIES = [
    ("IDR", _("Indonesian rupiah (Rp)")),
    ("MYR", _("Malaysian ringgit (RM)")),
    ("SGD", _("Singapore dollar (S$)")),
    ("USD", _("US dollar (US$)")),
    ("EUR", _("Euro (€)")),
    ("JPY", _("Japanese yen (¥)")),
]

_NEARBY_TIME_ZONES = [
    ("Asia/Jakarta", _("Asia/Jakarta (WIB)")),
    ("Asia/Makassar", _("Asia/Makassar (WITA)")),
    ("Asia/Jayapura", _("Asia/Jayapura (WIT)")),
    ("Asia/Singapore", "Asia/Singapore"),
    ("Asia/Kuala_Lumpur", "Asia/Kuala_Lumpur"),
]
# Most shops are in one of the first few; the rest follow once each, in alphabetical order.
TIME_ZONES = [
    (_("Indonesia and nearby"), _NEARBY_TIME_ZONES),
    (
        _("All time zones"),
        [
            (name, name)
            for name in sorted(available_timezones() - {name for name, label in _NEARBY_TIME_ZONES})
        ],
    ),
]

LOGO_SIZE = (512, 512)
PICTURE_TYPES = "image/jpeg,image/png,image/webp"


class LowercaseSlugField(forms.SlugField):
    """Public addresses are lower case, so “Rajut” and “rajut” cannot become two shops."""

    def to_python(self, value):
        return super().to_python(value).lower()


class PictureField(forms.FileField):
    """A picture upload; `reencoded()` in the form's clean method checks and re-encodes it."""

    widget = forms.ClearableFileInput(attrs={"accept": PICTURE_TYPES})


def reencoded(value, box: tuple[int, int]):
    """A new upload comes back as a WebP copy fitting `box`, or raises ValidationError with the
    reason; an unchanged picture (or False, when cleared) comes back as it was."""
    if isinstance(value, UploadedFile):
        return encode(open_upload(value), box)
    return value


class SignupForm(UserCreationForm):
    """A seller's account and their shop, in one form."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("For resetting your password, and for shop owners to add you as a member."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    shop_name = forms.CharField(
        label=_("Shop name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    shop_slug = LowercaseSlugField(
        label=_("Shop web address"),
        max_length=50,
        required=False,
        validators=[validate_shop_slug],
        help_text=_(
            "The last part of your shop's link, e.g. “rajut-ani”: letters, numbers and hyphens. "
            "Leave it empty to make one from the shop name."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"username": _("You log in with it: letters, digits and @ . + - _ only.")}

    field_order = ["username", "email", "password1", "password2", "shop_name", "shop_slug"]

    def clean_shop_slug(self):
        slug = self.cleaned_data["shop_slug"]
        if slug and Shop.objects.filter(slug__iexact=slug).exists():
            raise forms.ValidationError(ShopSlugTaken.message)
        return slug

    def seller(self) -> dict:
        """The arguments of campaigns.services.shops.create_seller."""
        data = self.cleaned_data
        return {
            "username": data["username"],
            "email": data["email"],
            "password": data["password1"],
            "shop_name": data["shop_name"],
            "shop_slug": data["shop_slug"],
        }


class ShopSettingsForm(forms.ModelForm):
    logo = PictureField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG, PNG or WebP picture up to 10 MB, shown on your shop page."),
    )
    # Longer than the stored E.164 form: sellers type spaces, dashes and brackets.
    whatsapp = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        required=False,
        help_text=_("Buyers tap it to chat with you, e.g. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=CURRENCIES,
        help_text=_(
            "Prices you have set are not converted; placed orders keep the currency they were "
            "placed in."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONES,
        help_text=_("Opening and closing times and deadlines are shown in this time zone."),
    )

    class Meta:
        model = Shop
        fields = [
            "name",
            "slug",
            "logo",
            "whatsapp",
            "contact_email",
            "currency",
            "time_zone",
            "unique_codes",
            "hold_hours",
            "policy",
            "delay_threshold_days",
            "delay_refund",
        ]
        field_classes = {"slug": LowercaseSlugField}
        labels = {"name": _("Shop name")}
        help_texts = {
            "slug": _(
                "The last part of your shop's link. Changing it changes the address of your shop "
                "page and of every campaign page: links you have already shared stop working."
            ),
            "contact_email": _("Shown to buyers who prefer email."),
        }
        widgets = {
            "slug": forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "policy": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A currency set by staff outside this list stays selectable rather than being lost.
        current = self.instance.currency
        if current and current not in dict(CURRENCIES):
            self.fields["currency"].choices = [*CURRENCIES, (current, current)]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        others = Shop.objects.exclude(pk=self.instance.pk)
        if others.filter(slug__iexact=slug).exists():
            raise forms.ValidationError(ShopSlugTaken.message)
        return slug

    def clean_whatsapp(self):
        number = self.cleaned_data["whatsapp"]
        return to_e164(number) if number else ""

    def clean_logo(self):
        return reencoded(self.cleaned_data["logo"], LOGO_SIZE)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their e-mail"),
        max_length=254,
        help_text=_("They get a link to join; they need no OpenPO account beforehand."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.STAFF,
        help_text=_(
            "Owners manage members, payment accounts and settings. Managers decide campaigns, "
            "refund and cancel. Staff review payments, ship and write notes."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class JoinForm(UserCreationForm):
    """A new account for an invited address: the address is the invitation's."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)
        help_texts = {"username": _("You log in with it: letters, digits and @ . + - _ only.")}


class AlertsForm(forms.ModelForm):
    """Which alerts the seller gets by e-mail, for every shop they run."""

    class Meta:
        model = SellerSettings
        fields = ["alert_new_orders", "alert_proofs", "alert_decisions", "alert_digest"]
        help_texts = {
            "alert_new_orders": _("At most one e-mail every few minutes, listing what came in."),
            "alert_proofs": _("Buyers who sent a proof of transfer, batched the same way."),
            "alert_decisions": _("Once, when a campaign closes or sells out."),
            "alert_digest": _("Each morning, when there is something to see."),
        }
