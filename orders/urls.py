from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("o/<str:token>/", views.order_detail, name="detail"),
]
