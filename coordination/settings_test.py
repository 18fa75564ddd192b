"""Test settings: the real settings, with a fast password hasher and eager tasks by default."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECURE_COOKIES", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Each run its own media directory (the harness gives one inside its work directory, removed with it):
# files from an earlier run must not meet this run's ids (a report PDF of the same id counted as rendered).
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="phoihop-test-media-"))
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The citizens' pages: no page cache and no rate limit across tests (tests/public/ turns each on where it is tested).
PUBLIC_CACHE_SECONDS = 0
PUBLIC_RATE = PUBLIC_LOOKUP_RATE = PUBLIC_DOWNLOAD_RATE = "1000000/60"
# The dashboard computes its figures on every request in tests (tests/coordination/test_dashboard_cache.py
# turns its cache on where it is tested).
DASHBOARD_CACHE_SECONDS = 0
