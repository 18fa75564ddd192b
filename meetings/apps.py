"""App config of meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The shared timeline labels audit actions from one dict; the meetings' own actions are added
        # here so their (translated) labels live in this app's catalog.
        from coordination.templatetags.ui import ACTION_LABELS

        from .audit_labels import MEETING_ACTION_LABELS

        for code, label in MEETING_ACTION_LABELS.items():
            ACTION_LABELS.setdefault(code, label)
