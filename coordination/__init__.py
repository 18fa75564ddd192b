"""Project package and shared core: units, agencies, terms, roles, deadlines, audit."""

from .celery import app as celery_app

__all__ = ("celery_app",)
