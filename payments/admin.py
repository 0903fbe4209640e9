from django.contrib import admin

from payments.models import PaymentAccount


@admin.register(PaymentAccount)
class PaymentAccountAdmin(admin.ModelAdmin):
    list_display = ["provider", "number", "holder", "kind", "shop", "is_active"]
    list_filter = ["kind", "is_active", "shop"]
    search_fields = ["provider", "number", "holder", "shop__name"]
    list_select_related = ["shop"]
