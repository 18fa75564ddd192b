"""App config of charters, work programme and annual reviews."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartersConfig(AppConfig):
    name = "charters"
    verbose_name = _("Coordination charters")

    def ready(self):
        # The shared timeline labels audit actions; these are the ones the charter services write.
        from coordination.audit import audit_labels_register

        audit_labels_register(
            {
                "bring_into_force": _("Brought into force"),
                "supersede": _("Superseded"),
                "expire": _("Expired"),
                "scan_attach": _("Signed scan uploaded"),
                "obligation_create": _("Duty added"),
                "obligation_update": _("Duty changed"),
                "tasks_generate": _("Work programme generated"),
                "regenerate": _("Updated from the duty"),
            }
        )
