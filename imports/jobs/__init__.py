"""Import jobs: the job service that every door calls, and the jobs it runs.

``service.py`` is what a door calls (the admin, the commands, the worker's tasks, a later
API); ``states.py`` is the one owner of a job's status. The steps of one job, a module each:
``create.py`` (the upload stored in a new job), ``preview.py`` (the dry run, its rows and
errors stored), ``confirm.py`` (the real run, written only when its outcome is the preview's),
``details.py`` (rows, errors, counts and the outcome digest as a job keeps them), ``rules.py``
(four-eyes, conflict warnings acknowledged), ``purge.py`` (discard, expire). Around them:
``background.py``, ``tasks.py``, ``runs.py`` and ``live.py`` (the worker), ``verdicts.py``
(the words), ``undo.py``, ``mapping.py``, ``fixes.py``, ``kept_uploads.py``,
``error_report.py``, ``header_template.py`` and ``models.py`` (``ImportJob``,
``ImportJobRow``, ``ImportJobError``, ``ImportConfiguration``).

The names of the steps are gathered here as well, as the one ``jobs.py`` had them, so that
``from imports import jobs; jobs.preview_job(job)`` still reads (the tests, the shell). Inside
the app a module imports the module that holds a name, and a door calls the service, never
these (tests/test_import_rules.py).
"""

from .confirm import Confirmation, Verdict, confirm_job
from .create import STORED_NAME_BYTES, ReadOptions, create_job, stored_name
from .details import (
    CHUNK,
    DIGEST_LENGTH,
    DIGEST_VERSION,
    JOB_ERROR_FIELDS,
    JOB_ROW_FIELDS,
    NO_CHANGES,
    OUTCOME_TEXT,
    V2_DIGEST,
    DigestSink,
    RowValues,
    changes_text,
    counts,
    legacy_outcome_digest,
    outcome_digest,
    room_fields,
    row_values,
    same_outcome,
    store_details,
    without_new_values,
    written_text,
)
from .live import Cancelled, JobProgress
from .preview import (
    CONFIGURATION_GONE,
    FILE_CHANGED,
    FILE_GONE,
    NO_ACKNOWLEDGEMENT,
    preview_job,
)
from .purge import delete_file, discard_job, purge_expired
from .rules import acknowledge_conflicts, four_eyes_blocks, has_conflict_warnings

__all__ = [
    "CHUNK",
    "CONFIGURATION_GONE",
    "DIGEST_LENGTH",
    "DIGEST_VERSION",
    "FILE_CHANGED",
    "FILE_GONE",
    "JOB_ERROR_FIELDS",
    "JOB_ROW_FIELDS",
    "NO_ACKNOWLEDGEMENT",
    "NO_CHANGES",
    "OUTCOME_TEXT",
    "STORED_NAME_BYTES",
    "V2_DIGEST",
    "Cancelled",
    "Confirmation",
    "DigestSink",
    "JobProgress",
    "ReadOptions",
    "RowValues",
    "Verdict",
    "acknowledge_conflicts",
    "changes_text",
    "confirm_job",
    "counts",
    "create_job",
    "delete_file",
    "discard_job",
    "four_eyes_blocks",
    "has_conflict_warnings",
    "legacy_outcome_digest",
    "outcome_digest",
    "preview_job",
    "purge_expired",
    "room_fields",
    "row_values",
    "same_outcome",
    "store_details",
    "stored_name",
    "without_new_values",
    "written_text",
]
