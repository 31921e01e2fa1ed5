"""Django's place for the app's models: each lives with its layer, and is named here.

The jobs' (``ImportConfiguration``, ``ImportJob``, ``ImportJobRow``, ``ImportJobError``) are
in ``jobs/models.py``, the undo journal's (``Journal``, ``JournalBatch``, ``JournalRoom``) in
``database/journal_models.py``, the API's ``IdempotencyKey`` in ``api/models.py``; the app
label stays ``imports``. ``job_file_path`` stays importable here: migration 0001 names it
``imports.models.job_file_path``.
"""

from imports.api.models import IdempotencyKey
from imports.database.journal_models import Journal, JournalBatch, JournalRoom
from imports.jobs.models import (
    ImportConfiguration,
    ImportJob,
    ImportJobError,
    ImportJobRow,
    job_file_path,
)

__all__ = [
    "IdempotencyKey",
    "ImportConfiguration",
    "ImportJob",
    "ImportJobError",
    "ImportJobRow",
    "Journal",
    "JournalBatch",
    "JournalRoom",
    "job_file_path",
]
