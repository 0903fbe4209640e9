"""Staff's view of shops and campaigns. Counters and the campaign's status are read-only here: units
move only through orders/services/stock.py and decisions only through
campaigns/services/transitions.py."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns.models import (
    Campaign,
    CampaignEvent,
    CampaignImage,
    Email,
    Invitation,
    Membership,
    SellerSettings,
    Shop,
    ShopLogEntry,
    Variant,
    Vendor,
    VendorQuote,
)
from campaigns.services.outbox import send_again
from kernel.admin import ReadOnlyInline, ViewOnly

# Set by the seller's revision of the estimates (with its event and the buyers' email); shown
# read-only when the model has them (the announcements work adds them).
# Revised estimates are written with their reason and emails by orders/services/revisions.py.
REVISION_FIELDS = ["revised_production_ends_on", "revised_ships_on", "revision_reason"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    autocomplete_fields = ["user"]


class InvitationInline(ReadOnlyInline):
    """Invitations are sent, accepted and withdrawn by the owners in the dashboard."""

    model = Invitation
    fields = [
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
    ]
    related = ("invited_by",)


class ShopLogInline(ReadOnlyInline):
    """The shop's append-only log: written by services, never edited."""

    model = ShopLogEntry
    fields = ["created_at", "kind", "actor_name", "note"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "whatsapp", "currency", "time_zone", "created_at"]
    list_filter = ["currency", "time_zone"]
    search_fields = ["name", "slug", "owner__username", "owner__email", "whatsapp"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    list_select_related = ["owner"]
    inlines = [MembershipInline, InvitationInline, ShopLogInline]


@admin.register(SellerSettings)
class SellerSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "shop", "contact"]
    list_filter = ["shop"]
    search_fields = ["name", "contact", "shop__name"]
    list_select_related = ["shop"]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["name", "price", "capacity", "reserved", "held", "position"]
    readonly_fields = ["reserved", "held"]


class CampaignImageInline(admin.TabularInline):
    model = CampaignImage
    extra = 0
    fields = ["image", "alt", "position"]


class VendorQuoteInline(admin.TabularInline):
    model = VendorQuote
    extra = 0
    fields = ["vendor", "unit_cost", "lead_time_days", "vendor_minimum", "notes", "chosen"]
    # One chosen quote per campaign: choosing goes through campaigns.services.vendors.choose_quote.
    readonly_fields = ["chosen"]
    autocomplete_fields = ["vendor"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor")


class CampaignEventInline(ReadOnlyInline):
    """The campaign's timeline, read-only: events are written by services, never edited."""

    model = CampaignEvent
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note"]
    related = ("actor",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "shop",
        "status",
        "phase_display",
        "opens_at",
        "closes_at",
        "reserved",
        "min_quantity",
        "capacity",
    ]
    list_filter = ["status", "deposit_rule", "shop"]
    search_fields = ["title", "slug", "shop__name", "shop__slug"]
    date_hierarchy = "opens_at"
    prepopulated_fields = {"slug": ["title"]}
    # The status moves through campaigns/services/transitions.py (with its event), `reserved`
    # and `held` through orders/services/stock.py: none can be typed in here.
    readonly_fields = ["status", "reserved", "held", "created_at", "updated_at"]
    list_select_related = ["shop"]
    inlines = [VariantInline, CampaignImageInline, VendorQuoteInline, CampaignEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *REVISION_FIELDS]

    @admin.display(description=_("phase"))
    def phase_display(self, campaign: Campaign) -> str:
        return campaign.phase.label


@admin.register(Email)
class EmailAdmin(ViewOnly, admin.ModelAdmin):
    """The outbox, read-only: e-mails are written by the services and sent by the worker
    (campaigns/services/outbox.py). A failed one can be sent again from here."""

    list_display = ["created_at", "template", "to", "shop", "about", "status", "attempts"]
    list_filter = ["status", "template", "shop"]
    search_fields = ["to", "about", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["shop"]
    actions = ["send_failed_again"]
    fields = [
        "shop",
        "to",
        "language",
        "template",
        "about",
        "subject",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    readonly_fields = fields

    def has_send_permission(self, request) -> bool:
        return request.user.is_staff

    @admin.action(description=_("Send the failed ones again"), permissions=["send"])
    def send_failed_again(self, request, queryset):
        again = [send_again(email=email) for email in queryset.filter(status=Email.Status.FAILED)]
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is queued again.",
                "%(count)d e-mails are queued again.",
                len(again),
            )
            % {"count": len(again)},
            messages.SUCCESS,
        )
