"""The two yardsticks of the benchmark (needs Django set up; never imported by the app).

- ``stock_import``: a stock django-import-export ``ModelResource`` with ``ForeignKeyWidget``s,
  as the library's documentation shows it: one row at a time.
- ``hand_import``: the practical limit, a minimal hand-written bulk upsert: csv reader, one
  query per related table into dicts, one ``bulk_create(update_conflicts=True)`` in one
  transaction. It checks nothing (an unknown key raises), which is why it is the floor.
- ``writes_alone``: the database's part of the engine's real import, timed alone: the
  engine's own statements (``lookups.load_interventions`` locking the rows of a batch,
  ``upsert.upsert`` with what the writer has it report, the commit and its foreign-key
  checks) from rows made ready beforehand, less the same reads without the lock (the dry
  run reads those rows too). No work of the engine's Python can take the import under the
  dry run plus this.
"""

import csv
import datetime as dt
import io
import time

import tablib
from django.db import connection, transaction
from django.utils import timezone
from import_export import fields, resources, widgets

from imports.conf import import_settings
from imports.database.lookups import chunks, load_interventions
from imports.database.upsert import Reported, upsert
from imports.database.writer import INSERT_FIELDS, INTERVENTION_FIELDS, STORED_NAMES
from training.models import Intervention, Room, Session, Teacher

UPDATE_FIELDS = ["session", "start", "duration_minutes", "room", "teacher", "status", "updated_at"]
MINUTES_PER_HOUR = 60


class HoursWidget(widgets.IntegerWidget):
    """The file's whole hours, stored in minutes."""

    def clean(self, value, row=None, **kwargs):
        hours = super().clean(value, row, **kwargs)
        return None if hours is None else hours * MINUTES_PER_HOUR


class StockInterventionResource(resources.ModelResource):
    guid = fields.Field(attribute="guid", column_name="interventionGuid")
    session = fields.Field(
        attribute="session",
        column_name="sessionGuid",
        widget=widgets.ForeignKeyWidget(Session, field="guid"),
    )
    start = fields.Field(
        attribute="start",
        column_name="interventionDate",
        widget=widgets.DateTimeWidget(format="%Y-%m-%dT%H:%M:%S"),
    )
    duration_minutes = fields.Field(
        attribute="duration_minutes",
        column_name="interventionDuration",
        widget=HoursWidget(),
    )
    room = fields.Field(
        attribute="room",
        column_name="roomGuid",
        widget=widgets.ForeignKeyWidget(Room, field="guid"),
    )
    teacher = fields.Field(
        attribute="teacher",
        column_name="teacherLogin",
        widget=widgets.ForeignKeyWidget(Teacher, field="login"),
    )
    status = fields.Field(attribute="status", column_name="interventionStatus")

    class Meta:
        model = Intervention
        fields = ("guid", "session", "start", "duration_minutes", "room", "teacher", "status")
        import_id_fields = ("guid",)


def stock_import(data: bytes, dry_run: bool) -> dict[str, int]:
    dataset = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv", delimiter=";")
    result = StockInterventionResource().import_data(dataset, dry_run=dry_run)
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("the stock resource reported errors")
    totals = result.totals
    return {
        "new": totals["new"],
        "updated": totals["update"],
        "unchanged": totals["skip"],
        "error_rows": totals["error"] + totals["invalid"],
    }


def hand_import(data: bytes) -> dict[str, int]:
    with transaction.atomic():
        rows = _ready_rows(data)
        Intervention.objects.bulk_create(
            [
                Intervention(
                    guid=guid,
                    session_id=session_id,
                    start=start,
                    duration_minutes=minutes,
                    room_id=room_id,
                    teacher_id=teacher_id,
                    status=status,
                )
                for guid, session_id, start, minutes, room_id, teacher_id, status in rows
            ],
            batch_size=1_000,
            update_conflicts=True,
            unique_fields=["guid"],
            update_fields=UPDATE_FIELDS,
        )
    return {"written": len(rows)}


def writes_alone(data: bytes) -> dict[str, float]:
    """The engine's statements for the file's rows, made ready beforehand; ``timed_s`` (what
    ``worker.measure`` reports): those of the real run, less the same reads unlocked, which
    the dry run makes too (what the lock adds to them is the real run's)."""
    rows = _ready_rows(data)
    batches = list(chunks(rows, import_settings.BATCH_SIZE))
    started = time.perf_counter()
    for chunk in batches:
        load_interventions([row[0] for row in chunk])
    reading = time.perf_counter() - started
    report = Reported(compare=STORED_NAMES) if connection.vendor == "postgresql" else None
    started = time.perf_counter()
    with transaction.atomic():
        now = timezone.now()
        for chunk in batches:
            load_interventions([row[0] for row in chunk], lock=True)
            stamped = [(*row, now, now) for row in chunk]
            upsert(
                Intervention,
                INSERT_FIELDS,
                stamped,
                unique="guid",
                update=INTERVENTION_FIELDS,
                report=report,
            )
    writing = time.perf_counter() - started
    return {"written": len(rows), "timed_s": writing - reading}


def _ready_rows(data: bytes) -> list[tuple]:
    """The file's rows as the writer gives them to ``upsert`` (``writer.INSERT_FIELDS``, but
    the time stamps): csv reader, one query per related table into dicts; an unknown key
    raises."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    at = {name: index for index, name in enumerate(next(reader))}
    rows = [cells for cells in reader if cells]
    sessions = _ids(Session, "guid", {r[at["sessionGuid"]] for r in rows})
    rooms = _ids(Room, "guid", {r[at["roomGuid"]] for r in rows})
    teachers = _ids(Teacher, "login", {r[at["teacherLogin"]] for r in rows})
    return [
        (
            r[at["interventionGuid"]],
            sessions[r[at["sessionGuid"]]],
            dt.datetime.fromisoformat(r[at["interventionDate"]]).replace(tzinfo=dt.UTC),
            int(r[at["interventionDuration"]]) * MINUTES_PER_HOUR,
            rooms[r[at["roomGuid"]]],
            teachers[r[at["teacherLogin"]]],
            r[at["interventionStatus"]],
        )
        for r in rows
    ]


def _ids(model, field: str, keys: set[str]) -> dict[str, int]:
    query = model.objects.filter(**{f"{field}__in": list(keys)}).order_by()
    return dict(query.values_list(field, "id"))
