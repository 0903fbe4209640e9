from django.urls import path

from campaigns.views import public as views

app_name = "campaigns"
urlpatterns = [
    path("<slug:shop_slug>/", views.shop_detail, name="shop"),
    path("<slug:shop_slug>/<slug:campaign_slug>/", views.campaign_detail, name="campaign"),
]
