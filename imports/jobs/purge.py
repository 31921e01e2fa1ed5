"""Forget jobs: a preview discarded (its file, rows, errors and the job itself), previews
never confirmed expired after ``PREVIEW_MAX_AGE_HOURS`` (their file, rows and errors; the job
is kept, expired), and the files of finished jobs older than ``KEEP_FILES_DAYS`` (the file
only: the job keeps its history, counts and errors).

A store that fails raises ``file_store.StoreUnreachable``: a discard changes nothing, a purge
stops where it was (what it did is done).
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from imports.conf import import_settings

from . import states as job_states
from .file_store import reaching
from .models import ImportJob

FINISHED = (ImportJob.Status.IMPORTED, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED)


def discard_job(job: ImportJob) -> None:
    """Forget a preview: its file, rows, errors and the job itself (the file first: a store
    that fails leaves the job as it was)."""
    delete_file(job)
    job.delete()


def purge_expired(max_age_hours: float | None = None, now=None) -> list[ImportJob]:
    """Expire previews older than the age: delete their files, rows and errors; keep the job."""
    hours = import_settings.PREVIEW_MAX_AGE_HOURS if max_age_hours is None else max_age_hours
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    jobs = list(ImportJob.objects.filter(status=ImportJob.Status.PREVIEWED, created_at__lt=cutoff))
    expired = []
    for job in jobs:
        if job_states.expired(job):
            job.rows.all().delete()
            job.errors.all().delete()
            expired.append(job)
    # Their files (and those a failed store left before): a job being confirmed is never
    # expired, so no file of a job still in use is deleted.
    for job in ImportJob.objects.filter(status=ImportJob.Status.EXPIRED).exclude(file=""):
        delete_file(job)
    return expired


def purge_finished_files(max_age_days: float | None = None, now=None) -> list[ImportJob]:
    """Delete the files of jobs finished (imported, failed, cancelled) more than
    ``max_age_days`` ago (default: ``KEEP_FILES_DAYS``; None there: none); the jobs keep their
    history, counts, rows and errors. Returns the jobs whose file was deleted."""
    days = import_settings.KEEP_FILES_DAYS if max_age_days is None else max_age_days
    if days is None:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    ended_before = Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    jobs = ImportJob.objects.filter(ended_before, status__in=FINISHED).exclude(file="")
    purged = []
    for job in jobs.order_by("pk"):
        delete_file(job)
        purged.append(job)
    return purged


def delete_file(job: ImportJob) -> None:
    """Delete the job's file from the store, and its name from the job."""
    if job.file:
        with reaching("deleting the uploaded file", job.pk):
            job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
