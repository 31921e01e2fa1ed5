"""Durations to the minute (training 0003): what the imports app keeps of stored durations
follows, so that an undo restores and a preview shows minutes.

- ``JournalBatch.updated``: each entry is ``[guid, *values before]`` in the order of
  ``fields.STORED_FIELDS`` then ``updated_at``; the duration, the fourth item, was hours.
- ``ImportJobRow.changes``: a new row's flat list (session, start, duration, room, teacher,
  status: the duration third), an update's ``[["duration_hours", old, new], …]``.

Going back divides by 60 where the value is whole hours, and refuses otherwise (as training's
migration does)."""

from django.db import migrations

MINUTES_PER_HOUR = 60
DURATION_IN_JOURNAL = 3  # [guid, session_id, start, duration, room_id, teacher_id, status, …]
DURATION_IN_NEW_ROW = 2  # [session, start, duration, room, teacher, status]
CHUNK = 2_000


def _times(value, factor):
    if value is None or value == "":
        return value
    number = int(value)
    if factor < 0:
        if number % MINUTES_PER_HOUR:
            raise RuntimeError(
                f"A stored duration of {number} minutes is not a whole number of hours;"
                " it cannot go back to hours."
            )
        number //= MINUTES_PER_HOUR
    else:
        number *= factor
    return str(number) if isinstance(value, str) else number


def _journals(apps, factor):
    JournalBatch = apps.get_model("imports", "JournalBatch")
    changed = []
    for batch in JournalBatch.objects.exclude(updated=[]).order_by("pk").iterator(CHUNK):
        for entry in batch.updated:
            entry[DURATION_IN_JOURNAL] = _times(entry[DURATION_IN_JOURNAL], factor)
        changed.append(batch)
        if len(changed) >= CHUNK:
            JournalBatch.objects.bulk_update(changed, ["updated"])
            changed = []
    JournalBatch.objects.bulk_update(changed, ["updated"])


def _job_rows(apps, factor, old_name, new_name):
    ImportJobRow = apps.get_model("imports", "ImportJobRow")
    rows = ImportJobRow.objects.filter(outcome__in=("new", "updated")).order_by("pk")
    changed = []
    for row in rows.iterator(CHUNK):
        changes = row.changes or []
        if row.outcome == "new" and len(changes) == 6 and not isinstance(changes[0], list):
            changes[DURATION_IN_NEW_ROW] = _times(changes[DURATION_IN_NEW_ROW], factor)
        elif row.outcome == "updated":
            for change in changes:
                if change and change[0] == old_name:
                    change[:] = [new_name, _times(change[1], factor), _times(change[2], factor)]
        else:
            continue
        changed.append(row)
        if len(changed) >= CHUNK:
            ImportJobRow.objects.bulk_update(changed, ["changes"])
            changed = []
    ImportJobRow.objects.bulk_update(changed, ["changes"])


def forwards(apps, schema_editor):
    _journals(apps, MINUTES_PER_HOUR)
    _job_rows(apps, MINUTES_PER_HOUR, "duration_hours", "duration_minutes")


def backwards(apps, schema_editor):
    _journals(apps, -1)
    _job_rows(apps, -1, "duration_minutes", "duration_hours")


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0009_undo_mappings_fixes"),
        ("training", "0003_intervention_duration_minutes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
