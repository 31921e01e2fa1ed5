"""Fixes in the preview as a service: add one to a job, then its preview is read again.

A fix replaces one value of one column in every row that has it, or skips those rows
(``fixes.Fix``); the job keeps the list (``ImportJob.fixes``, written only here) with who made
each fix, when, and how many rows had that error. The file stays as uploaded: the preview and
the confirm read it through the fixes, with every check.
"""

from django.utils import timezone

from imports.parsing.messages import Message

from .models import ImportJob

FIX_REPLACED = Message(
    "fix_replaced", "{column} {value} is read as {replacement} in every row ({rows} with errors)."
)
FIX_SKIPPED = Message("fix_skipped", "The rows whose {column} is {value} are skipped ({rows}).")
FIX_NOT_OPEN = Message("fix_not_open", "Only a preview can be fixed; nothing was changed.")
FIX_SAME = Message("fix_same_value", "The new value is the one the file has; nothing was changed.")


def add_fix(
    job: ImportJob, user, *, column: str, value: str, replacement: str | None
) -> tuple[bool, str]:
    """Add (or replace) the fix of ``value`` in ``column``; (added, what to say). The door
    then runs the preview again (``service.start_preview``)."""
    if replacement is not None and replacement == value:
        return False, FIX_SAME
    rows = job.errors.filter(level="ERROR", column=column, value=value).count()
    entry = {
        "column": column,
        "value": value,
        "replacement": replacement,
        "rows": rows,
        "user": user.get_username() if user is not None else "",
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    kept = [f for f in job.fixes if (f["column"], f["value"]) != (column, value)]
    fixes = [*kept, entry]
    stored = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        fixes=fixes
    )
    if not stored:
        return False, FIX_NOT_OPEN
    job.fixes = fixes
    if replacement is None:
        return True, FIX_SKIPPED.format(column=column, value=value, rows=rows)
    return True, FIX_REPLACED.format(column=column, value=value, replacement=replacement, rows=rows)
