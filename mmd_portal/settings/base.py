"""Settings of the MMD Portal, read from the environment (see .env.example)."""

import hashlib
import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# Redis (optional): the shared cache and the task queue of several app servers (issue 12).
REDIS_URL = os.environ.get("REDIS_URL", "")

INSTALLED_APPS = [
    # Django
    "mmd_portal.apps.PortalAdminConfig",  # django.contrib.admin, the secretariat's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Third party
    "django_filters",
    "django_countries",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Local
    "csp",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    *(["django_rq"] if REDIS_URL else []),
    # Local: the platform layer, the project, then the portal's apps (PORTAL_APPS)
    "core",
    "mmd_portal",
    "dialogues",
    "jvap",
    "grants",
]

# The portal's own apps: the secretariat edits every model of these.
PORTAL_APPS = ["dialogues", "jvap", "grants"]

# The order matters: WhiteNoise serves static files before anything else runs; CSP right after
# so that every response (the admin's too) gets the header; the audit's middleware after
# authentication so that it knows who made a change; anonymous public pages come from the cache
# after the messages are read; Axes last, as its documentation requires, so that it sees the
# outcome of the login view.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mmd_portal.middleware.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mmd_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mmd_portal.opendata.subscriptions.page_subscriptions",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "mmd_portal.wsgi.application"


def database(url: str) -> dict:
    """A database of DATABASES from its URL. PostgreSQL's JIT compiler is turned off: it
    compiles any query with a high estimated cost (an export's subqueries, a dashboard's
    aggregates) and spent seconds compiling queries that run in tens of milliseconds."""
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0"))
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Vienna"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "admin:login"

# The admin's address; production deployments may move it (see .env.example).
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/")

PUBLIC_PAGE_SIZE = 25

# Upload limits (the JVAP importer and document uploads read these).
JVAP_UPLOAD_MAX_BYTES = int(os.environ.get("JVAP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
JVAP_UPLOAD_MAX_ROWS = int(os.environ.get("JVAP_UPLOAD_MAX_ROWS", 50_000))
JVAP_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("JVAP_UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
)
# Seconds a background task may spend reading one upload before it refuses the file.
JVAP_UPLOAD_MAX_SECONDS = float(os.environ.get("JVAP_UPLOAD_MAX_SECONDS", 300))

# Photos larger than this are scaled down on upload; thumbnails have this width.
PHOTO_MAX_SIDE = 2400
PHOTO_THUMBNAIL_SIDE = 480

IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Speed: one cache every process shares (files on this machine, or Redis) ----------------
# Every worker process of the machine reads the same files, so a change that one process makes
# (a withdrawn JVAP entry) leaves every process's pages at once; several machines share Redis.
# Files rather than Django's database cache: a hit takes no query and the store takes no
# database write lock (measured: core/caching.py's commit). Culling keeps it to MAX_ENTRIES.
CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / "cache"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    if REDIS_URL
    else {
        "BACKEND": "core.caching.SharedFileCache",
        "LOCATION": str(CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", 3000))},
    }
}
# The cache outlives the processes: its keys name the database, so that pointing the portal
# at another database (DATABASE_URL) never serves the other one's pages.
CACHES["default"]["KEY_PREFIX"] = (
    os.environ.get("DJANGO_CACHE_KEY_PREFIX")
    or (
        hashlib.sha1(
            f"{DATABASES['default']['HOST']}:{DATABASES['default']['NAME']}".encode()
        ).hexdigest()[:10]
    )
)
# How long anonymous public pages and aggregates stay cached; any data change invalidates
# them earlier (core.caching). 0 turns page caching off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("DJANGO_PUBLIC_CACHE_SECONDS", "600"))

# Read replicas (comma-separated postgres:// URLs) for read-heavy deployments.
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    DATABASES[f"replica{_index + 1}"] = database(_url)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["mmd_portal.db_router.PrimaryReplicaRouter"]

# Production is this file with DJANGO_DEBUG=0; every switch below is in .env.example.

# The admin's path from DJANGO_ADMIN_PATH, with or without slashes ("office-7f3a" works too).
ADMIN_PATH = ADMIN_PATH.strip("/") + "/" if ADMIN_PATH.strip("/") else "admin/"

# --- HTTPS behind a reverse proxy -------------------------------------------------------------
# The proxy (nginx, a load balancer) terminates TLS and says so in X-Forwarded-Proto. Trust that
# header only in production, where the portal must sit behind such a proxy.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off when something in front already redirects http to https (the check is then silenced).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer asks for the health page over plain http, behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SILENCED_SYSTEM_CHECKS = []
if not DEBUG and not SECURE_SSL_REDIRECT:
    # The operator said TLS and the http->https redirect are handled in front of Django.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# --- Cookies and sessions ---------------------------------------------------------------------
# Development runs over plain http, so cookies are only marked Secure in production.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A staff session lasts a working day; optionally it ends when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE_SECONDS", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# --- Content-Security-Policy (django-csp 4.x) -------------------------------------------------
# Everything from our own origin; no inline script unless it carries the per-request nonce:
# <script nonce="{{ request.csp_nonce }}">. Styles from our own files only (no inline <style>).
# Uploaded images are served from MEDIA_URL on the same origin; data: for the admin's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env_list("DJANGO_CSP_EXTRA_IMG_SRC")],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE, *env_list("DJANGO_CSP_FRAME_SRC")],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if os.environ.get("DJANGO_CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = os.environ["DJANGO_CSP_REPORT_URI"]

# --- Accounts: logins, lockout, password reset ------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Refuses locked-out clients before any password is checked (see mmd_portal.security).
    "mmd_portal.security.LoginThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A username is locked from the address that keeps guessing it (never from everywhere, which
# would let anyone lock an official out), and an address after a lighter limit of its own
# (several people share an office's address). mmd_portal.security.LoginLockoutHandler.
AXES_HANDLER = "mmd_portal.security.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", 5))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", 50))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", 1))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: X-Forwarded-For is believed only when DJANGO_TRUSTED_PROXY_COUNT says
# how many proxies of ours stand in front (otherwise anyone could forge it to dodge the lockout).
AXES_CLIENT_IP_CALLABLE = "mmd_portal.security.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", 0))

LOGIN_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours
# Reset e-mails per hour from one address and to one account; past them nothing is sent and the
# answer stays the same (mmd_portal.security.ThrottledPasswordResetView).
PASSWORD_RESET_LIMIT_WINDOW_SECONDS = 60 * 60
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("DJANGO_PASSWORD_RESET_PER_ADDRESS", 10))
PASSWORD_RESET_LIMIT_PER_ACCOUNT = int(os.environ.get("DJANGO_PASSWORD_RESET_PER_ACCOUNT", 3))

# E-mail: printed on the console in development; SMTP when DJANGO_EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "MMD Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Uploads (core.uploads and core.images check and re-encode them) ---------------------------
UPLOAD_IMAGE_MAX_BYTES = int(os.environ.get("UPLOAD_IMAGE_MAX_BYTES", 15 * 1024 * 1024))
# Pixels (width x height) an uploaded image may have; Pillow refuses anything past twice this.
UPLOAD_IMAGE_MAX_PIXELS = int(os.environ.get("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000))
UPLOAD_DOCUMENT_MAX_BYTES = int(os.environ.get("UPLOAD_DOCUMENT_MAX_BYTES", 50 * 1024 * 1024))
# Bigger uploads are streamed to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Roles on import/export ---------------------------------------------------------------------
# Without these, django-import-export lets ANY staff user import into or export any model. Import
# needs the model's "change" permission, export its "view" permission (focal points have neither
# on the dialogues models).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# --- Audit (django-simple-history) ------------------------------------------------------------
# Changes made without a request (shell, commands) are recorded without a user; the admin's
# history page shows every version and can bring a deleted record back ("Revert").
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Grants (MMD Grant Facility) -------------------------------------------------------------
# Cover images: refused above this size or below this side, scaled down above the largest side.
GRANT_COVER_MAX_BYTES = int(os.environ.get("GRANT_COVER_MAX_BYTES", 8 * 1024 * 1024))
GRANT_COVER_MIN_SIDE = 300
GRANT_COVER_MAX_SIDE = 2000
# The grants spreadsheet import (one row per grant and one per consortium member).
GRANTS_UPLOAD_MAX_BYTES = int(os.environ.get("GRANTS_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
GRANTS_UPLOAD_MAX_ROWS = int(os.environ.get("GRANTS_UPLOAD_MAX_ROWS", 5_000))
# --- JVAP (jvap app) ------------------------------------------------------------------------
# Uploaded spreadsheets are kept outside MEDIA_ROOT so that the web server never serves them;
# the upload pages and the admin hand them out after checking who asks. Deployments with
# several app servers configure a shared storage as STORAGES["jvap_uploads"] instead.
JVAP_UPLOADS_ROOT = Path(os.environ.get("JVAP_UPLOADS_ROOT", BASE_DIR / "private-media"))
# The portal's public address, for links in e-mails sent outside a request (notifications).
PORTAL_BASE_URL = os.environ.get("DJANGO_PORTAL_BASE_URL", "http://127.0.0.1:8000")
# How long the link of a contributor's invitation works (jvap.invitations).
JVAP_INVITATION_DAYS = int(os.environ.get("JVAP_INVITATION_DAYS", 7))
# The secretariat's digest of confirmed uploads waits this long after a confirmation, so that
# the uploads confirmed meanwhile go out in the same e-mail (jvap.notifications).
JVAP_DIGEST_DELAY_MINUTES = int(os.environ.get("JVAP_DIGEST_DELAY_MINUTES", 30))
# The prebuilt full downloads (core.bulk_downloads), as files outside MEDIA_ROOT.
FULL_DOWNLOADS_ROOT = Path(os.environ.get("DJANGO_FULL_DOWNLOADS_ROOT", BASE_DIR / "downloads"))

# --- Static files from WhiteNoise, media on the file system or S3 ----------------------------
# WhiteNoise serves the collected static files from the app servers, compressed and with
# hashed names (far-future caching) in production; development serves them as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "full_downloads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(FULL_DOWNLOADS_ROOT)},
    },
}
if os.environ.get("DJANGO_MEDIA_STORAGE") == "s3":
    # Several app servers share uploaded media (and the JVAP files waiting between preview and
    # confirm) on S3-compatible object storage; credentials come from AWS_* variables.
    S3_OPTIONS = {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
    STORAGES["jvap_uploads"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**S3_OPTIONS, "location": "private/jvap-uploads"},
    }
    STORAGES["full_downloads"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**S3_OPTIONS, "location": "private/full-downloads"},
    }

# --- SQLite writers wait their turn -----------------------------------------------------------
# SQLite allows one writer at a time. A transaction that reads and then writes (an upload reads
# the partner's entries, then writes them) fails at once with "database is locked" when another
# writer got there first: SQLite refuses to wait, as waiting could deadlock. Starting every
# transaction IMMEDIATE takes the write lock at BEGIN, so the second writer waits (up to
# `timeout` seconds) and then sees what the first committed. PostgreSQL needs none of this:
# the upload locks its partner row there (jvap/services.py).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )

# --- Open data (issue 16): licence of the published data, IATI reporter ----------------------
# The licence shown on /open-data/ and written into every bulk file's metadata, the data
# package and the DCAT-AP catalogue.
OPEN_DATA_LICENCE = {
    "name": os.environ.get("OPEN_DATA_LICENCE_NAME", "CC-BY-4.0"),
    "title": os.environ.get("OPEN_DATA_LICENCE_TITLE", "Creative Commons Attribution 4.0"),
    "path": os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}
# The portal reports the JVAP projects to IATI as a secondary reporter, under this organisation
# identifier (set it to the one registered with IATI), organisation type (40: multilateral) and
# name.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XI-IATI-MMD-PORTAL")
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "40")
IATI_REPORTING_ORG_NAME = os.environ.get(
    "IATI_REPORTING_ORG_NAME", "MMD Portal (ICMPD, Migration and Mobility Dialogue)"
)

# --- Open data: the read-only public API (mmd_portal.api) -----------------------------------
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MMD Portal API",
    "DESCRIPTION": (
        "Read-only open data of the Africa-EU Migration and Mobility Dialogue portal: the "
        "published dialogues, memberships, chair terms, meetings, documents, organisations, "
        "countries, JVAP entries, grants and calls. Licence: see /open-data/."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI from drf-spectacular-sidecar's static files, never a CDN (the CSP allows only
    # our own origin).
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links (their anchors inside each operation's toggle button are interactive
    # content nested in a button) and no syntax colouring of answers (too little contrast).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# --- Heavy work off the request: background tasks (issue 12) ----------------------------------
# Django's tasks API (django-tasks, the backport of Django 6's django.tasks). The database
# backend needs no other server: `manage.py db_worker` runs the tasks (`make run` starts one
# beside the web server). With REDIS_URL, RQ queues them and `manage.py rqworker --job-class
# django_tasks_rq.Job` runs them, on as many machines as wanted (deploy/README.md).
TASKS = {
    "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    if REDIS_URL
    else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
RQ_QUEUES = {"default": {"URL": REDIS_URL}} if REDIS_URL else {}

# --- Operations: logs, error mails, Sentry (issue 12) -----------------------------------------
# Everything at LOG_LEVEL and above goes to stderr with its traceback (systemd's journal or the
# container's log collects it); server errors are also mailed to ADMINS when DJANGO_ADMINS
# names them ("Name <address>, ...") and DEBUG is off.
ADMINS = [(name, address) for name, address in getaddresses(env_list("DJANGO_ADMINS")) if address]
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
        # Axes announces its start-up in every process; its lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
# Sentry receives errors (and, if asked, a sample of traces) when SENTRY_DSN is set. No personal
# data is sent: no user names, addresses or cookies of focal points and staff.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )

# --- Big downloads (issue 12, core.bulk_downloads) --------------------------------------------
# The full downloads (every published row, no filter) of these listings are built by a task
# after each change and served as files (STORAGES["full_downloads"]: FULL_DOWNLOADS_ROOT, or
# S3 with DJANGO_MEDIA_STORAGE=s3 when several machines serve the portal).
FULL_DOWNLOADS = ["jvap.views.public.EntryListView", "grants.views.GrantListView"]
# Functions giving more downloads the same task builds (core.bulk_downloads.FullDownload).
FULL_DOWNLOAD_SETS = ["mmd_portal.opendata.bulk.full_downloads"]
FULL_DOWNLOADS_PREBUILT = env_bool("DJANGO_FULL_DOWNLOADS_PREBUILT", True)
# A rebuild already queued is not queued again for this long (a burst of changes, one build).
FULL_DOWNLOADS_PENDING_SECONDS = 600
# Filtered downloads up to this many rows stream at once; bigger ones for anonymous visitors
# take one of the process's slots or get a "busy, try again" 503 with Retry-After.
SMALL_DOWNLOAD_ROWS = int(os.environ.get("DJANGO_SMALL_DOWNLOAD_ROWS", 2000))
HEAVY_DOWNLOADS_PER_PROCESS = int(os.environ.get("DJANGO_HEAVY_DOWNLOADS_PER_PROCESS", 1))
HEAVY_DOWNLOADS_RETRY_AFTER_SECONDS = 30
# Prebuilt files an anonymous visitor gets at once per process (each holds a server thread
# until the file is sent; gunicorn runs 4 threads per worker: deploy/gunicorn.conf.py).
FILE_DOWNLOADS_PER_PROCESS = int(os.environ.get("DJANGO_FILE_DOWNLOADS_PER_PROCESS", 2))
# The unfiltered JVAP dashboard and facet counts (jvap.public_figures) and the home page's
# figures (mmd_portal.figures) are computed by tasks after each change, beside the full
# downloads; the pages compute them when they are stale. (The variable's earlier name,
# DJANGO_JVAP_PRECOMPUTED_FIGURES, from when only the JVAP figures were precomputed, is read
# when the new one is not set.)
PRECOMPUTED_FIGURES = env_bool(
    "DJANGO_PRECOMPUTED_FIGURES", env_bool("DJANGO_JVAP_PRECOMPUTED_FIGURES", True)
)
