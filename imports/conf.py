"""The import app's settings: one namespace, ``settings.INTERVENTION_IMPORT``, with defaults.

Read them as ``import_settings.MAX_ROWS``; nothing else in the app reads ``django.conf.settings``
for import options.
"""

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.utils import formats

DEFAULTS: dict[str, Any] = {
    # Largest upload accepted, in bytes, checked before parsing.
    "MAX_FILE_BYTES": 200 * 1024 * 1024,
    # Largest uncompressed size of an XLSX/ODS archive (zip bomb guard).
    "MAX_UNCOMPRESSED_BYTES": 1024 * 1024 * 1024,
    # Most data rows read from one file.
    "MAX_ROWS": 2_000_000,
    # Largest CSV field, in characters (the csv module's own limit is 131072).
    "MAX_FIELD_CHARS": 131_072,
    # Rows planned and written per batch (one lookup query per table per batch).
    "BATCH_SIZE": 5_000,
    # The batch pipeline's data folder: configuration paths (provider ``path``, error log
    # ``location``, ``backupFolder``) are relative to it; None means ``BASE_DIR / "data"``.
    "DATA_DIR": None,
    # All or nothing by default? (``--strict`` and the admin checkbox override it).
    "STRICT": False,
    # Schedule conflicts (a teacher or a room booked twice at overlapping times): "warn" (a
    # WARNING, the row is imported), "error" (the row is an error, skipped) or "ignore".
    # ``--conflicts`` and the upload form override it.
    "CONFLICTS": "warn",
    # cancelMissing (issue 29): an import that would cancel more than this share of the active
    # interventions of its scope (the file's sessions, for its dates) writes nothing unless
    # the count is confirmed (``--confirm-cancel N``, the tick in the admin).
    "CANCEL_MISSING_MAX_SHARE": 0.5,
    # Admin: must the user who confirms an import differ from the one who uploaded it?
    "FOUR_EYES": False,
    # Admin: previews never confirmed are purged (with their files) after this many hours
    # by ``manage.py purge_expired_imports``.
    "PREVIEW_MAX_AGE_HOURS": 72,
    # The files of finished jobs (imported, failed, cancelled) older than this many days are
    # deleted by ``manage.py purge_expired_imports``; the jobs keep their history, counts
    # and errors. None: kept for ever.
    "KEEP_FILES_DAYS": 90,
    # Admin: rows and errors shown per page of a preview or a job's error list.
    "PAGE_SIZE": 100,
    # Background imports (docs/background.md), used only when CELERY_BROKER_URL is set: a
    # preview runs on a worker when the file has at least BACKGROUND_MIN_BYTES; an import
    # when the file has that size or its preview at least BACKGROUND_MIN_ROWS rows.
    "BACKGROUND_MIN_BYTES": 1024 * 1024,
    "BACKGROUND_MIN_ROWS": 20_000,
    # The cache alias holding running jobs' live progress and cancel requests; it must be
    # shared by the web servers and the workers (Redis). Falls back to "default".
    "PROGRESS_CACHE": "imports",
    # Live progress is written to the cache at most this often (seconds).
    "PROGRESS_INTERVAL": 1.0,
    # A running job whose worker gave no sign of life for this long is marked failed
    # ("worker lost") by ``manage.py fail_stale_imports`` and when its page is shown.
    "STALE_AFTER_SECONDS": 900,
    # Dates written day or month first (03/04/2027) that no date of the file tells apart:
    # "language" reads them as the site's language writes dates (LANGUAGE_CODE, by Django's
    # locale formats: French day first, American English month first), "day" or "month" as
    # said, "ask" as each row's error (give a date format). Said in the result either way.
    "DATE_ORDER": "language",
    # The HTTP API (imports/api/, docs/api.md). A new token's lifetime in days
    # (``create_api_token``; None: it never expires).
    "API_TOKEN_DAYS": 90,
    # Requests per token (per user for a session), as DRF's throttles write a rate.
    "API_THROTTLE_RATE": "600/minute",
    # How long an ``Idempotency-Key`` and its first answer are kept, in hours.
    "API_IDEMPOTENCY_HOURS": 24,
    # Errors and rows per page of the API's lists (``page_size`` may ask for fewer or more, up
    # to API_MAX_PAGE_SIZE); interventions per page of ``/api/v1/interventions/``.
    "API_PAGE_SIZE": 100,
    "API_MAX_PAGE_SIZE": 1000,
}


class ImportSettings:
    def __init__(self, user_settings: dict[str, Any] | None = None) -> None:
        self._user_settings = user_settings

    @property
    def user_settings(self) -> dict[str, Any]:
        if self._user_settings is None:
            self._user_settings = getattr(settings, "INTERVENTION_IMPORT", {}) or {}
        return self._user_settings

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Invalid INTERVENTION_IMPORT setting: {name!r}")
        return self.user_settings.get(name, DEFAULTS[name])

    def reload(self) -> None:
        self._user_settings = None


import_settings = ImportSettings()
DAY_FIRST, MONTH_FIRST = "day", "month"


def site_date_order() -> tuple[str, str | None] | None:
    """How dates no date of a file tells apart are read (``DATE_ORDER``): ``("day", "fr")``
    by the site's language, ``("month", None)`` by the setting; None to ask (a row error)."""
    chosen = import_settings.DATE_ORDER
    if chosen in (DAY_FIRST, MONTH_FIRST):
        return chosen, None
    if chosen != "language":
        return None
    order = language_date_order(settings.LANGUAGE_CODE)
    return None if order is None else (order, settings.LANGUAGE_CODE)


def language_date_order(language: str) -> str | None:
    """How ``language`` writes a date whose day and month are numbers: the first such format
    of Django's ``DATE_INPUT_FORMATS`` for it (``%d/%m/%Y`` in French: day first)."""
    for pattern in formats.get_format("DATE_INPUT_FORMATS", lang=language, use_l10n=True):
        day, month, year = (pattern.find(token) for token in ("%d", "%m", "%Y"))
        if min(day, month) >= 0 and not 0 <= year < min(day, month):
            return DAY_FIRST if day < month else MONTH_FIRST
    return None


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "INTERVENTION_IMPORT":
        import_settings.reload()


setting_changed.connect(_reload)


def data_dir() -> Path:
    """The folder that configuration paths are relative to."""
    configured = import_settings.DATA_DIR
    return Path(configured) if configured else Path(settings.BASE_DIR) / "data"


def default_time_zone() -> str:
    """The zone of times written without an offset: Django's ``TIME_ZONE``."""
    return settings.TIME_ZONE


def site_zone() -> ZoneInfo:
    """``default_time_zone`` as a zone: the one times are read and shown in."""
    return ZoneInfo(default_time_zone())


def broker_configured() -> bool:
    """Is there a Celery broker to send background imports to?"""
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))
