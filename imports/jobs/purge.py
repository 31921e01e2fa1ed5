"""Forget jobs: a preview discarded (its file, rows, errors and the job itself), previews
never confirmed expired after ``PREVIEW_MAX_AGE_HOURS`` (their file, rows and errors; the job
is kept, expired).
"""

from datetime import timedelta

from django.utils import timezone

from imports.conf import import_settings

from . import states as job_states
from .models import ImportJob


def discard_job(job: ImportJob) -> None:
    """Forget a preview: its file, rows, errors and the job itself."""
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
            delete_file(job)
            job.rows.all().delete()
            job.errors.all().delete()
            expired.append(job)
    return expired


def delete_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
