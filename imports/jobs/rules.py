"""What a confirm needs beyond its file: the four-eyes rule (``FOUR_EYES``: the uploader may
not confirm their own file), and schedule conflict warnings acknowledged (who and when, not a
status change).
"""

from django.utils import timezone

from imports.conf import import_settings
from imports.engine.schedule import CONFLICT_CODES

from . import states as job_states
from .models import ImportJob


def four_eyes_blocks(job: ImportJob, user) -> bool:
    """The four-eyes rule (``FOUR_EYES``): the uploader may not confirm their own file."""
    return bool(import_settings.FOUR_EYES and user is not None and job.user_id == user.pk)


def has_conflict_warnings(job: ImportJob) -> bool:
    """Whether the job's preview found schedule conflicts that it would import (policy warn)."""
    return job.errors.filter(level="WARNING", code__in=CONFLICT_CODES).exists()


def acknowledge_conflicts(job: ImportJob, user) -> bool:
    """Record that ``user`` confirms the preview knowing its schedule conflicts (who, when);
    only while it is a preview. Not a status change: one conditional UPDATE."""
    values = {"conflicts_acknowledged_by": user, "conflicts_acknowledged_at": timezone.now()}
    stored = ImportJob.objects.filter(pk=job.pk, status__in=job_states.OPEN).update(**values)
    if stored:
        for name, value in values.items():
            setattr(job, name, value)
    return bool(stored)
