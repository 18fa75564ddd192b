"""App config of supervision programmes (giám sát chuyên đề) and the Front's social criticism."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Labels of the audit actions only this app writes, shown on the shared timeline.
AUDIT_ACTION_LABELS = {
    "report_request": _("Report requested"),
    "report_receive": _("Report received"),
    "visit_record": _("Visit recorded"),
    "recommendation_add": _("Recommendation added"),
    "recommendation_done": _("Recommendation done"),
}

# What the reminders and the notifications call this app's items, and what each handoff asks.
ITEM_KIND_LABELS = {
    "supervision_report": _("Supervision report"),
    "supervision_recommendation": _("Post-supervision recommendation"),
}
HANDOFF_TITLES = {
    "handoff_supervision_report": _("Report requested by a supervision: to send"),
    "handoff_recommendation": _("Post-supervision recommendation: to carry out"),
}


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from coordination import reminders
        from coordination.audit import audit_labels_register

        audit_labels_register(AUDIT_ACTION_LABELS)
        # The core's tables of item kinds and handoff titles, extended from here (as the audit labels are) so
        # the labels live in this app's catalog.
        for code, label in ITEM_KIND_LABELS.items():
            reminders.ITEM_KIND_LABELS.setdefault(code, label)
        for code, label in HANDOFF_TITLES.items():
            reminders.HANDOFF_TITLES.setdefault(code, label)
