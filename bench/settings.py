"""Settings of the benchmark's server: the site's own settings, plus the floor views (bench/urls.py)."""

from coordination.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The read API's rate limit per token would answer wrk's load with 429s: a limit it does not reach, still counted
# (the throttle's cost is in the measured time).
API_RATE_LIMIT = "1000/second"
# The citizens' pages limit requests per address; wrk's one address would get 429s.
PUBLIC_RATE = "1000000/60"
