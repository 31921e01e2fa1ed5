"""Interventions to export in tests, and an export imported again."""

import datetime as dt
import io

from imports.engine import ImportOptions, run_import
from imports.export.service import export
from imports.parsing.config import ImportConfig, parse_config
from imports.parsing.results import ImportResult
from training.models import Intervention, Room, Session, Teacher

PARIS = "Europe/Paris"
UTC = dt.UTC
# Status codes, order, an ignored column, ISO-8859-1, ";" and a dateFormat without seconds.
LATIN_XML = """<import-config><import><providers><fileSystemSourceProvider>
  <fileEncoding>ISO-8859-1</fileEncoding><delimiter>semicolon</delimiter>
  <dateFormat>DD/MM/YYYY HH:II</dateFormat>
  <columnsMapping>
    <interventionDate/><interventionGuid/><ignoredColumn/><trainingGuid/><sessionGuid/>
    <interventionDuration/><roomGuid/><roomLabel/><roomCapacity/><teacherLogin/>
    <interventionStatus/><sessionTitle/>
  </columnsMapping>
</fileSystemSourceProvider></providers>
<actions><createOrUpdateInterventionAction><fields>
  <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/><interventionDuration/>
  <roomGuid/><roomLabel/><roomCapacity/><teacherLogin/>
  <interventionStatus><active>ACT</active><cancelled>-</cancelled></interventionStatus>
</fields></createOrUpdateInterventionAction></actions>
</import></import-config>"""
LATIN = parse_config(LATIN_XML)[0]
BARE = parse_config(
    "<actions><createOrUpdateInterventionAction><fields>"
    "<interventionGuid/><trainingPathCode/><sessionTitle/><interventionDate/>"
    "<interventionDuration/><roomGuid/><roomLabel/><ignoredColumn/><teacherLogin/>"
    "<interventionStatus/></fields></createOrUpdateInterventionAction></actions>"
)[0]


def paris(*args: int, fold: int = 0) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(*args, tzinfo=ZoneInfo(PARIS), fold=fold).astimezone(UTC)


def add(guid: str, start: dt.datetime, **values) -> Intervention:
    """An intervention of the demo data's session SE-1 (training TR-1), room R-101, jdoe."""
    fields = {
        "session": Session.objects.get(guid="SE-1"),
        "room": Room.objects.get(guid="R-101"),
        "teacher": Teacher.objects.get(login="jdoe"),
        "duration_minutes": 120,
        "status": "A",
        **values,
    }
    return Intervention.objects.create(guid=guid, start=start, **fields)


def exported(
    config: ImportConfig | None = None, file_format: str = "csv", zone: str = PARIS
) -> bytes:
    sink = io.BytesIO()
    export(Intervention.objects.all(), sink, config, file_format, zone)
    return sink.getvalue()


def import_again(
    data: bytes, config: ImportConfig | None, file_format: str, zone: str = PARIS, **options
) -> ImportResult:
    options = {"format": file_format, "time_zone": zone, "conflicts": "ignore", **options}
    return run_import(data, f"export.{file_format}", config, ImportOptions(**options))


def counts(result: ImportResult) -> tuple[int, int, int, int]:
    return result.new, result.updated, result.unchanged, result.error_rows
