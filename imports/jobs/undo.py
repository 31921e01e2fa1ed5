"""Undo as a job: which imports can be undone, the transaction, and the history.

Every door (the ``undo_import`` command, the admin's "Undo this import") calls these
functions and only translates their ``UndoOutcome``. An undo is an ``ImportJob`` of its own
(``undoes`` -> the import it takes back, ``undo_counts`` what it did), born *imported* when it
runs at once, or *previewed* when it waits for a second person (``FOUR_EYES``): then the
person who asked for it may not confirm it, as for an import.

The import job is locked (``SELECT … FOR UPDATE``) for the whole undo: two undos of one import
run one after the other, and the second finds the first done.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_noop

from imports.conf import import_settings, site_zone
from imports.database import db_errors
from imports.database.undo import UndoCounts, undo_journal
from imports.engine.run import ATTEMPTS, pause_before_retry, retryable
from imports.parsing.messages import Message
from imports.parsing.shown_moments import moment_text

from . import states as job_states
from .models import ImportJob
from .rules import four_eyes_blocks
from .words import said

Status = ImportJob.Status
JOB_NOT_FOUND = Message("undo_job_not_found", gettext_noop("Import {job} not found."))
NOT_COMMITTED = Message(
    "undo_not_committed",
    gettext_noop("Import {job} cannot be undone: it is not a committed import ({status})."),
)
NO_JOURNAL = Message(
    "undo_no_journal",
    gettext_noop(
        "Import {job} cannot be undone: it was made before imports kept what they changed."
    ),
)
ALREADY_UNDONE = Message(
    "undo_already_undone",
    gettext_noop("Import {job} cannot be undone: it was undone by job {undo} on {date}."),
)
IS_AN_UNDO = Message(
    "undo_of_an_undo",
    gettext_noop("Import {job} cannot be undone: it is itself the undo of import {undone}."),
)
UNDO_WAITING = Message(
    "undo_waiting",
    gettext_noop("Import {job} cannot be undone again: its undo {undo} waits for confirmation."),
)
SAME_PERSON = Message(
    "undo_same_person",
    gettext_noop("Undo {undo} was asked for by you: another person must confirm it."),
)
UNDO_ASKED = Message(
    "undo_asked",
    gettext_noop("Undo {undo} of import {job} asked for: another person must confirm it."),
)
UNDO_SUMMARY = Message(
    "undo_summary",
    gettext_noop(
        "Undo of import {job}: {deleted} deleted, {restored} restored, {kept} kept (changed since)."
    ),
)


class Verdict(StrEnum):
    DONE = "done"  # undone (a dry run: could be), every row
    PARTLY = "partly"  # undone but for the rows and rooms kept (changed since)
    WAITING = "waiting"  # asked for, waits for a second person (four-eyes)
    REFUSED = "refused"  # cannot be undone: ``message`` says why
    FAILED = "failed"  # the database refused: nothing changed


@dataclass
class UndoOutcome:
    verdict: Verdict
    job: ImportJob | None  # the import
    counts: UndoCounts | None = None
    undo_job: ImportJob | None = None
    message: str = ""
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"job": self.job.pk if self.job else None, "dry_run": self.dry_run}
        if self.counts is not None:
            found.update(self.counts.as_dict())
        if self.undo_job is not None:
            found["undo_job"] = self.undo_job.pk
        if self.message:
            found["error"] = self.message
        return found


def undo_summary(job_id: int, counts: UndoCounts) -> str:
    """``Undo of import 42: 3 deleted, 2 restored, 1 kept (changed since).``"""
    return said(UNDO_SUMMARY).format(
        job=job_id, deleted=counts.deleted, restored=counts.restored, kept=counts.kept
    )


def waiting_text(outcome: "UndoOutcome") -> str:
    undo = outcome.undo_job.pk if outcome.undo_job else None
    return said(UNDO_ASKED).format(undo=undo, job=outcome.job.pk if outcome.job else None)


def find_import(job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_id).first()


def refusal(job: ImportJob, *, request: ImportJob | None = None) -> str:
    """Why ``job`` cannot be undone ("" when it can); ``request``: the waiting undo being
    confirmed (not counted as another undo)."""
    if job.undoes_id is not None:
        return said(IS_AN_UNDO).format(job=job.pk, undone=job.undoes_id)
    if job.status != Status.IMPORTED:
        return said(NOT_COMMITTED).format(job=job.pk, status=job.get_status_display().lower())
    if job.journal_id is None and _changed_something(job):
        return said(NO_JOURNAL).format(job=job.pk)
    others = job.undos.exclude(pk=request.pk) if request else job.undos.all()
    done = others.filter(status=Status.IMPORTED).first()
    if done is not None:
        done_at = (done.finished_at or done.created_at).astimezone(site_zone())
        when = moment_text(done_at.replace(second=0))
        return said(ALREADY_UNDONE).format(job=job.pk, undo=done.pk, date=when)
    waiting = others.filter(status=Status.PREVIEWED).first()
    if waiting is not None:
        return said(UNDO_WAITING).format(job=job.pk, undo=waiting.pk)
    return ""


def _changed_something(job: ImportJob) -> bool:
    return bool(job.new or job.updated or job.rooms_created or job.rooms_updated)


def preview_undo(
    job: ImportJob, *, force: bool = False, request: ImportJob | None = None
) -> UndoOutcome:
    """What an undo of ``job`` would do, as of now; reads only. ``request``: the undo that
    waits for its confirmation (it is not another undo)."""
    why = refusal(job, request=request)
    if why:
        return UndoOutcome(Verdict.REFUSED, job, message=why, dry_run=True)
    counts = _counts(job, dry_run=True, force=force)
    return UndoOutcome(_verdict(counts), job, counts=counts, dry_run=True)


def undo_import(
    job: ImportJob, user=None, *, force: bool = False, dry_run: bool = False
) -> UndoOutcome:
    """Undo ``job`` at once (the command; the admin without four-eyes), or with ``dry_run``
    say what it would do. One transaction: all of it or nothing."""
    if dry_run:
        return preview_undo(job, force=force)
    return _in_transaction(job, user, force=force, request=None)


def request_undo(job: ImportJob, user) -> UndoOutcome:
    """Ask for an undo that a second person confirms (four-eyes): a waiting undo job."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        why = refusal(job)
        if why:
            return UndoOutcome(Verdict.REFUSED, job, message=why)
        undo_job = _new_undo_job(job, user, committed=None)
    return UndoOutcome(Verdict.WAITING, job, undo_job=undo_job)


def confirm_undo(undo_job: ImportJob, user, *, force: bool = False) -> UndoOutcome:
    """Confirm a waiting undo (four-eyes: not by the person who asked for it)."""
    job = undo_job.undoes
    if job is None or undo_job.status != Status.PREVIEWED:
        why = said(NOT_COMMITTED).format(
            job=undo_job.pk, status=undo_job.get_status_display().lower()
        )
        return UndoOutcome(Verdict.REFUSED, job, message=why)
    if four_eyes_blocks(undo_job, user):
        return UndoOutcome(Verdict.REFUSED, job, message=said(SAME_PERSON).format(undo=undo_job.pk))
    return _in_transaction(job, user, force=force, request=undo_job)


def needs_second_person() -> bool:
    """Whether an undo asked for in the admin waits for a second person (``FOUR_EYES``)."""
    return bool(import_settings.FOUR_EYES)


def discard_request(undo_job: ImportJob) -> bool:
    """Forget a waiting undo (it changed nothing)."""
    if undo_job.undoes_id is None or undo_job.status != Status.PREVIEWED:
        return False
    undo_job.delete()
    return True


def _in_transaction(job: ImportJob, user, *, force: bool, request: ImportJob | None) -> UndoOutcome:
    attempt = 1
    while True:
        try:
            return _undo(job, user, force=force, request=request)
        except DatabaseError as exc:
            if retryable(exc) and attempt < ATTEMPTS:  # a deadlock: run again
                pause_before_retry(attempt)
                attempt += 1
                continue
            return UndoOutcome(Verdict.FAILED, job, message=db_errors.describe(exc))


def _undo(job: ImportJob, user, *, force: bool, request: ImportJob | None) -> UndoOutcome:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        why = refusal(job, request=request)
        if why:
            return UndoOutcome(Verdict.REFUSED, job, message=why)
        counts = _counts(job, dry_run=False, force=force)
        if request is None:
            undo_job = _new_undo_job(job, user, committed=counts)
        else:
            undo_job = request
            fields = {"confirmed_by": user, "undo_counts": counts.as_dict()}
            job_states.confirmed(undo_job, committed=True, claimed=False, fields=fields)
    return UndoOutcome(_verdict(counts), job, counts=counts, undo_job=undo_job)


def _counts(job: ImportJob, *, dry_run: bool, force: bool) -> UndoCounts:
    if job.journal_id is None:  # a committed import that changed nothing
        return UndoCounts()
    return undo_journal(job.journal_id, dry_run=dry_run, force=force)


def _verdict(counts: UndoCounts) -> Verdict:
    return Verdict.DONE if counts.complete else Verdict.PARTLY


def _new_undo_job(job: ImportJob, user, *, committed: UndoCounts | None) -> ImportJob:
    """The undo's own job in the history: done (``committed``, its counts) or waiting."""
    fields = {
        "user": user,
        "file_name": f"Undo of import {job.pk} ({job.file_name})"[:255],
        "sha256": "",
        "configuration_name": job.configuration_name,
        "undoes": job,
    }
    if committed is None:
        return job_states.create_waiting(**fields)
    return job_states.create_finished(
        committed=True, confirmed_by=user, undo_counts=committed.as_dict(), **fields
    )
