"""The job service that every door calls: the admin, the worker, and any later door.

It decides what no door should decide on its own: whether a preview or an import runs here
or is queued on a worker, the four-eyes rule (``may_confirm``), cancelling, and what each
confirm verdict means in words (``verdict_text``, door-neutral, each with its code). The doors
translate its answers into HTTP, a terminal or a task result and back.

    start_preview(job)                  -> Started (ran here: its result; or queued)
    start_confirm(job, user, strict, acknowledged=…, cancel_count=…)  -> confirm.Confirmation
                                        (imported, queued, refused, …)
    may_confirm(job, user), four_eyes_blocks(job, user), needs_acknowledgement(job),
    needs_cancel_confirmation(job), cancel(job, user)
    verdict_text(confirmation), counts_text(job)     (imports/jobs/verdicts.py)
    preview_undo(job), undo_import(job, user), request_undo / confirm_undo (imports/jobs/undo.py)
    needs_mapping(job), file_columns(job), save_mapping(…), use_saved_mapping(job)
                                        (imports/jobs/mapping.py: the mapping step)
    add_fix(job, user, column=…, value=…, message=…, replacement=…), fix_scope(code)
                                        (imports/jobs/fixes.py: fixes in the preview)
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from imports.conf import site_zone
from imports.database.undo import UndoCounts
from imports.engine.schedule import (
    BOOKED_CODES,
    CONFLICT_CODES,
    UNCHANGED_BOOKED_CODES,
    UNCHANGED_CONFLICT_CODES,
)
from imports.parsing.messages import Message
from imports.parsing.results import ImportResult
from imports.parsing.shown_moments import moment_text

from . import background, confirm, create, file_store, kept_uploads, preview, purge, rules
from . import states as job_states
from .confirm import Confirmation, Verdict
from .fixes import FixScope, add_fix, fix_scope
from .mapping import default_name, file_columns, needs_mapping, save_mapping, use_saved_mapping
from .models import ImportJob
from .rules import four_eyes_blocks, has_conflict_warnings
from .undo import JOB_NOT_FOUND as UNDO_JOB_NOT_FOUND
from .undo import (
    UndoOutcome,
    confirm_undo,
    discard_request,
    find_import,
    needs_second_person,
    preview_undo,
    refusal,
    request_undo,
    undo_import,
    undo_summary,
    waiting_text,
)
from .undo import Verdict as UndoVerdict
from .verdicts import VERDICT_MESSAGES, counts_text, imported_text, verdict_text
from .words import said

__all__ = [
    "said",
    "BOOKED_CODES",
    "UNCHANGED_BOOKED_CODES",
    "CONFLICT_CODES",
    "Confirmation",
    "ReadOptions",
    "Started",
    "Verdict",
    "create_job",
    "keep_upload",
    "kept_upload",
    "drop_kept_upload",
    "purge_kept_uploads",
    "delete_file",
    "discard_job",
    "fail_stale",
    "purge_expired",
    "purge_finished_files",
    "StoreUnreachable",
    "HeartbeatsUnseen",
    "check_store",
    "live_status",
    "shown",
    "cancel",
    "counts_text",
    "earlier_import",
    "imported_text",
    "preview_done_text",
    "preview_text",
    "four_eyes_blocks",
    "has_conflict_warnings",
    "may_confirm",
    "needs_acknowledgement",
    "needs_cancel_confirmation",
    "UNCHANGED_CONFLICT_CODES",
    "start_confirm",
    "start_preview",
    "verdict_text",
    # fixes in the preview (imports/jobs/fixes.py)
    "FixScope",
    "add_fix",
    "fix_scope",
    # the mapping step (imports/jobs/mapping.py)
    "default_name",
    "file_columns",
    "needs_mapping",
    "save_mapping",
    "use_saved_mapping",
    # undo (imports/jobs/undo.py)
    "UNDO_JOB_NOT_FOUND",
    "UndoCounts",
    "UndoOutcome",
    "UndoVerdict",
    "waiting_text",
    "confirm_undo",
    "discard_request",
    "find_import",
    "needs_second_person",
    "preview_undo",
    "refusal",
    "request_undo",
    "undo_summary",
    "undo_import",
]

FOUR_EYES_TEXT = VERDICT_MESSAGES[Verdict.SAME_USER]
PREVIEW_QUEUED = Message(
    "preview_queued", gettext_noop("{job.file_name} is being previewed in the background.")
)
PREVIEW_DONE = Message(
    "preview_done", gettext_noop("Preview of {name}: {counts}. Nothing imported yet.")
)
# The command's --force guard (batch/pipeline.py) and a job page's "already imported" say it.
ALREADY_IMPORTED = Message(
    "already_imported", gettext_noop("Already imported on {date} (job #{job}).")
)


@dataclass(frozen=True)
class Started:
    """A preview started: run here (``result``) or queued on a worker (``queued``)."""

    job: ImportJob
    queued: bool
    result: ImportResult | None = None


def start_preview(job: ImportJob) -> Started:
    """Preview a new job: on a worker when it should run there, else here and now; a job
    that is no longer a preview (its upload failed: ``create_job``) is left as it is."""
    if not job.is_open:
        return Started(job, queued=False)
    if background.wants_background(job, ImportJob.Activity.PREVIEW):
        background.queue_preview(job)
        return Started(job, queued=True)
    return Started(job, queued=False, result=preview.preview_job(job))


def start_confirm(
    job: ImportJob,
    user,
    strict: bool | None,
    *,
    acknowledged: bool = False,
    cancel_count: int | None = None,
) -> Confirmation:
    """Confirm a preview: refused by the four-eyes rule, for schedule conflict warnings not
    ``acknowledged``, or for a count of interventions to cancel as missing above the share
    allowed that ``cancel_count`` does not confirm; else queued on a worker, or run here. The
    acknowledgement (who, when) and the count confirmed are stored on the job before it runs
    or is queued."""
    if four_eyes_blocks(job, user):
        return Confirmation(Verdict.SAME_USER, job)
    if needs_cancel_confirmation(job) and cancel_count != job.cancelled_missing:
        return Confirmation(Verdict.CANCEL_NOT_CONFIRMED, job)
    if needs_acknowledgement(job):
        if not acknowledged:
            return Confirmation(Verdict.NOT_ACKNOWLEDGED, job)
        rules.acknowledge_conflicts(job, user)
    if needs_cancel_confirmation(job):
        rules.confirm_cancel_count(job, job.cancelled_missing)
    if not background.wants_background(job, ImportJob.Activity.IMPORT):
        return confirm.confirm_job(job, user, strict=strict)
    if background.queue_confirm(job, user, strict):
        return Confirmation(Verdict.QUEUED, job)
    job.refresh_from_db()
    return Confirmation(Verdict.NOT_OPEN, job)


def may_confirm(job: ImportJob, user) -> bool:
    """Whether ``user`` may confirm ``job`` now (a preview, and not theirs under four-eyes)."""
    return job.is_open and not four_eyes_blocks(job, user)


def needs_acknowledgement(job: ImportJob) -> bool:
    """Whether confirming ``job`` needs the acknowledgement of its schedule conflict warnings
    (a preview that would import rows in conflict)."""
    return job.is_open and has_conflict_warnings(job)


def needs_cancel_confirmation(job: ImportJob) -> bool:
    """Whether confirming ``job`` needs its count of interventions cancelled as missing
    confirmed (more than ``CANCEL_MISSING_MAX_SHARE`` of their scope)."""
    return job.is_open and rules.needs_cancel_confirmation(job)


def cancel(job: ImportJob, user) -> bool:
    """Stop a queued or running job; False when it is not in the background."""
    return background.cancel(job, user)


create_job = create.create_job
keep_upload = kept_uploads.keep
kept_upload = kept_uploads.kept
drop_kept_upload = kept_uploads.drop
purge_kept_uploads = kept_uploads.purge_kept
ReadOptions = create.ReadOptions
discard_job = purge.discard_job
delete_file = purge.delete_file
purge_expired = purge.purge_expired
purge_finished_files = purge.purge_finished_files
fail_stale = job_states.fail_stale
HeartbeatsUnseen = job_states.HeartbeatsUnseen
# The uploads' store failed (unreachable, refused, timed out): doors say STORE_UNREACHABLE.
StoreUnreachable = file_store.StoreUnreachable
check_store = file_store.check


def shown(job: ImportJob) -> ImportJob:
    """The job as a page shows it: a job whose worker is lost is failed (nothing written)."""
    return job_states.seen_as(job)


def live_status(job: ImportJob) -> dict[str, object]:
    """The live figures of a job (the progress bar polls them); reading writes nothing."""
    return background.status(job_states.seen_as(job))


def preview_text(started: Started) -> Message:
    return said(PREVIEW_QUEUED).format(job=started.job)


def preview_done_text(job: ImportJob) -> Message:
    """A finished preview's counts, the same words wherever it ran (here or on a worker)."""
    return said(PREVIEW_DONE).format(name=job.file_name, counts=counts_text(job))


@dataclass(frozen=True)
class EarlierImport:
    job: ImportJob
    text: Message  # the command's words: "Already imported on … (job #…)."


def earlier_import(job: ImportJob) -> EarlierImport | None:
    """The latest other job that imported the same content (SHA-256), as the command's
    ``--force`` guard finds it (``pipeline.previous_import``)."""
    if not job.sha256:
        return None
    imported = ImportJob.objects.filter(sha256=job.sha256, status=ImportJob.Status.IMPORTED)
    earlier = imported.exclude(pk=job.pk).order_by("-created_at").first()
    if earlier is None:
        return None
    date = moment_text(earlier.created_at.astimezone(site_zone()).replace(second=0))
    return EarlierImport(earlier, said(ALREADY_IMPORTED).format(date=date, job=earlier.pk))
