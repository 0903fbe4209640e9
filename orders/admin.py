"""Staff's view of orders and their timelines. Status, amounts and units are read-only: they move
only through the services (orders.services.transitions, payments.services.cancellations, the
ledger), which the actions here call with the staff member as the actor."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kernel.admin import ReadOnlyInline, ViewOnly, act_on_each, money
from orders.models import Order, OrderEvent, OrderLine, TransferAmount, WaitlistEntry
from orders.services.fulfilment import mark_shipped
from payments.models import Payment, Refund
from payments.services.cancellations import cancel_order

# The buyer reads it on the order page and in the cancellation email.
STAFF_CANCEL_REASON = "Cancelled by staff"
# Written by orders/services/fulfilment.py when the order leaves the shop (with the emails and the
# campaign's moves), never by hand: shown read-only.
FULFILMENT_FIELDS = ["carrier", "tracking_number", "shipped_at", "received_at"]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["variant_name", "price", "quantity", "note"]
    related = ["order"]
    price = money(OrderLine, "unit_price", "order.currency")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "created_at",
        "kind",
        "source",
        "sent",
        "status",
        "received",
        "sender_name",
        "sender_bank",
        "reviewed_by",
        "reviewed_at",
    ]
    related = ["reviewed_by", "order"]
    show_change_link = True
    sent = money(Payment, "amount", "order.currency")
    received = money(Payment, "amount_received", "order.currency")


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["created_at", "refund", "reason", "status", "reference", "sent_at", "sent_by"]
    related = ["sent_by", "order"]
    show_change_link = True
    refund = money(Refund, "amount", "order.currency")


class TransferAmountInline(ReadOnlyInline):
    """The exact amounts the order waited for (kode unik), claimed and released by services."""

    model = TransferAmount
    fields = ["kind", "amount", "code", "claimed_at", "released_at"]


class OrderEventInline(ReadOnlyInline):
    """The timeline, read-only: events are written by services, never edited."""

    model = OrderEvent
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "note"]
    related = ["actor"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "buyer_name",
        "buyer_phone",
        "campaign",
        "shop",
        "status",
        "subtotal_",
        "deposit_",
        "created_at",
    ]
    list_filter = ["status", "campaign__shop", "campaign", "created_at"]
    search_fields = ["code", "buyer_name", "buyer_phone", "buyer_email"]
    date_hierarchy = "created_at"
    list_select_related = ["campaign__shop"]
    # Status, amounts and units move only through the services (transitions, ledger, stock).
    readonly_fields = [
        "campaign",
        "code",
        "status",
        "currency",
        "subtotal_",
        "deposit_",
        "balance_",
        "transfer_code",
        "deposit_due_at",
        "balance_due_at",
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
        "internal_note",
        "currency",
        "subtotal_",
        "deposit_",
        "balance_",
        "transfer_code",
        "deposit_due_at",
        "balance_due_at",
        "created_at",
        "updated_at",
    ]
    inlines = [
        OrderLineInline,
        PaymentInline,
        RefundInline,
        TransferAmountInline,
        OrderEventInline,
    ]
    subtotal_ = money(Order, "subtotal", "currency")
    deposit_ = money(Order, "deposit_amount", "currency")
    balance_ = money(Order, "balance_amount", "currency")
    actions = ["cancel_and_refund", "ship"]

    def get_fields(self, request, obj=None):
        return [*self.fields, *FULFILMENT_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *FULFILMENT_FIELDS]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("shop"), ordering="campaign__shop__name")
    def shop(self, order: Order):
        return order.campaign.shop

    @admin.action(description=_("Cancel selected orders and refund"), permissions=["change"])
    def cancel_and_refund(self, request, queryset):
        refunds = []

        def cancel(order):
            cancellation = cancel_order(order=order, actor=request.user, reason=STAFF_CANCEL_REASON)
            if cancellation.refund is not None:
                refunds.append(cancellation.refund)

        act_on_each(
            self,
            request,
            queryset.order_by("pk"),
            cancel,
            name=lambda order: order.code,
            done=lambda count: (
                ngettext("%(count)d order cancelled", "%(count)d orders cancelled", count)
                % {"count": count}
                + "; "
                + ngettext(
                    "%(refunds)d refund is on the refunds list, to send.",
                    "%(refunds)d refunds are on the refunds list, to send.",
                    len(refunds),
                )
                % {"refunds": len(refunds)}
            ),
        )

    @admin.action(description=_("Mark selected orders shipped"), permissions=["change"])
    def ship(self, request, queryset):
        """First a page asking each order's carrier and tracking number, then mark_shipped."""
        orders = list(queryset.select_related("campaign").order_by("pk"))
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Mark orders shipped"),
                "orders": orders,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/orders/order/ship.html", context)

        def ship(order):
            mark_shipped(
                order=order,
                carrier=request.POST.get(f"carrier-{order.pk}", ""),
                tracking_number=request.POST.get(f"tracking-{order.pk}", ""),
                actor=request.user,
            )

        act_on_each(
            self,
            request,
            orders,
            ship,
            name=lambda order: order.code,
            done=lambda count: (
                ngettext(
                    "%(count)d order marked shipped.", "%(count)d orders marked shipped.", count
                )
                % {"count": count}
            ),
        )
        return None


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ViewOnly, admin.ModelAdmin):
    """The waiting lists, read-only: places, offers and holds move only through
    orders/services/waitlist.py (the units held are counted on the campaign)."""

    list_display = ["name", "campaign", "variant", "quantity", "status", "held", "joined_at"]
    list_filter = ["status"]
    search_fields = ["name", "phone", "email", "campaign__title"]
    list_select_related = ["campaign", "variant"]
