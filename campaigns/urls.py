from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("<slug:shop_slug>/", views.shop_detail, name="shop"),
    path("<slug:shop_slug>/<slug:campaign_slug>/", views.campaign_detail, name="campaign"),
]
