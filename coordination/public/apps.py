"""App config of the citizens' pages (/public/): published answers, figures, receipt lookup and open data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "coordination.public"
    label = "public"
    verbose_name = _("Public pages")
