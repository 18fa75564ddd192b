"""App config of the annual reviews and their PDF reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "charters.reviews"
    # The models moved here from `charters` keep their tables (db_table) and their content types
    # (renamed by reviews/migrations/0001_initial.py).
    label = "reviews"
    verbose_name = _("Annual reviews")

    def ready(self):
        # Registers the report tasks, which the services queue by their names (coordination.queueing).
        from coordination.health import register_age_probe

        from . import selectors, tasks  # noqa: F401

        register_age_probe("oldest_queued_render_seconds", selectors.oldest_queued_render_age)
