"""App config of meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.test.signals import setting_changed

        from .models import private_storage_reset

        # Tests (and anything else) that move MEDIA_ROOT get a storage at the new place.
        setting_changed.connect(private_storage_reset, dispatch_uid="meetings_private_storage_reset")

        # The shared timeline labels audit actions (registered in coordination.audit); the meetings' own
        # actions are registered here so their (translated) labels live in this app's catalog.
        from coordination.audit import audit_labels_register

        from .audit_labels import MEETING_ACTION_LABELS

        audit_labels_register(MEETING_ACTION_LABELS)
