from django.urls import path

from orders.views import finding, seller, shipping, waitlist
from orders.views import public as views

app_name = "orders"
urlpatterns = [
    path("o/<str:token>/", views.order_detail, name="detail"),
    path("o/<str:token>/received/", shipping.order_received, name="received"),
    path("w/<str:token>/", waitlist.waitlist_entry, name="waitlist_entry"),
    # Three segments: never taken for a campaign's /<shop>/<campaign>/.
    path("<slug:shop_slug>/orders/find/", finding.find_my_orders, name="find"),
]

# Under /dashboard/, namespace "dashboard".
order = "<slug:shop_slug>/orders/<str:code>/"
campaign = "<slug:shop_slug>/campaigns/<int:campaign_id>/"
dashboard_patterns = [
    path("<slug:shop_slug>/orders/", seller.order_list, name="orders"),
    path(order, seller.order_detail, name="order"),
    path(f"{order}note/", seller.order_note, name="order_note"),
    path(f"{order}cancel/", seller.order_cancel, name="order_cancel"),
    path(f"{order}send-link/", seller.order_send_link, name="order_send_link"),
    path(f"{order}ship/", shipping.order_ship, name="order_ship"),
    path(f"{order}complete/", shipping.order_complete, name="order_complete"),
    path(f"{campaign}shipping/", shipping.campaign_shipping, name="campaign_shipping"),
    path(
        f"{campaign}shipping/confirm/",
        shipping.campaign_shipping_confirm,
        name="campaign_shipping_confirm",
    ),
    path(f"{campaign}orders/", seller.campaign_orders, name="campaign_orders"),
    path(f"{campaign}recap/", seller.campaign_recap, name="campaign_recap"),
    path(f"{campaign}waiting-list/", waitlist.campaign_waitlist, name="campaign_waitlist"),
    path(f"{campaign}orders.csv", seller.campaign_export, name="campaign_export"),
]
