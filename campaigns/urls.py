from django.urls import path

from campaigns.views import dashboard
from campaigns.views import public as views

app_name = "campaigns"
urlpatterns = [
    path("<slug:shop_slug>/", views.shop_detail, name="shop"),
    path("<slug:shop_slug>/<slug:campaign_slug>/", views.campaign_detail, name="campaign"),
]

# Under /accounts/, namespace "accounts" (Django's own auth views sit beside them).
account_patterns = [
    # signup (shop views)
]

# Under /dashboard/, namespace "dashboard"; every view takes the shop from the URL.
campaign = "<slug:shop_slug>/campaigns/<int:campaign_id>/"
dashboard_patterns = [
    path("", dashboard.pick_shop, name="pick_shop"),
    path("<slug:shop_slug>/", dashboard.home, name="home"),
    path(campaign, dashboard.overview, name="campaign"),
    path(f"{campaign}qr.svg", dashboard.qr_code, name="campaign_qr"),
    # shop settings and members (shop views)
    # campaign editor, photos, vendors and quotes (editor views)
]
