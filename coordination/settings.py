"""Settings for every environment, read from typed environment variables with safe defaults."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_secret(name, default=None):
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env_secret("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "coordination",
    "charters",
    "meetings",
    "voters",
    "supervision",
    # Aggregators above the apps (README "Architecture"): each reads the apps, no app reads them.
    "charters.reviews",
    "coordination.dashboard",
    "coordination.demo",
    "bench",
    "coordination.public",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "coordination.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coordination.middleware.OfficeLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view is private unless marked @login_not_required (the public ones: tests/security/test_public_views.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "coordination.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it turns the lockout flag set during authentication into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coordination.urls"
WSGI_APPLICATION = "coordination.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "coordination.context_processors.membership",
                "coordination.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything) through DATABASE_URL.
# DATABASE_URL_FILE keeps the database password out of the environment (Docker secrets).
DATABASES = {
    "default": environ.Env.db_url_config(env_secret("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is tested (SELECT 1) before a request reuses it: after a PostgreSQL restart or failover
# the first request opens a new connection instead of failing on the dead one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and the in-process tasks read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # The calendar feed's covering index (starts_at INCLUDE updated_at) is for PostgreSQL's index-only scan;
    # SQLite builds it on starts_at alone, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
# PostgreSQL: the role the site runs under, when `migrate` runs under another one that owns the tables
# (DATABASE_URL then names the owner for `migrate`, the site role for the site; see coordination/db_roles.py).
# Every `migrate` grants this role what the site needs, and the audit log INSERT and SELECT only.
DATABASE_SITE_ROLE = env.str("DATABASE_SITE_ROLE", default="")
# The site's queries are short OLTP reads: PostgreSQL's JIT compiled the dashboard's aggregates for
# ~0.3 s at a million petitions and never won that back. Off per connection (PG_JIT=1 turns it on).
if IS_POSTGRES and not env.bool("PG_JIT", default=False):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "coordination.User"
# Axes first: it refuses locked-out username+IP pairs before any password is checked.
AUTHENTICATION_BACKENDS = [
    "coordination.auth_backends.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language and time: Vietnamese by default, English available.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="vi")
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["coordination.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves from the finders and looks files up per request, so `make run` needs no
# collectstatic and a missing STATIC_ROOT is fine (fixed here because pytest-django turns settings.DEBUG off).
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds each SMTP socket operation may wait: a hung mail server must not hold a digest's claim for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Quy chế phối hợp <noreply@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Celery: with no REDIS_URL, tasks run eagerly in-process (the embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Longer than the longest task, so a late-acked task is not redelivered while still running.
# A publish through `coordination.tasks.enqueue` while Redis is down fails at once (no connection retry, see
# there): the site's requests and the scan never wait on the broker; periodic sweeps queue again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    # JSON, e.g. {"visibility_timeout": 5, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}:
    # how fast a message left unacked by a killed worker is redelivered (tests use seconds).
    **env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={}),
}
CELERY_TIMEZONE = TIME_ZONE
REMINDER_SCAN_HOUR = env.int("REMINDER_SCAN_HOUR", default=6)
REMINDER_SCAN_MINUTE = env.int("REMINDER_SCAN_MINUTE", default=30)
# Reminders: due-soon lead times (days before the due date), escalation after N days overdue,
# overdue reminders repeated every N days (0 = once) for at most HORIZON days, and how many days
# back the scan retries digests whose email was not sent (broker or SMTP outage).
REMINDER_LEAD_DAYS = sorted(set(env.list("REMINDER_LEAD_DAYS", cast=int, default=[7, 3, 1])), reverse=True)
REMINDER_ESCALATE_AFTER_DAYS = env.int("REMINDER_ESCALATE_AFTER_DAYS", default=7)
REMINDER_OVERDUE_REPEAT_DAYS = env.int("REMINDER_OVERDUE_REPEAT_DAYS", default=7)
REMINDER_OVERDUE_HORIZON_DAYS = env.int("REMINDER_OVERDUE_HORIZON_DAYS", default=366)
REMINDER_CATCHUP_DAYS = env.int("REMINDER_CATCHUP_DAYS", default=3)
# The hard time limit of one digest send (claim, SMTP, stamp); a claim older than REMINDER_CLAIM_TIMEOUT
# (> that limit) belongs to a process that was killed, so the digest sweep may take it over.
REMINDER_SEND_TIME_LIMIT = env.int("REMINDER_SEND_TIME_LIMIT", default=120)
REMINDER_CLAIM_TIMEOUT = env.int("REMINDER_CLAIM_TIMEOUT", default=REMINDER_SEND_TIME_LIMIT + 60)
# Report renders: the renderer refreshes its claim every REPORT_HEARTBEAT_SECONDS; a render whose heartbeat
# is older than REPORT_STALE_SECONDS (its worker died) is taken over by the next sweep.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=5)
REPORT_STALE_SECONDS = env.int("REPORT_STALE_SECONDS", default=20)
REMINDER_WATCHERS = env.list(
    "REMINDER_WATCHERS",
    default=[
        "voters.reminders.petition_items",
        "charters.reminders.task_items",
        "charters.reviews.reminders.annual_review_items",
        "meetings.reminders.session_document_items",
        "meetings.reminders.minutes_items",
        "supervision.reminders.report_request_items",
        "supervision.reminders.recommendation_items",
    ],
)

if REDIS_URL:
    # A Redis outage degrades the cache to misses instead of failing pages (coordination/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "coordination.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security.
# Idle timeout: the cookie age is renewed on every request. Absolute limit: SessionLifetimeMiddleware.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# The idle timeout is renewed by SessionLifetimeMiddleware at most once a minute (SESSION_RENEW_SECONDS), not
# by a session write on every request (SESSION_SAVE_EVERY_REQUEST cost every page an UPDATE and a commit).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True  # scripts read the token from the <meta name="csrf-token"> tag, never the cookie
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy: everything from this origin only, no inline script or style, no framing.
# The pages load only vendored files from static/ (see tests/security/test_csp_browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one IP
# address, that pair is refused for AXES_COOLOFF_MINUTES; a successful sign-in resets the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coordination.middleware.login_locked_out"
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (unset = use REMOTE_ADDR).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Read API (/api/v1/, coordination.api): tokens per agency, JSON only, GET only; each view sets its own
# authentication, permission and throttle classes (coordination/api/views.py).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
}
# Requests per token ("N/second|minute|hour|day"), counted in the cache (Redis when REDIS_URL is set).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Quy chế phối hợp — read API",
    "DESCRIPTION": (
        "Read-only data of the coordination charters for other government systems: administrative units, "
        "agencies, charters with their articles, meetings, voter petitions with forwardings and answers, and "
        "the dashboard figures. Authenticate with `Authorization: Bearer <token>` (a token per agency, issued "
        "by an administrator). Lists are cursor-paginated, ordered by `updated_at`, and take `updated_since` "
        "for incremental sync."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PetitionStatusEnum": "voters.models.Status",
        "CharterStatusEnum": "charters.models.CharterStatus",
    },
}

# Product settings.
DUE_SOON_DAYS = env.int("DUE_SOON_DAYS", default=7)
# Leaders' dashboard: seconds its computed figures are reused at most (0 = computed on every request). Any
# committed write, a summary refresh or a new day computes them again before that (coordination.cache
# .figures_version); the page always shows when its figures were computed.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)
MENU_TITLE = _("Quy chế phối hợp")

# The citizens' pages (/public/, coordination/public): how long a page is kept in the cache, and how many requests
# one address may make ("count/seconds") to the pages, to the receipt lookup and to the open-data downloads.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
PUBLIC_RATE = env.str("PUBLIC_RATE", default="120/60")
PUBLIC_LOOKUP_RATE = env.str("PUBLIC_LOOKUP_RATE", default="10/600")
PUBLIC_DOWNLOAD_RATE = env.str("PUBLIC_DOWNLOAD_RATE", default="20/3600")
# Petition exports (voters.export_jobs): up to EXPORT_INLINE_MAX_ROWS rows are answered in the request, more
# become a Celery job whose file is kept EXPORT_RETENTION_DAYS days (a daily task deletes the expired ones).
# The job's claim uses REPORT_HEARTBEAT_SECONDS / REPORT_STALE_SECONDS like the report renders.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)

# The iCalendar feed (meetings.ics): the meetings from CALENDAR_FEED_DAYS_BACK days ago to CALENDAR_FEED_DAYS_AHEAD
# days ahead; calendar apps may reuse a response CALENDAR_FEED_MAX_AGE seconds, then revalidate (ETag -> 304).
CALENDAR_FEED_DAYS_BACK = env.int("CALENDAR_FEED_DAYS_BACK", default=90)
CALENDAR_FEED_DAYS_AHEAD = env.int("CALENDAR_FEED_DAYS_AHEAD", default=365)
CALENDAR_FEED_MAX_AGE = env.int("CALENDAR_FEED_MAX_AGE", default=300)
# Suggestions of a new petition's field and agency (voters/suggestions.py): a province's model is trained once
# it has SUGGESTIONS_MIN_SAMPLES classified and forwarded petitions; a unit with fewer than
# SUGGESTIONS_MIN_UNIT_HISTORY of its own gets no suggestion rather than a bad one.
SUGGESTIONS_MIN_SAMPLES = env.int("SUGGESTIONS_MIN_SAMPLES", default=100)
SUGGESTIONS_MIN_UNIT_HISTORY = env.int("SUGGESTIONS_MIN_UNIT_HISTORY", default=20)
# A province learns from at most its SUGGESTIONS_MAX_TRAIN most recent such petitions: training stays a few
# seconds and a few hundred MB at any table size (learning curve in the README).
SUGGESTIONS_MAX_TRAIN = env.int("SUGGESTIONS_MAX_TRAIN", default=50_000)
