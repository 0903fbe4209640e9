from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kernel.admin import ViewOnly, act_on_each, money
from payments.models import Payment, PaymentAccount, Refund
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

    list_display = ["order", "kind", "sent", "status", "received", "created_at"]
    list_filter = ["status", "kind", "order__campaign__shop", "created_at"]
    search_fields = ["order__code", "sender_name", "order__buyer_name"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]
    actions = ["verify_as_sent"]
    fields = [
        "order",
        "kind",
        "sent",
        "unique_code",
        "sender_name",
        "sender_bank",
        "status",
        "received",
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
