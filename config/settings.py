"""Project settings, read from the environment (see README: Configuration)."""

import os
from pathlib import Path

import dj_database_url

from config import logs, storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)  # `make run` sets DEBUG=1 for the development server
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "training",
    "imports",
]

MIDDLEWARE = [
    "config.uploads.RemoveUploadLeftovers",  # first: it closes a cut upload's temporary file
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the language chosen on the admin pages (set_language), else the
    # browser's Accept-Language, else LANGUAGE_CODE. After the session, before Common.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "imports.web.context_processors.site_time_zone",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
# SQLite's page cache holds 2 MB by default: a large import then reads the same index pages
# from the operating system again and again. 64 MB, taken only as pages are used, keeps the
# indexes of a million-row table in memory (docs/performance.md).
SQLITE_CACHE_KIB = int(os.environ.get("SQLITE_CACHE_KIB", "65536"))
# SQLite never answers "database is locked" to a second writer at once: every transaction
# takes the write lock when it begins (IMMEDIATE: no reader turned writer can deadlock), a
# writer waits up to SQLITE_BUSY_TIMEOUT seconds for another one, and readers never wait for
# a writer (WAL). A lock still held after that is a message to the user
# (imports/database/db_errors.py).
SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
            "init_command": (
                f"PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                f" PRAGMA cache_size = -{SQLITE_CACHE_KIB}"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The site's language when the browser asks for none we have (and for the command line and
# the workers); each admin user's browser (or choice on the admin pages) decides their pages.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
LANGUAGES = [("en", "English"), ("fr", "Français")]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# One way to show a date-time on every admin page, by language (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
# The catalogues are the apps' own (imports/locale, training/locale); the project's
# templates/ holds no text of its own.
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))  # collectstatic
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# Uploaded files and logs for several hosts (README "Production", docs/background.md): the
# uploads' store is MEDIA_ROOT, or an S3 bucket with STORAGE_URL=s3://bucket/prefix (the
# extra "s3"; AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID… in config/storage.py).
# STORAGES is defined whole: a settings module of one's own may change one key of it.
# LOGGING: errors and the import service's warnings on standard error, a JSON object a line
# with the job's id (config/logs.py; LOG_FORMAT=text, LOG_LEVEL).
STORAGE_URL = os.environ.get("STORAGE_URL", "")
STORAGES = storage.storages(STORAGE_URL, os.environ)
LOGGING = logs.logging_config(
    os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "WARNING")
)

# django-import-export: importing needs add *and* change permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"

# Settings of the import app, one namespace (defaults in imports/conf.py).
INTERVENTION_IMPORT: dict = {}

# E-mail (the batch pipeline's report): the console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "imports@localhost")

# Celery (background imports, docs/background.md). No broker: imports run in-process.
# Job state lives in the database, so there is no result backend.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ACKS_LATE = True  # a task's message is acknowledged when it ends, not when it starts
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed worker process: the message goes back
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: a worker reserves one message at a time
CELERY_TASK_IGNORE_RESULT = True
# A message not acknowledged within this time (a worker gone) is delivered again; it must be
# longer than the longest import. Redelivered, a task finds its job running with a stale
# heartbeat and marks it failed (imports/tasks.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)),
}

# Caches. "imports" holds running imports' live progress and cancel requests: it must be
# shared by web servers and workers, so it is Redis when REDIS_URL (or a redis:// broker) is
# set, else this process's memory (fine without workers).
REDIS_URL = os.environ.get("REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "imports": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "intervention-import",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "imports"}
    ),
}

# The HTTP API under /api/v1/ (imports/api/, docs/api.md): Django REST framework, tokens by
# django-rest-knox (stored hashed; lifetime INTERVENTION_IMPORT["API_TOKEN_DAYS"]), the
# OpenAPI schema by drf-spectacular and its Swagger UI from our own static files (the sidecar).
# Its other settings (throttle rate, idempotency, page sizes) are in INTERVENTION_IMPORT.
INSTALLED_APPS += ["rest_framework", "knox", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "imports.api.auth.TokenAuthentication",  # first: a request without credentials is 401
        "imports.api.auth.AdminSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["imports.api.throttles.PerToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "imports.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False}  # the lifetime is given per token
SPECTACULAR_SETTINGS = {
    "TITLE": "Intervention import API",
    "DESCRIPTION": "Preview, confirm, undo and export interventions (docs/api.md).",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # nothing fetched from outside
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
