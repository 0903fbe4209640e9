from django.urls import path

from orders.views import public as views
from orders.views import seller

app_name = "orders"
urlpatterns = [
    path("o/<str:token>/", views.order_detail, name="detail"),
]

# Under /dashboard/, namespace "dashboard".
order = "<slug:shop_slug>/orders/<str:code>/"
campaign = "<slug:shop_slug>/campaigns/<int:campaign_id>/"
dashboard_patterns = [
    path("<slug:shop_slug>/orders/", seller.order_list, name="orders"),
    path(order, seller.order_detail, name="order"),
    path(f"{order}note/", seller.order_note, name="order_note"),
    path(f"{order}cancel/", seller.order_cancel, name="order_cancel"),
    path(f"{campaign}orders/", seller.campaign_orders, name="campaign_orders"),
    path(f"{campaign}recap/", seller.campaign_recap, name="campaign_recap"),
    path(f"{campaign}orders.csv", seller.campaign_export, name="campaign_export"),
]
