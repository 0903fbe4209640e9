from django.contrib import admin

from campaigns.models import Campaign, CampaignImage, Shop, Variant


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "whatsapp", "currency", "time_zone", "created_at"]
    list_filter = ["currency", "time_zone"]
    search_fields = ["name", "slug", "owner__username", "owner__email", "whatsapp"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    filter_horizontal = ["members"]
    list_select_related = ["owner"]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["name", "price", "capacity", "reserved", "position"]
    readonly_fields = ["reserved"]


class CampaignImageInline(admin.TabularInline):
    model = CampaignImage
    extra = 0
    fields = ["image", "alt", "position"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "shop",
        "status",
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
    readonly_fields = ["reserved", "created_at", "updated_at"]
    list_select_related = ["shop"]
    inlines = [VariantInline, CampaignImageInline]
