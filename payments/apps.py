from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from campaigns.services.campaigns import SHOP_READY_CHECKS
        from payments.selectors import missing_payment_method

        if missing_payment_method not in SHOP_READY_CHECKS:
            SHOP_READY_CHECKS.append(missing_payment_method)
