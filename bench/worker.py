"""One measurement in a fresh process: ``worker.py VARIANT FILE`` or ``worker.py seed|migrate``;
for the admin case (``admin_http.py``), ``worker.py admin-user NAME PASSWORD`` (a superuser and
the admin's URLs) and ``worker.py job`` (the last import job's status and counts).

The database is the one of ``DATABASE_URL``. Prints one JSON object: the import time (the
call alone: Django's start-up and reading the file are excluded), the peak resident memory
before and after (``ru_maxrss``), the number of SQL statements and the outcome counts.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import baselines  # noqa: E402
import datagen  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from imports.engine import ImportOptions, run_import  # noqa: E402


def engine(
    data: bytes,
    dry_run: bool,
    conflicts: str = "warn",
    keep_rows: bool = False,
    cancel_missing: bool = False,
) -> dict[str, int]:
    options = ImportOptions(
        dry_run=dry_run, conflicts=conflicts, keep_rows=keep_rows, cancel_missing=cancel_missing
    )
    result = run_import(data, "bench.csv", options=options)
    if not result.usable or result.error_rows:
        raise RuntimeError(f"engine errors: {(result.file_errors + result.errors)[:3]}")
    counts = {k: getattr(result, k) for k in ("new", "updated", "unchanged", "error_rows")}
    if cancel_missing:
        counts["cancelled_missing"] = len(result.cancelled_missing)
    return counts


def export_rows(file_format: str) -> dict[str, int]:
    """Export the first 100,000 interventions of the database (a file as the user gets it)."""
    from imports.export.service import export_to_path
    from training.models import Intervention

    queryset = Intervention.objects.order_by("start", "guid")[: datagen.EXPORTED]
    target = ROOT / "bench" / "data" / f"export.{file_format}"
    return {"exported": export_to_path(queryset, target, None, file_format)}


def without_journal(data: bytes) -> dict[str, int]:
    """The real import with its undo journal left out: what the journal costs."""
    from imports.database import journal

    journal.record_batch = lambda journal_id, *args, **kwargs: journal_id
    journal.record_rooms = lambda journal_id, *args, **kwargs: journal_id
    return engine(data, dry_run=False)


VARIANTS = {
    "engine": lambda data: engine(data, dry_run=False),
    "engine-dry": lambda data: engine(data, dry_run=True),
    # the dry run as the admin preview runs it: every row's outcome kept, a new row's values
    "engine-dry-keep": lambda data: engine(data, dry_run=True, keep_rows=True),
    # the schedule conflict check left out: what it costs (the bench's files are dense with
    # conflicts: every slot of a teacher is booked five times)
    "engine-nocheck": lambda data: engine(data, dry_run=False, conflicts="ignore"),
    "engine-nojournal": without_journal,
    # cancelMissing on (issue 29): the file is the complete schedule of its sessions for its
    # dates; the scope read after the last batch (every session of the bench is named)
    "engine-cancel": lambda data: engine(data, dry_run=False, cancel_missing=True),
    "stock": lambda data: baselines.stock_import(data, dry_run=False),
    "stock-dry": lambda data: baselines.stock_import(data, dry_run=True),
    "hand": baselines.hand_import,
    # the engine's statements alone, from rows made ready beforehand (times itself)
    "writes-alone": baselines.writes_alone,
    # the export service (the file argument is not read: the database is exported)
    "export": lambda data: export_rows("csv"),
    "export-xlsx": lambda data: export_rows("xlsx"),
    "export-ods": lambda data: export_rows("ods"),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(variant: str, path: str) -> dict:
    data = Path(path).read_bytes()
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    connection.ensure_connection()
    before = peak_mb()
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        counts = VARIANTS[variant](data)
        seconds = time.perf_counter() - started
    seconds = counts.pop("timed_s", seconds)  # a variant that times only its own part
    return {
        "variant": variant,
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "peak_before_mb": before,
        "statements": statements,
        "counts": counts,
    }


def admin_user(username: str, password: str) -> dict[str, str]:
    """A superuser for the admin case, and the URLs its browser uses."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    User.objects.create_superuser(username, password=password)
    return {
        "login": reverse("admin:login"),
        "index": reverse("admin:index"),
        "upload": reverse("admin:training_intervention_import"),
    }


def last_job() -> dict:
    from imports.jobs.models import ImportJob

    job = ImportJob.objects.order_by("-pk").first()
    if job is None:
        return {"status": None, "error_rows": None, "counts": {}}
    counts = {k: getattr(job, k) for k in ("new", "updated", "unchanged", "error_rows")}
    return {"status": job.status, "error_rows": job.error_rows, "counts": counts}


def main(argv: list[str]) -> None:
    if argv[0] == "admin-user":
        print(json.dumps(admin_user(argv[1], argv[2])))
    elif argv[0] == "job":
        print(json.dumps(last_job()))
    elif argv[0] == "seed":
        call_command("migrate", verbosity=0)
        existing = int(argv[1]) if len(argv) > 1 else datagen.EXISTING
        print(json.dumps(datagen.seed(existing)))
    elif argv[0] == "migrate":
        call_command("migrate", verbosity=0)
    else:
        print(json.dumps(measure(argv[0], argv[1])))


if __name__ == "__main__":
    main(sys.argv[1:])
