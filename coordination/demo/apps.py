"""App config of the demo seeding (no models; it holds the `seed_demo` command)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "coordination.demo"
    label = "demo"
    verbose_name = "Demo data"
