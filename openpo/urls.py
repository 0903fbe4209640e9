from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from campaigns.urls import account_patterns
from campaigns.urls import dashboard_patterns as campaign_dashboard
from campaigns.views.accounts import PasswordResetView
from campaigns.views.language import choose_language
from kernel.views import favicon, healthz
from orders.urls import dashboard_patterns as order_dashboard
from payments.urls import buyer_patterns as payment_buyer
from payments.urls import dashboard_patterns as payment_dashboard

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    # Some browsers and apps ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", favicon),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("accounts/", include((account_patterns, "accounts"))),
    # Before Django's own: the reset is throttled and its e-mail goes through the worker.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path(
        "dashboard/",
        include(
            ([*campaign_dashboard, *order_dashboard, *payment_dashboard], "dashboard"),
        ),
    ),
    path("", include("orders.urls")),
    path("", include((payment_buyer, "payments"))),
    # Last: the shop slug takes the first path segment (RESERVED_SLUGS keeps it off the above).
    path("", include("campaigns.urls")),
]
urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
