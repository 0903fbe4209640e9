from django.urls import path

from orders.views import public as views

app_name = "orders"
urlpatterns = [
    path("o/<str:token>/", views.order_detail, name="detail"),
]

# Under /dashboard/, namespace "dashboard".
dashboard_patterns = [
    # orders list, order detail, cancel, recap, export (seller views)
]
