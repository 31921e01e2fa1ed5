"""Export with a configuration that has ``<defaults>``: never a file that imports back
differently. A default of a column the configuration does not write, or of a written column
whose cell the export leaves empty, refuses the interventions it would change, before the first
line; a default that every intervention agrees with exports and imports back unchanged."""

import io

import pytest

from imports.export.service import (
    ExportError,
    export,
    export_chunks,
    export_rows,
    never_fails,
)
from imports.parsing.config import parse_config
from tests.imports.export_support import PARIS, add, counts, import_again, paris
from training.models import Intervention, Room, Session, Training

pytestmark = pytest.mark.django_db

SEED = [
    "interventionGuid",
    "trainingGuid",
    "sessionGuid",
    "interventionDate",
    "interventionDuration",
    "roomGuid",
    "roomLabel",
    "roomCapacity",
    "teacherLogin",
    "interventionStatus",
]


def config_xml(columns: list[str], defaults: dict[str, str], name: str = "") -> str:
    """A full configuration writing ``columns`` (a header line, semicolons), with defaults."""
    elements = "".join(f"<{column}/>" for column in columns)
    given = "".join(f"<{column}>{text}</{column}>" for column, text in defaults.items())
    return (
        "<import-config><import><providers><fileSystemSourceProvider>"
        f"<delimiter>semicolon</delimiter><columnsMapping>{elements}</columnsMapping>"
        "</fileSystemSourceProvider></providers><actions><createOrUpdateInterventionAction>"
        f"<fields>{elements}</fields><defaults>{given}</defaults>"
        "</createOrUpdateInterventionAction></actions></import></import-config>"
    )


def without(*names: str) -> list[str]:
    return [column for column in SEED if column not in names]


def config_of(columns: list[str], defaults: dict[str, str]):
    return parse_config(config_xml(columns, defaults), source="shapes.xml")[0]


@pytest.fixture
def schedule(demo):
    """IV-1 (TR-1, active, 09:00 for 2 h), IV-2 cancelled, IV-3 of training TR-2 at 10:00 for
    3 h, IV-4 of training TR-3 (no path code) in a room without a capacity."""
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 3, 2, 9, 0), status="C")
    add(
        "IV-3",
        paris(2027, 3, 3, 10, 0),
        session=Session.objects.get(guid="SE-3"),
        duration_minutes=180,
    )
    room = Room.objects.create(guid="R-7", label="Annex", capacity=None)
    add("IV-4", paris(2027, 3, 4, 9, 0), session=Session.objects.get(guid="SE-5"), room=room)
    assert Training.objects.get(guid="TR-3").path_code is None


# (columns written, defaults, the code, the column and default named, how many differ, the
# first of them, the value shown)
REFUSED = {
    "status default, a cancelled intervention": (
        without("interventionStatus"),
        {"interventionStatus": "A"},
        "export_default_differs",
        "interventionStatus",
        "A",
        1,
        "IV-2",
        "C",
    ),
    "training default, sessions by GUID": (
        without("trainingGuid"),
        {"trainingGuid": "TR-1"},
        "export_default_differs",
        "trainingGuid",
        "TR-1",
        2,
        "IV-3",
        "TR-2",
    ),
    "training default, sessions by title: another training's would be found silently": (
        [*without("trainingGuid", "sessionGuid"), "sessionTitle"],
        {"trainingGuid": "TR-1"},
        "export_default_differs",
        "trainingGuid",
        "TR-1",
        2,
        "IV-3",
        "TR-2",
    ),
    "path code default, a training without one": (
        [*without("trainingGuid"), "trainingPathCode"],
        {"trainingPathCode": "PATH-DATA"},
        "export_default_fills_empty",
        "trainingPathCode",
        "PATH-DATA",
        1,
        "IV-4",
        None,
    ),
    "path code default not written": (
        [*without("trainingGuid", "sessionGuid"), "sessionTitle"],
        {"trainingPathCode": "PATH-DATA"},
        "export_default_differs",
        "trainingPathCode",
        "PATH-DATA",
        2,
        "IV-3",
        "PATH-MGMT",
    ),
    "capacity written, a room without one": (
        SEED,
        {"roomCapacity": "30"},
        "export_default_fills_empty",
        "roomCapacity",
        "30",
        1,
        "IV-4",
        None,
    ),
    "capacity not written": (
        without("roomCapacity"),
        {"roomCapacity": "20"},
        "export_default_differs",
        "roomCapacity",
        "20",
        1,
        "IV-4",
        "none",
    ),
    "a status default the importer refuses": (
        without("interventionStatus"),
        {"interventionStatus": "X"},
        "export_default_differs",
        "interventionStatus",
        "X",
        4,
        "IV-1",
        "A",
    ),
    "duration default, a slot of 3 hours": (
        without("interventionDuration"),
        {"interventionDuration": "2"},
        "export_default_differs",
        "interventionDuration",
        "2",
        1,
        "IV-3",
        "starting 2027-03-03 10:00 for 3:00",
    ),
    "start time default, a slot at 10:00": (
        SEED,
        {"interventionStartTime": "09:00"},
        "export_default_differs",
        "interventionStartTime",
        "09:00",
        1,
        "IV-3",
        "starting 2027-03-03 10:00 for 3:00",
    ),
    "end time default instead of a duration": (
        without("interventionDuration"),
        {"interventionEndTime": "11:00"},
        "export_default_differs",
        "interventionEndTime",
        "11:00",
        1,
        "IV-3",
        "starting 2027-03-03 10:00 for 3:00",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_default_that_would_change_interventions_refuses_the_export(schedule, case, file_format):
    columns, defaults, code, column, default, count, guid, value = REFUSED[case]
    config = config_of(columns, defaults)
    sink = io.BytesIO()
    with pytest.raises(ExportError) as caught:
        export(Intervention.objects.all(), sink, config, file_format, PARIS)
    assert sink.getvalue() == b""  # refused before the first line
    message = str(caught.value)
    assert caught.value.code == code
    assert message.startswith('Configuration "shapes.xml" ')
    assert f" {column} " in message and f"the default {default}: " in message
    assert f"{count} of the 4 interventions" in message
    assert f"the first: intervention {guid}" in message
    if value is not None:
        assert f"intervention {guid}, {value})" in message


@pytest.mark.parametrize("case", REFUSED)
def test_without_the_interventions_that_differ_the_export_imports_back_unchanged(schedule, case):
    columns, defaults, _code, _column, _default, _count, _guid, _value = REFUSED[case]
    config = config_of(columns, defaults)
    with pytest.raises(ExportError):
        list(export_rows(Intervention.objects.all(), config, "csv", PARIS))
    kept = Intervention.objects.filter(guid="IV-1")  # agrees with every default above but X
    if defaults == {"interventionStatus": "X"}:
        return
    sink = io.BytesIO()
    assert export(kept, sink, config, "csv", PARIS) == 1
    Intervention.objects.exclude(guid="IV-1").delete()
    result = import_again(sink.getvalue(), config, "csv")
    assert (result.errors, counts(result)) == ([], (0, 0, 1, 0))


# (columns written, defaults): defaults that every intervention of the schedule agrees with,
# or that the importer never reads for it
AGREED = {
    "status default, every intervention active": (
        without("interventionStatus"),
        {"interventionStatus": "A"},
    ),
    "a default of a written column that is never empty": (SEED, {"interventionStatus": "A"}),
    "path code default beside the training GUID": (
        [*SEED, "trainingPathCode"],
        {"trainingPathCode": "PATH-DATA"},
    ),
    "title default beside the session GUID": (SEED, {"sessionTitle": "Spring 2027"}),
    "capacity default written, every room has one": (SEED, {"roomCapacity": "30"}),
    "teacher default": (without("teacherLogin"), {"teacherLogin": "jdoe"}),
    "duration written and defaulted": (SEED, {"interventionDuration": "2"}),
    "start time default, dates with a time": (SEED, {"interventionStartTime": "09:00"}),
}


@pytest.mark.parametrize("case", AGREED)
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_a_default_equal_to_every_value_exports_and_imports_back_unchanged(
    schedule, case, file_format
):
    columns, defaults = AGREED[case]
    Intervention.objects.exclude(guid="IV-1").delete()
    add("IV-5", paris(2027, 3, 5, 9, 0), duration_minutes=120)
    add("IV-6", paris(2027, 3, 6, 9, 0), session=Session.objects.get(guid="SE-2"))
    config = config_of(columns, defaults)
    sink = io.BytesIO()
    assert export(Intervention.objects.all(), sink, config, file_format, PARIS) == 3
    result = import_again(sink.getvalue(), config, file_format)
    assert (result.errors, counts(result)) == ([], (0, 0, 3, 0))
    assert (result.rooms_created, result.rooms_updated) == (0, 0)


def test_a_refused_default_costs_three_queries(schedule, django_assert_num_queries):
    config = config_of(without("interventionStatus"), {"interventionStatus": "A"})
    with django_assert_num_queries(3), pytest.raises(ExportError):  # first, count, total
        export_chunks(Intervention.objects.all(), config, "csv", PARIS)


def test_a_streamed_export_is_refused_when_asked_for_before_any_piece(schedule):
    config = config_of(without("interventionStatus"), {"interventionStatus": "A"})
    assert never_fails(config, "csv")  # once it has begun, nothing can fail
    with pytest.raises(ExportError) as caught:
        export_chunks(Intervention.objects.all(), config, "csv", PARIS)  # not iterated
    assert caught.value.code == "export_default_differs"
    active = Intervention.objects.filter(status="A", session__training__guid="TR-1")
    data = b"".join(export_chunks(active, config, "csv", PARIS))
    assert data.decode().splitlines()[1].startswith("IV-1;TR-1;SE-1;2027-03-01T09:00:00;2;")


def test_an_unnamed_configuration_is_said_so(schedule):
    config = parse_config(config_xml(without("interventionStatus"), {"interventionStatus": "A"}))[0]
    with pytest.raises(ExportError, match='^Configuration "configuration" does not write'):
        export(Intervention.objects.all(), io.BytesIO(), config, "csv", PARIS)


def test_without_a_guid_column_interventions_of_derived_guids_import_back_unchanged(schedule):
    """A schedule imported without GUIDs (derived) exports and imports back unchanged with a
    configuration that writes no GUID either."""
    config = config_of(without("interventionGuid"), {})
    Intervention.objects.all().delete()
    first = import_again(_file_without_guids(), config, "csv")
    assert (first.errors, first.new) == ([], 2)
    sink = io.BytesIO()
    assert export(Intervention.objects.all(), sink, config, "csv", PARIS) == 2
    result = import_again(sink.getvalue(), config, "csv")
    assert (result.errors, counts(result)) == ([], (0, 0, 2, 0))


def test_without_a_guid_column_interventions_of_other_guids_are_refused(schedule):
    config = config_of(without("interventionGuid"), {})
    with pytest.raises(ExportError) as refused:
        export(Intervention.objects.all(), io.BytesIO(), config, "csv", PARIS)
    message = refused.value.message
    total = Intervention.objects.count()
    assert message.code == "export_guid_not_derived"
    assert str(message) == (
        'Configuration "shapes.xml" does not write interventionGuid: imported with it, each row'
        f" takes the GUID derived from its slot, and {total} of the {total} interventions to"
        " export have another (the first: intervention IV-1); they would come back as new"
        " interventions. Export with a configuration that writes interventionGuid (or with"
        " none), or leave those interventions out."
    )


def _file_without_guids() -> bytes:
    header = ";".join(without("interventionGuid"))
    rows = [
        "TR-1;SE-1;2027-03-01 09:00;2;R-101;Room 101;20;jdoe;A",
        "TR-1;SE-1;2027-03-02 09:00;1.5;R-101;Room 101;20;jdoe;C",
    ]
    return ("\n".join([header, *rows]) + "\n").encode()
