"""The import app's settings: one namespace, ``settings.INTERVENTION_IMPORT``, with defaults.

Read them as ``import_settings.MAX_ROWS``; nothing else in the app reads ``django.conf.settings``
for import options.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

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
    # Admin: must the user who confirms an import differ from the one who uploaded it?
    "FOUR_EYES": False,
    # Admin: previews never confirmed are purged (with their files) after this many hours
    # by ``manage.py purge_expired_imports``.
    "PREVIEW_MAX_AGE_HOURS": 72,
    # Admin: rows and errors shown per page of a preview or a job's error list.
    "PAGE_SIZE": 100,
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
