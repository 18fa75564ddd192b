"""Settings of the benchmark's server: the site's own settings, plus the floor views (bench/urls.py)."""

from coordination.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
