from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Shops and campaigns")

    def ready(self):
        from campaigns.services import sellers  # noqa: F401 (connects the login signal)
