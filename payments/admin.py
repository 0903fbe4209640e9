from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kernel.admin import ReadOnlyInline, ViewOnly, act_on_each, money
from payments.models import (
    GatewayConnection,
    GatewayNotification,
    GatewayTransaction,
    Payment,
    PaymentAccount,
    Refund,
    StatementImport,
    StatementLine,
)
from payments.services.payments import verify_payment


@admin.register(PaymentAccount)
class PaymentAccountAdmin(admin.ModelAdmin):
    list_display = ["provider", "number", "holder", "kind", "shop", "is_active"]
    list_filter = ["kind", "is_active", "shop"]
    search_fields = ["provider", "number", "holder", "shop__name"]
    list_select_related = ["shop"]


@admin.register(Payment)
class PaymentAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: payments are reviewed through payments.services (the dashboard, or the action
    here), so the order moves and the timeline records who did it. Proof pictures are not
    shown here."""

    list_display = ["order", "kind", "source", "sent", "status", "received", "created_at"]
    list_filter = ["status", "kind", "source", "order__campaign__shop", "created_at"]
    search_fields = ["order__code", "sender_name", "order__buyer_name"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]
    actions = ["verify_as_sent"]
    fields = [
        "order",
        "kind",
        "source",
        "method",
        "sent",
        "unique_code",
        "sender_name",
        "sender_bank",
        "status",
        "received",
        "received_on",
        "statement_line",
        "reject_reason",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    ]
    readonly_fields = fields
    sent = money(Payment, "amount", "order.currency")
    received = money(Payment, "amount_received", "order.currency")

    def has_review_permission(self, request) -> bool:
        # The form stays read-only; reviewing is a service call, allowed to who may change payments.
        return request.user.has_perm("payments.change_payment")

    @admin.action(
        description=_("Verify selected payments (amount received = amount sent)"),
        permissions=["review"],
    )
    def verify_as_sent(self, request, queryset):
        act_on_each(
            self,
            request,
            queryset.select_related("order").order_by("pk"),
            lambda payment: verify_payment(
                payment=payment, amount_received=payment.amount, actor=request.user
            ),
            name=lambda payment: (
                _("Payment %(id)d of order %(code)s")
                % {"id": payment.pk, "code": payment.order.code}
            ),
            done=lambda count: (
                ngettext("%(count)d payment verified.", "%(count)d payments verified.", count)
                % {"count": count}
            ),
        )


@admin.register(Refund)
class RefundAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: refunds are asked for by cancellations and marked sent on the shop's dashboard,
    through payments/services/refunds.py, so the ledger, the timeline and the buyer's email
    follow."""

    list_display = ["order", "refund", "status", "created_at", "sent_at", "reference"]
    list_filter = ["status", "order__campaign__shop", "created_at"]
    search_fields = ["order__code", "order__buyer_name", "reference", "account_holder"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]
    fields = [
        "order",
        "refund",
        "reason",
        "status",
        "bank",
        "account_number",
        "account_holder",
        "reference",
        "created_at",
        "sent_at",
        "sent_by",
    ]
    readonly_fields = fields
    refund = money(Refund, "amount", "order.currency")


class StatementLineInline(ReadOnlyInline):
    model = StatementLine
    fields = ["booked_on", "amount", "description", "status", "note", "handled_by", "handled_at"]
    related = ["handled_by"]
    show_change_link = True


@admin.register(StatementImport)
class StatementImportAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: statements are uploaded, previewed and confirmed on the shop's dashboard,
    through payments/services/statements.py, so every credit goes through the one door."""

    list_display = ["file_name", "shop", "layout", "status", "uploaded_by", "created_at"]
    list_filter = ["status", "layout", "shop", "created_at"]
    search_fields = ["file_name", "shop__name"]
    date_hierarchy = "created_at"
    list_select_related = ["shop", "uploaded_by"]
    fields = [
        "shop",
        "account",
        "layout",
        "file_name",
        "status",
        "columns",
        "uploaded_by",
        "created_at",
        "confirmed_at",
        "text",
    ]
    readonly_fields = fields
    inlines = [StatementLineInline]


@admin.register(StatementLine)
class StatementLineAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: a line is credited or dismissed on the dashboard (payments/services)."""

    list_display = ["booked_on", "amount", "shop", "status", "description"]
    list_filter = ["status", "shop", "booked_on"]
    search_fields = ["description", "payment__order__code"]
    date_hierarchy = "booked_on"
    list_select_related = ["shop"]
    fields = [
        "shop",
        "statement",
        "booked_on",
        "amount",
        "description",
        "status",
        "note",
        "handled_by",
        "handled_at",
        "fingerprint",
    ]
    readonly_fields = fields


@admin.register(GatewayConnection)
class GatewayConnectionAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only, keys masked: a shop's owner connects a gateway from the dashboard."""

    list_display = ["shop", "provider", "mode", "secret_key_hint", "is_active", "updated_at"]
    list_filter = ["provider", "mode", "is_active"]
    search_fields = ["shop__name", "shop__slug"]
    fields = [
        "shop",
        "provider",
        "mode",
        "secret_key_hint",
        "callback_token_hint",
        "fee_percent",
        "fee_fixed",
        "is_active",
        "updated_at",
    ]
    list_select_related = ["shop"]


class GatewayNotificationInline(ReadOnlyInline):
    model = GatewayNotification
    fields = ["received_at", "source", "state", "outcome", "body"]


@admin.register(GatewayTransaction)
class GatewayTransactionAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: what the gateways said is applied by payments/services/gateways."""

    list_display = ["reference", "order", "provider", "kind", "gross", "status", "created_at"]
    list_filter = ["status", "provider", "kind", "created_at"]
    search_fields = ["reference", "gateway_id", "order__code"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]
    exclude = ["connection"]
    inlines = [GatewayNotificationInline]
