"""App config of voter petitions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Labels of the audit actions only this app writes, shown on the shared timeline.
AUDIT_ACTION_LABELS = {
    "acknowledge": _("Receipt acknowledged"),
    "group": _("Duplicates grouped"),
    "group_update": _("Updated with its group"),
    "ungroup": _("Taken out of a group"),
    "publish_answer": _("Answer published"),
    "unpublish_answer": _("Answer withdrawn from the public pages"),
    "receipt_issue": _("Receipt issued"),
}


# Labels of the keys of audit changes that are not fields of the petition (shown in its history).
AUDIT_FIELD_LABELS = {
    "attachments": pgettext_lazy("audit field", "Attachments"),
    "comment": pgettext_lazy("audit field", "Comment"),
    "dispatch_date": pgettext_lazy("audit field", "Dispatch date"),
    "dispatch_number": pgettext_lazy("audit field", "Dispatch number"),
    "document_date": pgettext_lazy("audit field", "Document date"),
    "document_number": pgettext_lazy("audit field", "Document number"),
    "due_date_set_by_hand": pgettext_lazy("audit field", "Due date set by hand"),
    "on_time": pgettext_lazy("audit field", "On time"),
    "personal_data": pgettext_lazy("audit field", "Personal data"),
    "reanswer": pgettext_lazy("audit field", "Re-answer requested"),
    "reason": pgettext_lazy("audit field", "Reason"),
    "result": pgettext_lazy("audit field", "Result"),
}


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = _("Voter petitions")

    def ready(self):
        from coordination.audit import audit_field_labels_register, audit_labels_register
        from coordination.reminders import register_digest_figures

        from . import tasks  # noqa: F401 - registers the export tasks, which the services queue by name
        from .reminders import petition_digest_figures

        register_digest_figures(petition_digest_figures)
        audit_labels_register(AUDIT_ACTION_LABELS)
        audit_field_labels_register(AUDIT_FIELD_LABELS)
