"""App config of charters, work programme and annual reviews."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartersConfig(AppConfig):
    name = "charters"
    verbose_name = _("Coordination charters")
