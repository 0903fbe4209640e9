from django.urls import path

from campaigns.views import (
    dashboard,
    decisions,
    editor,
    emails,
    history,
    invitations,
    shipping,
    shop,
    updates,
    vendors,
)
from campaigns.views import public as views

app_name = "campaigns"
urlpatterns = [
    path("<slug:shop_slug>/", views.shop_detail, name="shop"),
    path("<slug:shop_slug>/<slug:campaign_slug>/", views.campaign_detail, name="campaign"),
]

# Under /accounts/, namespace "accounts" (Django's own auth views sit beside them).
account_patterns = [
    path("signup/", shop.signup, name="signup"),
    path("invitation/<str:token>/", invitations.invitation, name="invitation"),
]

# Under /dashboard/, namespace "dashboard"; every view takes the shop from the URL.
campaign = "<slug:shop_slug>/campaigns/<int:campaign_id>/"
dashboard_patterns = [
    path("", dashboard.pick_shop, name="pick_shop"),
    path("<slug:shop_slug>/", dashboard.home, name="home"),
    path(campaign, dashboard.overview, name="campaign"),
    path(f"{campaign}qr.svg", dashboard.qr_code, name="campaign_qr"),
    path(f"{campaign}poster/", dashboard.poster, name="campaign_poster"),
    path("<slug:shop_slug>/history/", history.shop_history, name="history"),
    path("<slug:shop_slug>/settings/", shop.shop_settings, name="shop_settings"),
    path("<slug:shop_slug>/shipping/", shipping.shipping_settings, name="shipping"),
    path("<slug:shop_slug>/members/", shop.members, name="members"),
    path("<slug:shop_slug>/emails/", emails.email_list, name="emails"),
    path(
        "<slug:shop_slug>/emails/<int:email_id>/send-again/",
        emails.email_send_again,
        name="email_send_again",
    ),
    path("<slug:shop_slug>/alerts/", emails.alerts, name="alerts"),
    path(
        "<slug:shop_slug>/members/<int:user_id>/remove/", shop.member_remove, name="member_remove"
    ),
    path("<slug:shop_slug>/members/<int:user_id>/role/", shop.member_role, name="member_role"),
    path(
        "<slug:shop_slug>/invitations/<int:invitation_id>/withdraw/",
        shop.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<slug:shop_slug>/log/", shop.log, name="shop_log"),
    path("<slug:shop_slug>/campaigns/new/", editor.campaign_new, name="campaign_new"),
    path(f"{campaign}edit/", editor.campaign_edit, name="campaign_edit"),
    path(f"{campaign}duplicate/", editor.campaign_duplicate, name="campaign_duplicate"),
    path(f"{campaign}publish/", editor.campaign_publish, name="campaign_publish"),
    path(f"{campaign}unpublish/", editor.campaign_unpublish, name="campaign_unpublish"),
    path(
        f"{campaign}start-production/",
        decisions.campaign_start_production,
        name="campaign_start_production",
    ),
    path(
        f"{campaign}finish-production/",
        decisions.campaign_finish_production,
        name="campaign_finish_production",
    ),
    path(f"{campaign}extend/", decisions.campaign_extend, name="campaign_extend"),
    path(f"{campaign}fail/", decisions.campaign_fail, name="campaign_fail"),
    path(f"{campaign}cancel/", decisions.campaign_cancel, name="campaign_cancel"),
    path(f"{campaign}announce/", updates.campaign_announce, name="campaign_announce"),
    path(f"{campaign}revise-dates/", updates.campaign_revise_dates, name="campaign_revise_dates"),
    path(f"{campaign}photos/", editor.campaign_photos, name="campaign_photos"),
    path(f"{campaign}photos/<int:photo_id>/", editor.campaign_photo, name="campaign_photo"),
    path(
        f"{campaign}photos/<int:photo_id>/delete/",
        editor.campaign_photo_delete,
        name="campaign_photo_delete",
    ),
    path("<slug:shop_slug>/vendors/", vendors.vendors, name="vendors"),
    path("<slug:shop_slug>/vendors/new/", vendors.vendor_new, name="vendor_new"),
    path("<slug:shop_slug>/vendors/<int:vendor_id>/edit/", vendors.vendor_edit, name="vendor_edit"),
    path(f"{campaign}quotes/", vendors.campaign_quotes, name="campaign_quotes"),
    path(
        f"{campaign}quotes/<int:quote_id>/choose/",
        vendors.campaign_quote_choose,
        name="campaign_quote_choose",
    ),
    path(
        f"{campaign}quotes/suggestions/",
        vendors.campaign_quote_suggestions,
        name="campaign_quote_suggestions",
    ),
]
