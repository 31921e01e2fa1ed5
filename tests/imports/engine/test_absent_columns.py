"""Files without an intervention GUID or a room label column (issue 27): GUIDs derived from
the slot, rooms labelled with their GUID, by header and by configuration, through the engine."""

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.config import parse_config
from imports.parsing.derived_keys import GUID_PREFIX
from imports.parsing.results import ImportResult
from tests.conftest import HEADER, csv_bytes, make_row, xlsx_bytes
from training.models import Intervention, Room

pytestmark = pytest.mark.django_db
WITHOUT_BOTH = [name for name in HEADER if name not in ("interventionGuid", "roomLabel")]
WITHOUT_GUID = [name for name in HEADER if name != "interventionGuid"]
WITHOUT_LABEL = [name for name in HEADER if name != "roomLabel"]
SOURCES = "trainingGuid, sessionGuid, interventionDate and roomGuid"


def rows(*starts: str, **overrides: str) -> list[dict[str, str]]:
    return [make_row(interventionDate=start, **overrides) for start in starts]


def run(data: bytes, config=None, name: str = "planning.csv", **options) -> ImportResult:
    options.setdefault("time_zone", "Europe/Paris")
    return run_import(data, name, config, ImportOptions(**options))


def codes(result: ImportResult) -> list[str]:
    return [warning.code for warning in result.warnings]


def test_a_file_without_guids_imports_and_imports_again_unchanged(demo):
    data = csv_bytes(rows("2027-03-01 09:00", "2027-03-02 09:00"), header=WITHOUT_GUID)
    first = run(data)
    assert (first.file_errors, first.errors, first.new) == ([], [], 2)
    guids = sorted(Intervention.objects.values_list("guid", flat=True))
    assert all(g.startswith(GUID_PREFIX) and len(g) <= 40 for g in guids), guids
    again = run(data)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert sorted(Intervention.objects.values_list("guid", flat=True)) == guids


def test_the_derived_guid_is_said_once_with_the_cells_it_came_from(demo):
    result = run(csv_bytes(rows("2027-03-01 09:00", "2027-03-02 09:00"), header=WITHOUT_GUID))
    [note] = [w for w in result.warnings if w.code == "guids_derived"]
    guid = Intervention.objects.get(start__day=1).guid
    assert note.line is None and note.level == "WARNING"
    assert note.message == (
        f"Intervention GUIDs derived from {SOURCES} on 2 rows, as the file has no"
        f' interventionGuid column (line 2: "TR-1", "SE-1", "2027-03-01 09:00", "R-101" give'
        f" {guid})."
    )


@pytest.mark.parametrize(
    "other",
    [
        {"interventionDate": "2027-03-01 10:00"},  # another start
        {"roomGuid": "R-102", "roomLabel": "Room 102"},  # another room
        {"sessionGuid": "SE-2"},  # another session
    ],
)
def test_each_column_of_the_slot_makes_another_guid(demo, other):
    first = make_row(interventionDate="2027-03-01 09:00")
    second = make_row(**{"interventionDate": "2027-03-01 09:00", **other})
    result = run(csv_bytes([first, second], header=WITHOUT_GUID))
    assert (result.errors, result.new) == ([], 2)


def test_the_teacher_is_not_part_of_the_slot_a_substitute_updates_it(demo):
    run(csv_bytes(rows("2027-03-01 09:00"), header=WITHOUT_GUID))
    result = run(csv_bytes(rows("2027-03-01 09:00", teacherLogin="asmith"), header=WITHOUT_GUID))
    assert (result.new, result.updated) == (0, 1)
    assert Intervention.objects.get().teacher.login == "asmith"


def test_the_same_start_written_otherwise_is_the_same_slot(demo):
    run(csv_bytes(rows("2027-03-01 09:00"), header=WITHOUT_GUID))
    again = run(csv_bytes(rows("01/03/2027 9h", "13/03/2027 9h"), header=WITHOUT_GUID))
    assert (again.file_errors, again.errors, again.new, again.unchanged) == ([], [], 1, 1)


def test_rows_deriving_one_guid_are_the_seed_duplicate_error_naming_the_columns(demo):
    data = csv_bytes(
        [
            make_row(interventionDate="2027-03-01 09:00"),
            make_row(interventionDate="2027-03-01 09:00", teacherLogin="asmith"),
            make_row(interventionDate="2027-03-02 09:00"),
        ],
        header=WITHOUT_GUID,
    )
    result = run(data)
    assert (result.new, sorted({e.line for e in result.errors})) == (1, [2, 3])
    error = result.errors[0]
    assert (error.code, error.column) == ("duplicate_guid", "interventionGuid")
    assert error.message == (
        f"Intervention with guid {error.value} appears on several lines (2, 3). The file has no"
        f" interventionGuid column: the GUID is derived from {SOURCES}, which are the same on"
        " these lines."
    )


def test_a_row_wrong_on_its_own_deriving_the_same_guid_harms_no_other_row(demo):
    data = csv_bytes(
        [
            make_row(interventionDate="2027-03-01 09:00"),
            make_row(interventionDate="2027-03-01 09:00", teacherLogin="ghost"),
        ],
        header=WITHOUT_GUID,
    )
    result = run(data)
    assert result.new == 1
    assert [(e.line, e.code) for e in result.errors] == [(3, "teacher_not_found")]


def test_a_file_without_labels_creates_rooms_labelled_by_their_guid(demo):
    data = csv_bytes(
        [
            make_row(interventionGuid="IV-1", roomGuid="R-NEW"),
            make_row(
                interventionGuid="IV-2", roomGuid="R-101", interventionDate="2027-03-02 09:00"
            ),
        ],
        header=WITHOUT_LABEL,
    )
    result = run(data)
    assert (result.errors, result.new) == ([], 2)
    assert dict(Room.objects.values_list("guid", "label")) == {
        "R-NEW": "R-NEW",  # created: its GUID as its label
        "R-101": "Room 101",  # existing: its label kept
        "R-102": "Room 102",
    }
    assert [(room.guid, room.label, room.old_label) for room in result.rooms] == [
        ("R-NEW", "R-NEW", None)  # the preview's list of the rooms created
    ]
    [note] = [w for w in result.warnings if w.code == "labels_from_guids"]
    assert note.message == (
        "The file has no roomLabel column: a room created takes its roomGuid as its label; an"
        " existing room keeps its label."
    )


def test_a_file_with_a_label_column_still_needs_every_label(demo):
    result = run(csv_bytes([make_row(roomLabel="")]))
    assert [(e.code, e.message) for e in result.errors] == [
        ("field_empty", "Field roomLabel is empty.")
    ]


def test_a_spreadsheet_without_both_columns(demo):
    row = make_row()
    data = xlsx_bytes([[row[name] for name in WITHOUT_BOTH]], header=WITHOUT_BOTH)
    result = run(data, name="planning.xlsx")
    assert (result.file_errors, result.errors, result.new) == ([], [], 1)
    assert {"guids_derived", "labels_from_guids"} <= set(codes(result))


CONFIG = """<import-config><import><providers><fileSystemSourceProvider>
  <skipFirstLine>no</skipFirstLine>
  <columnsMapping><trainingGuid/><sessionGuid/><interventionDate/><interventionDuration/>
    <roomGuid/><teacherLogin/><interventionStatus/></columnsMapping>
</fileSystemSourceProvider></providers>
<actions><createOrUpdateInterventionAction><fields><trainingGuid/><sessionGuid/>
  <interventionDate/><interventionDuration/><roomGuid/><teacherLogin/><interventionStatus/>
</fields></createOrUpdateInterventionAction></actions></import></import-config>"""


def test_a_configuration_may_leave_both_out(demo):
    (config,) = parse_config(CONFIG)
    data = b"TR-1;SE-1;2027-03-01 09:00;2;R-NEW;jdoe;A\nTR-1;SE-1;2027-03-02 09:00;2;R-NEW;jdoe;A\n"
    result = run(data, config)
    assert (result.file_errors, result.errors, result.new) == ([], [], 2)
    assert Room.objects.get(guid="R-NEW").label == "R-NEW"
    assert run(data, config).unchanged == 2
