"""App config of charters, work programme and annual reviews."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChartersConfig(AppConfig):
    name = "charters"
    verbose_name = _("Coordination charters")

    def ready(self):
        # The shared timeline labels audit actions; these are the ones the charter services write.
        from coordination.audit import audit_field_labels_register, audit_labels_register

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
                "record_update": _("Conference, witnesses and dissemination recorded"),
            }
        )
        # Keys of the charter's audit changes that are not its fields: a duty added, the tasks generated or
        # cancelled, the expiry.
        audit_field_labels_register(
            {
                "description": pgettext_lazy("audit field", "Duty"),
                "cadence": pgettext_lazy("audit field", "Cadence"),
                "day_of_period": pgettext_lazy("audit field", "Day of the period"),
                "month": pgettext_lazy("audit field", "Month"),
                "deadline_rule": pgettext_lazy("audit field", "Deadline rule"),
                "responsible_agency": pgettext_lazy("audit field", "Responsible agency"),
                "is_active": pgettext_lazy("audit field", "Active"),
                "created": pgettext_lazy("audit field", "Tasks created"),
                "updated": pgettext_lazy("audit field", "Tasks updated"),
                "cancelled": pgettext_lazy("audit field", "Tasks cancelled"),
                "cancelled_tasks": pgettext_lazy("audit field", "Open tasks cancelled"),
                "expired_on": pgettext_lazy("audit field", "Expired on"),
            }
        )
