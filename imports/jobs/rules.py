"""What a confirm needs beyond its file: the four-eyes rule (``FOUR_EYES``: the uploader may
not confirm their own file), schedule conflict warnings acknowledged (who and when, not a
status change), and the count of interventions cancelled as missing confirmed when it is
more than ``CANCEL_MISSING_MAX_SHARE`` of their scope (cancelMissing).
"""

from django.utils import timezone

from imports.conf import import_settings
from imports.engine.schedule import CONFLICT_CODES
from imports.parsing.messages import CANCEL_MISSING_NEEDS_CONFIRMATION

from . import states as job_states
from .models import ImportJob


def four_eyes_blocks(job: ImportJob, user) -> bool:
    """The four-eyes rule (``FOUR_EYES``): the uploader may not confirm their own file."""
    return bool(import_settings.FOUR_EYES and user is not None and job.user_id == user.pk)


def has_conflict_warnings(job: ImportJob) -> bool:
    """Whether the job's preview found schedule conflicts that it would import (policy warn)."""
    return job.errors.filter(level="WARNING", code__in=CONFLICT_CODES).exists()


def needs_cancel_confirmation(job: ImportJob) -> bool:
    """Whether the job's preview cancels as missing more than the share allowed: its count
    (``cancelled_missing``) must be confirmed."""
    return job.errors.filter(code=CANCEL_MISSING_NEEDS_CONFIRMATION.code).exists()


def confirm_cancel_count(job: ImportJob, count: int) -> bool:
    """Keep the count of interventions to cancel as missing that the user confirmed; the
    confirm's run cancels them only when they are that many (``ImportOptions.confirm_cancel``).
    Only while the job is a preview: one conditional UPDATE."""
    stored = ImportJob.objects.filter(pk=job.pk, status__in=job_states.OPEN).update(
        cancel_missing_confirmed=count
    )
    if stored:
        job.cancel_missing_confirmed = count
    return bool(stored)


def acknowledge_conflicts(job: ImportJob, user) -> bool:
    """Record that ``user`` confirms the preview knowing its schedule conflicts (who, when);
    only while it is a preview. Not a status change: one conditional UPDATE."""
    values = {"conflicts_acknowledged_by": user, "conflicts_acknowledged_at": timezone.now()}
    stored = ImportJob.objects.filter(pk=job.pk, status__in=job_states.OPEN).update(**values)
    if stored:
        for name, value in values.items():
            setattr(job, name, value)
    return bool(stored)
