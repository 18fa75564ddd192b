"""Readable labels of the audit actions the meetings services write."""

from django.utils.translation import gettext_lazy as _

MEETING_ACTION_LABELS = {
    "agenda_item_add": _("Agenda item added"),
    "agenda_set": _("Agenda updated"),
    "attendance_set": _("Attendance recorded"),
    "minutes_record": _("Minutes recorded"),
    "minutes_update": _("Minutes updated"),
    "conclusion_add": _("Conclusion added"),
    "conclusion_task_create": _("Follow-up task created"),
    "session_document_add": _("Document due added"),
    "session_document_deliver": _("Document delivery recorded"),
    "calendar_feed_regenerate": _("Calendar link issued"),
    "calendar_feed_revoke": _("Calendar link revoked"),
}
