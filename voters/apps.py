"""App config of voter petitions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Labels of the audit actions only this app writes, shown on the shared timeline.
AUDIT_ACTION_LABELS = {
    "acknowledge": _("Receipt acknowledged"),
    "group": _("Duplicates grouped"),
    "group_update": _("Updated with its group"),
    "ungroup": _("Taken out of a group"),
}


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = _("Voter petitions")

    def ready(self):
        from coordination.audit import audit_labels_register
        from coordination.reminders import register_digest_figures

        from . import tasks  # noqa: F401 - registers the export tasks, which the services queue by name
        from .reminders import petition_digest_figures

        register_digest_figures(petition_digest_figures)
        audit_labels_register(AUDIT_ACTION_LABELS)
