"""App config of the leaders' dashboard (its summary tables are plain core models in coordination.models)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "coordination.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        # Registers the refresh task, which the summary queues by its name (coordination.queueing).
        from . import tasks  # noqa: F401
