from django.contrib import admin

from orders.models import Order, OrderEvent, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["variant_name", "unit_price", "quantity", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    """The timeline, read-only: events are written by services, never edited."""

    model = OrderEvent
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "buyer_name",
        "buyer_phone",
        "campaign",
        "status",
        "subtotal",
        "deposit_amount",
        "created_at",
    ]
    list_filter = ["status", "campaign__shop", "campaign", "created_at"]
    search_fields = ["code", "buyer_name", "buyer_phone", "buyer_email"]
    date_hierarchy = "created_at"
    list_select_related = ["campaign"]
    # Status, amounts and units move only through the services (transitions, ledger, stock).
    readonly_fields = [
        "campaign",
        "code",
        "status",
        "currency",
        "subtotal",
        "deposit_amount",
        "balance_amount",
        "deposit_due_at",
        "created_at",
        "updated_at",
    ]
    fields = [
        "campaign",
        "code",
        "status",
        "buyer_name",
        "buyer_phone",
        "buyer_email",
        "shipping_address",
        "language",
        "currency",
        "subtotal",
        "deposit_amount",
        "balance_amount",
        "deposit_due_at",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderLineInline, OrderEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
