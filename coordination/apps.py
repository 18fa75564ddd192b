"""App config of the shared core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination core")

    def ready(self):
        # Registers the core's tasks, which the reminders queue by their names (coordination.queueing).
        from . import tasks  # noqa: F401
