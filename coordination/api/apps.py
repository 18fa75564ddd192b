"""App config of the read API (an aggregator above the apps, README "Read API")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "coordination.api"
    label = "api"
    verbose_name = _("Read API")

    def ready(self):
        from coordination.audit import audit_labels_register

        audit_labels_register(
            {
                "api_use": _("Read API used"),
                "api_token_create": _("API token created"),
                "api_token_revoke": _("API token revoked"),
            }
        )
