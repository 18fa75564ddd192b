"""App config of the shared core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import tasks  # noqa: F401 - registers the core's tasks, which the reminders queue by name
        from .db_roles import grant_after_migrate

        # Once per `migrate` (sender: this app), after every app's tables exist.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="coordination_site_role_grant")
