"""The semantics of createOrUpdateInterventionAction, row by row (table-driven)."""

import datetime as dt

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.config import parse_config
from imports.parsing.messages import DATE_WITHOUT_TIME
from imports.parsing.results import Outcome
from tests.conftest import HEADER, csv_bytes, make_row, xlsx_bytes
from training.models import Intervention, Room, Session, Training

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def run(rows, **options):
    return run_import(csv_bytes(rows), "file.csv", options=ImportOptions(**options))


def messages(result):
    return [(e.line, e.message) for e in result.errors]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"interventionGuid": ""}, "Field interventionGuid is empty."),
        ({"interventionDate": ""}, "Field interventionDate is empty."),
        ({"interventionDuration": " "}, "Field interventionDuration is empty."),
        ({"roomGuid": ""}, "Field roomGuid is empty."),
        ({"roomLabel": ""}, "Field roomLabel is empty."),
        ({"teacherLogin": ""}, "Field teacherLogin is empty."),
        ({"interventionStatus": ""}, "Field interventionStatus is empty."),
        (
            {"trainingGuid": "", "trainingPathCode": ""},
            "Field trainingGuid or trainingPathCode is empty.",
        ),
        (
            {"sessionGuid": "", "sessionTitle": ""},
            "Field sessionGuid or sessionTitle is empty.",
        ),
        ({"trainingGuid": "TR-9"}, "Training with guid TR-9 is not found."),
        (
            {"trainingGuid": "", "trainingPathCode": "NOPE"},
            "Training with path code NOPE is not found.",
        ),
        ({"sessionGuid": "SE-404"}, "Session with guid SE-404 is not found for this training."),
        ({"sessionGuid": "SE-3"}, "Session with guid SE-3 is not found for this training."),
        (
            {"sessionGuid": "", "sessionTitle": "Winter"},
            "Session with title Winter is not found for this training.",
        ),
        (
            {"trainingGuid": "TR-3", "sessionGuid": "", "sessionTitle": "Evening"},
            "Session with title Evening matches 2 sessions of this training, use sessionGuid.",
        ),
        # read month first, as the site's language (en-us) writes dates: then it has no time
        ({"interventionDate": "01/03/2027"}, DATE_WITHOUT_TIME.format(value="01/03/2027")),
        ({"interventionDate": "31/02/2027"}, "Date 31/02/2027 not valid."),
        ({"interventionDate": "2027-02-30T09:00"}, "Date 2027-02-30T09:00 not valid."),
        ({"teacherLogin": "ghost"}, "Teacher with login ghost is not found."),
        ({"interventionStatus": "X"}, "Status has invalid value X, A or C expected."),
        ({"interventionStatus": "a"}, "Status has invalid value a, A or C expected."),
        (
            {"interventionDuration": "1.999"},  # 1.9 is now 1 h 54 min: 1.999 is no whole minutes
            "Duration 1.999 not valid, a whole number of minutes expected.",
        ),
        (
            {"interventionDuration": "1e3"},
            "Duration 1e3 not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected.",
        ),
        (
            {"interventionDuration": "0"},
            "Duration 0 not valid, more than 0 expected.",
        ),
        (
            {"interventionDuration": "-2"},
            "Duration -2 not valid, more than 0 expected.",
        ),
        (
            {"interventionDuration": "١٢"},
            "Duration ١٢ not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected.",
        ),
        ({"roomCapacity": "ten"}, "Capacity ten not valid, a whole number expected."),
        (
            {"interventionGuid": "G" * 41},
            "Field interventionGuid is too long (41 characters, 40 at most).",
        ),
        ({"roomLabel": "L" * 256}, "Field roomLabel is too long (256 characters, 255 at most)."),
        ({"teacherLogin": "jdoe\u200b"}, "Field teacherLogin contains invisible characters."),
    ],
)
def test_row_error_messages(demo, overrides, expected):
    result = run([make_row(**overrides)])
    assert messages(result) == [(2, expected)]
    assert result.error_rows == 1
    assert Intervention.objects.count() == 0


def test_every_independent_problem_of_a_row_is_reported(demo):
    row = make_row(interventionDate="soon", teacherLogin="ghost", interventionStatus="Z")
    result = run([row])
    assert messages(result) == [
        (2, "Date soon not valid."),
        (2, "Status has invalid value Z, A or C expected."),
        (2, "Teacher with login ghost is not found."),
    ]
    columns = {e.column: e.value for e in result.errors}
    assert columns == {
        "interventionDate": "soon",
        "interventionStatus": "Z",
        "teacherLogin": "ghost",
    }


def test_valid_row_creates_intervention_and_room(demo):
    row = make_row(
        roomGuid="R-NEW", roomLabel="New room", roomCapacity="30", interventionStatus="C"
    )
    result = run([row])
    assert (result.new, result.error_rows, result.committed) == (1, 0, True)
    intervention = Intervention.objects.select_related("room", "session", "teacher").get()
    assert intervention.guid == "IV-1"
    assert intervention.session.guid == "SE-1"
    assert intervention.teacher.login == "jdoe"
    assert intervention.start == dt.datetime(2027, 3, 1, 9, tzinfo=UTC)
    assert intervention.duration_minutes == 180
    assert intervention.status == "C"
    assert (intervention.room.guid, intervention.room.label, intervention.room.capacity) == (
        "R-NEW",
        "New room",
        30,
    )


@pytest.mark.parametrize(
    ("overrides", "session_guid"),
    [
        ({}, "SE-1"),
        ({"sessionGuid": "", "sessionTitle": "Autumn 2027"}, "SE-2"),
        ({"trainingGuid": "", "trainingPathCode": "PATH-MGMT", "sessionGuid": "SE-3"}, "SE-3"),
        (
            {
                "trainingGuid": "",
                "trainingPathCode": "PATH-MGMT",
                "sessionGuid": "",
                "sessionTitle": "Autumn 2027",
            },
            "SE-4",
        ),
        # trainingGuid wins over trainingPathCode when both are given
        ({"trainingPathCode": "PATH-MGMT"}, "SE-1"),
        # sessionGuid wins over sessionTitle
        ({"sessionTitle": "Autumn 2027"}, "SE-1"),
    ],
)
def test_training_and_session_resolution(demo, overrides, session_guid):
    result = run([make_row(**overrides)])
    assert result.errors == []
    assert Intervention.objects.get().session.guid == session_guid


def test_update_and_unchanged(demo):
    run([make_row()])
    first = Intervention.objects.get()
    result = run([make_row(interventionDuration="4", interventionStatus="C")], keep_rows=True)
    assert (result.new, result.updated, result.unchanged) == (0, 1, 0)
    assert result.rows[0].changes == (("duration_minutes", "180", "240"), ("status", "A", "C"))
    updated = Intervention.objects.get()
    assert updated.pk == first.pk
    assert (updated.duration_minutes, updated.status) == (240, "C")
    assert updated.created_at == first.created_at
    again = run([make_row(interventionDuration="4", interventionStatus="C")])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)


def test_reimporting_the_same_file_changes_nothing(demo):
    rows = [make_row(interventionGuid=f"IV-{n}", roomGuid=f"R-{n}") for n in range(5)]
    run(rows)
    before = list(Intervention.objects.values_list("guid", "updated_at"))
    result = run(rows)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 5)
    assert (result.rooms_created, result.rooms_updated) == (0, 0)
    assert list(Intervention.objects.values_list("guid", "updated_at")) == before


def test_duplicate_guid_is_an_error_on_every_line(demo):
    rows = [make_row(), make_row(interventionDuration="5"), make_row(interventionGuid="IV-2")]
    result = run(rows)
    message = "Intervention with guid IV-1 appears on several lines (2, 3)."
    assert messages(result) == [(2, message), (3, message)]
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["IV-2"]


def test_room_is_updated_and_empty_capacity_keeps_it(demo):
    result = run([make_row(roomLabel="Room one-oh-one", roomCapacity="")])
    assert result.rooms_updated == 1
    room = Room.objects.get(guid="R-101")
    assert (room.label, room.capacity) == ("Room one-oh-one", 20)
    run([make_row(roomLabel="Room one-oh-one", roomCapacity="25")])
    assert Room.objects.get(guid="R-101").capacity == 25


def test_room_described_differently_in_one_file_is_an_error(demo):
    rows = [make_row(), make_row(interventionGuid="IV-2", roomLabel="Other label")]
    result = run(rows)
    message = "Room with guid R-101 has different labels or capacities in this file (2, 3)."
    assert messages(result) == [(2, message), (3, message)]


def test_a_row_wrong_anyway_takes_no_part_in_the_room_comparison(demo):
    rows = [
        make_row(),
        make_row(interventionGuid="IV-2", roomLabel="Other label", interventionStatus="Z"),
        make_row(interventionGuid="IV-3"),
    ]
    result = run(rows)
    assert (result.new, result.error_rows) == (2, 1)
    assert messages(result) == [(3, "Status has invalid value Z, A or C expected.")]
    assert Room.objects.get(guid="R-101").label == "Room 101"


def test_a_row_with_an_unknown_teacher_takes_no_part_in_the_room_comparison(demo):
    rows = [
        make_row(roomLabel="Other label", teacherLogin="ghost"),
        make_row(interventionGuid="IV-2"),
    ]
    result = run(rows)
    assert (result.new, result.error_rows) == (1, 1)
    assert messages(result) == [(2, "Teacher with login ghost is not found.")]


def test_a_row_wrong_anyway_does_not_make_its_guid_a_duplicate(demo):
    rows = [make_row(), make_row(interventionDuration="x")]
    result = run(rows)
    assert (result.new, result.error_rows) == (1, 1)
    assert [message for _, message in messages(result)] == [
        "Duration x not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected."
    ]


def test_rows_with_errors_are_skipped_and_others_imported(demo):
    rows = [make_row(), make_row(interventionGuid="IV-2", teacherLogin="ghost")]
    result = run(rows)
    assert (result.new, result.error_rows, result.committed) == (1, 1, True)
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["IV-1"]
    assert result.error_cells[3][0] == "IV-2"


def test_strict_writes_nothing_when_a_row_fails(demo):
    rows = [make_row(roomGuid="R-NEW"), make_row(interventionGuid="IV-2", teacherLogin="ghost")]
    result = run(rows, strict=True)
    assert (result.new, result.error_rows, result.committed) == (1, 1, False)
    assert Intervention.objects.count() == 0
    assert not Room.objects.filter(guid="R-NEW").exists()


def test_strict_writes_everything_when_all_rows_are_fine(demo):
    result = run([make_row()], strict=True)
    assert result.committed is True
    assert Intervention.objects.count() == 1


def test_dry_run_writes_nothing_and_reports_like_a_real_run(demo):
    rows = [
        make_row(roomGuid="R-NEW", roomLabel="New"),
        make_row(interventionGuid="IV-2", roomGuid="R-NEW", roomLabel="New"),
        make_row(interventionGuid="IV-3", teacherLogin="ghost"),
    ]
    dry = run(rows, dry_run=True)
    assert Intervention.objects.count() == 0
    assert not Room.objects.filter(guid="R-NEW").exists()
    real = run(rows)
    keys = ("new", "updated", "unchanged", "error_rows", "rooms_created", "rooms_updated")
    assert {k: getattr(dry, k) for k in keys} == {k: getattr(real, k) for k in keys}
    assert messages(dry) == messages(real)
    assert (dry.committed, real.committed) == (False, True)


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2027-03-01T09:00:00", "UTC", dt.datetime(2027, 3, 1, 9, tzinfo=UTC)),
        ("2027-03-01 09:00", "UTC", dt.datetime(2027, 3, 1, 9, tzinfo=UTC)),
        ("2027-03-01T09:00:00+02:00", "UTC", dt.datetime(2027, 3, 1, 7, tzinfo=UTC)),
        ("2027-03-01T09:00:00Z", "Europe/Paris", dt.datetime(2027, 3, 1, 9, tzinfo=UTC)),
        ("2027-03-01T09:00:00", "Europe/Paris", dt.datetime(2027, 3, 1, 8, tzinfo=UTC)),
        ("2027-07-01T09:00:00", "Europe/Paris", dt.datetime(2027, 7, 1, 7, tzinfo=UTC)),
    ],
)
def test_dates_and_time_zones(demo, value, zone, expected):
    result = run([make_row(interventionDate=value)], time_zone=zone)
    assert result.errors == []
    assert Intervention.objects.get().start == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2027-03-28T02:30:00",
            "Date 2027-03-28T02:30:00 not valid: it does not exist in time zone Europe/Paris"
            " (daylight saving change).",
        ),
        (
            "2027-10-31T02:30:00",
            "Date 2027-10-31T02:30:00 not valid: it is ambiguous in time zone Europe/Paris"
            " (daylight saving change), give its UTC offset.",
        ),
    ],
)
def test_daylight_saving_gaps_and_folds_are_errors(demo, value, message):
    result = run([make_row(interventionDate=value)], time_zone="Europe/Paris")
    assert messages(result) == [(2, message)]


def test_date_format_from_configuration(demo):
    xml = f"""<import-config><import><providers><fileSystemSourceProvider>
      <dateFormat>DD/MM/YYYY HH:II</dateFormat><delimiter>comma</delimiter>
      </fileSystemSourceProvider></providers><actions><createOrUpdateInterventionAction>
      <fields>{"".join(f"<{n}/>" for n in HEADER)}</fields>
      </createOrUpdateInterventionAction></actions></import></import-config>"""
    [config] = parse_config(xml)
    data = csv_bytes([make_row(interventionDate="05/03/2027 14:30")], sep=",")
    result = run_import(data, "f.csv", config)
    assert result.errors == []
    assert Intervention.objects.get().start == dt.datetime(2027, 3, 5, 14, 30, tzinfo=UTC)
    bad = run_import(csv_bytes([make_row(interventionDate="2027-03-05")], sep=","), "f.csv", config)
    assert messages(bad) == [(2, "Date 2027-03-05 not valid.")]


def test_bare_actions_block_maps_columns_by_position_and_skips_header(demo):
    fields = "".join(f"<{n}/>" for n in ["ignoredColumn", *HEADER])
    xml = f"<actions><createOrUpdateInterventionAction><fields>{fields}</fields>" + (
        "</createOrUpdateInterventionAction></actions>"
    )
    [config] = parse_config(xml)
    header = ["whatever", *[f"col{i}" for i in range(12)]]
    row = {"whatever": "ignored", **{f"col{i}": make_row()[n] for i, n in enumerate(HEADER)}}
    result = run_import(csv_bytes([row], header=header), "f.csv", config)
    assert (result.new, result.errors) == (1, [])


def test_custom_status_codes(demo):
    xml = (
        "<actions><createOrUpdateInterventionAction><fields>"
        + "".join(f"<{n}/>" for n in HEADER[:-1])
        + (
            "<interventionStatus><active>ON</active><cancelled>OFF</cancelled></interventionStatus>"
            "</fields></createOrUpdateInterventionAction></actions>"
        )
    )
    [config] = parse_config(xml)
    result = run_import(csv_bytes([make_row(interventionStatus="OFF")]), "f.csv", config)
    assert Intervention.objects.get().status == "C"
    bad = run_import(csv_bytes([make_row(interventionStatus="A")]), "f.csv", config)
    assert messages(bad) == [(2, "Status has invalid value A, ON or OFF expected.")]
    assert result.errors == []


def test_header_names_are_case_insensitive_in_any_order_and_unknown_ones_warned(demo):
    header = [name.upper() for name in reversed(HEADER)] + ["comment"]
    row = {name.upper(): value for name, value in make_row().items()} | {"comment": "x"}
    result = run_import(csv_bytes([row], header=header), "f.csv")
    assert (result.new, result.errors) == (1, [])
    assert [(w.line, w.message, w.level) for w in result.warnings] == [
        (1, "Column comment is not used and is ignored.", "WARNING")
    ]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("interventionDate", "Column interventionDate is missing from the header row."),
        ("teacherLogin", "Column teacherLogin is missing from the header row."),
    ],
)
def test_missing_mandatory_column_is_a_file_error(demo, missing, message):
    header = [name for name in HEADER if name != missing]
    result = run_import(csv_bytes([make_row()], header=header), "f.csv")
    read = ", ".join(f'"{name}"' for name in header)
    expected = f"{message} The header row read: {read}."
    assert [(e.line, e.message, e.code) for e in result.file_errors] == [
        (1, expected, "header_missing_column")
    ]
    assert not result.usable
    assert Intervention.objects.count() == 0


def test_missing_both_training_columns_is_a_file_error(demo):
    header = [n for n in HEADER if n not in {"trainingGuid", "trainingPathCode"}]
    result = run_import(csv_bytes([make_row()], header=header), "f.csv")
    assert result.file_errors[0].message.startswith(
        "Column trainingGuid or trainingPathCode is missing from the header row."
        ' The header row read: "interventionGuid", "sessionGuid",'
    )


def test_line_numbers_are_physical(demo):
    data = (
        csv_bytes([make_row()])
        + b"\n\n"
        + csv_bytes([make_row(interventionGuid="IV-2", teacherLogin="ghost")]).split(b"\n", 1)[1]
    )
    result = run_import(data, "f.csv")
    assert messages(result) == [(5, "Teacher with login ghost is not found.")]


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_csv_delimiter_is_detected(demo, sep):
    result = run_import(csv_bytes([make_row()], sep=sep), "f.csv")
    assert (result.new, result.errors, result.file_errors) == (1, [], [])


def test_csv_with_bom_and_other_encoding(demo):
    data = b"\xef\xbb\xbf" + csv_bytes([make_row(roomLabel="Salle é")])
    assert run_import(data, "f.csv").new == 1
    latin = csv_bytes([make_row(interventionGuid="IV-2", roomGuid="R-9", roomLabel="Salle é")])
    latin = latin.decode("utf-8").encode("latin-1")
    result = run_import(latin, "f.csv", options=ImportOptions(encoding="latin-1"))
    assert result.new == 1
    assert Room.objects.get(guid="R-9").label == "Salle é"
    undecodable = run_import(latin.replace(b"\xe9", b"\x81"), "f.csv")  # not Windows-1252
    assert undecodable.file_errors[0].message.startswith("The file is not valid UTF-8")
    assert undecodable.file_errors[0].line == 2


def test_xlsx_with_native_cells(demo):
    row = make_row()
    cells = [row[n] for n in HEADER]
    cells[HEADER.index("interventionDate")] = dt.datetime(2027, 3, 1, 9, 30)
    cells[HEADER.index("interventionDuration")] = 2
    cells[HEADER.index("roomCapacity")] = 20.0
    bad = list(cells)
    bad[0] = "IV-2"
    bad[HEADER.index("interventionDuration")] = 1.333  # 1.5 is now 1 h 30 min
    result = run_import(xlsx_bytes([cells, bad]), "f.xlsx")
    assert result.new == 1
    assert messages(result) == [
        (3, "Duration 1.333 not valid, a whole number of minutes expected.")
    ]
    intervention = Intervention.objects.get()
    assert intervention.start == dt.datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    assert intervention.duration_minutes == 120


def test_ods_is_read_as_binary(demo, tmp_path):
    import tablib

    row = make_row()
    dataset = tablib.Dataset(headers=HEADER)
    dataset.append([row[n] for n in HEADER])
    dataset.append([row[n] if n != "interventionGuid" else "IV-2" for n in HEADER[:-1]] + ["Q"])
    data = dataset.export("ods")
    result = run_import(data, "f.ods")
    assert result.new == 1
    assert messages(result) == [(3, "Status has invalid value Q, A or C expected.")]


def test_format_option_overrides_the_extension(demo):
    result = run_import(csv_bytes([make_row()]), "export.dat", options=ImportOptions(format="csv"))
    assert result.new == 1
    unknown = run_import(csv_bytes([make_row()]), "export.dat")
    expected = "Unknown file format dat: csv, txt, tsv, tab, xlsx or ods expected."
    assert unknown.file_errors[0].message == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file has no data rows."),
        (";".join(HEADER).encode() + b"\n", "The file has no data rows."),
    ],
)
def test_files_without_rows_are_unusable(demo, data, message):
    result = run_import(data, "f.csv")
    assert [e.message for e in result.file_errors] == [message]


def test_sessions_are_protected_training_link(demo):
    # sanity: the demo data the samples refer to
    assert Training.objects.count() == 3
    assert Session.objects.filter(training__guid="TR-3", title="Evening").count() == 2


def test_outcome_kinds_are_recorded_per_row_when_asked(demo):
    run([make_row()])
    rows = [
        make_row(),
        make_row(interventionGuid="IV-2"),
        make_row(interventionGuid="", roomGuid=""),
    ]
    result = run(rows, keep_rows=True, dry_run=True)
    assert [(r.line, r.outcome) for r in result.rows] == [
        (2, Outcome.UNCHANGED),
        (3, Outcome.NEW),
        (4, Outcome.ERROR),
    ]


def test_rows_longer_than_the_header_get_a_warning(demo):
    data = (
        csv_bytes([make_row()])
        + b"IV-2;TR-1;;SE-1;;2027-03-01T12:00;1;R-101;Room 101;;jdoe;A;extra\n"  # back-to-back
    )
    result = run_import(data, "f.csv")
    assert (result.new, result.errors) == (2, [])
    assert [(w.line, w.message) for w in result.warnings] == [
        (3, "Line has 13 cells, 12 expected; the extra cells are ignored.")
    ]


def test_long_row_warnings_are_capped(demo):
    starts = [dt.datetime(2027, 3, 1, 10) + dt.timedelta(hours=n) for n in range(105)]
    rows = b"".join(
        f"IV-{n};TR-1;;SE-1;;{start:%Y-%m-%dT%H:%M};1;R-101;Room 101;;jdoe;A;x\n".encode()
        for n, start in enumerate(starts)
    )
    result = run_import(csv_bytes([]) + rows, "f.csv")
    assert len(result.warnings) == 101
    assert result.warnings[-1].message == "5 more lines have extra cells, which are ignored."


def test_long_values_are_shortened_in_messages_but_kept_whole(demo):
    digits = "9" * 5000
    result = run([make_row(interventionDuration=digits)])
    [error] = result.errors
    assert error.message == (
        f"Duration {'9' * 79}… not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected."
    )
    assert error.value == digits


def test_a_changed_start_is_shown_in_utc_old_and_new(demo):
    run([make_row(interventionDate="2027-03-01T09:00:00+01:00")])
    result = run([make_row(interventionDate="2027-03-01T10:30:00+01:00")], keep_rows=True)
    assert result.rows[0].changes == (
        ("start", "2027-03-01T08:00:00+00:00", "2027-03-01T09:30:00+00:00"),
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"interventionDuration": "5"},
        {"interventionDate": "2027-03-02T10:00:00", "interventionStatus": "C"},
        {"sessionGuid": "SE-2"},
        {"roomGuid": "R-102", "roomLabel": "Room 102"},
        {"teacherLogin": "asmith", "interventionDuration": "6"},
    ],
    ids=["duration", "start-status", "session", "room", "teacher-duration"],
)
def test_every_kind_of_update_is_written_beside_the_others(demo, overrides):
    """One batch updating keys on some rows and other fields only on others (SQLite writes the
    two kinds with two statements): every row ends as its file line says."""
    guids = ["IV-A", "IV-B", "IV-C"]
    run([make_row(interventionGuid=g) for g in guids])
    created = dict(Intervention.objects.values_list("guid", "created_at"))
    rows = [
        make_row(interventionGuid="IV-A", **overrides),
        make_row(interventionGuid="IV-B", teacherLogin="bmartin"),
        make_row(interventionGuid="IV-C", interventionDuration="8"),
    ]
    result = run(rows)
    assert (result.updated, result.error_rows) == (3, 0)
    stored = {i.guid: i for i in Intervention.objects.select_related("session", "room", "teacher")}
    for row in rows:
        item = stored[row["interventionGuid"]]
        assert (
            item.session.guid,
            item.start,
            item.duration_minutes,
            item.room.guid,
            item.teacher.login,
            item.status,
        ) == (
            row["sessionGuid"],
            dt.datetime.fromisoformat(row["interventionDate"]).replace(tzinfo=UTC),
            int(row["interventionDuration"]) * 60,
            row["roomGuid"],
            row["teacherLogin"],
            row["interventionStatus"],
        )
        assert item.created_at == created[item.guid]
        assert item.updated_at > item.created_at


def test_a_kept_new_row_keeps_what_it_writes_and_only_then(demo):
    row = make_row(sessionGuid="", sessionTitle="Spring 2027", interventionDuration="4")
    kept = run([row], dry_run=True, keep_rows=True).rows[0]
    assert kept.outcome is Outcome.NEW
    assert kept.changes == ()
    session, start, minutes, room, teacher, status = kept.written
    assert (session, minutes, room, teacher, status) == ("SE-1", 240, "R-101", "jdoe", "A")
    assert start == dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    assert run([row], dry_run=True).rows == []  # the command keeps no rows


def test_the_result_lists_the_rooms_created_and_changed_with_their_lines(demo):
    rows = [
        make_row(interventionGuid="IV-1", roomGuid="R-NEW", roomLabel="Lab", roomCapacity="8"),
        make_row(interventionGuid="IV-2", roomGuid="R-101", roomLabel="Big", roomCapacity=""),
        make_row(interventionGuid="IV-3", roomGuid="R-101", roomLabel="Big", roomCapacity=""),
        make_row(
            interventionGuid="IV-4", roomGuid="R-102", roomLabel="Room 102", roomCapacity="12"
        ),
        make_row(interventionGuid="IV-5", roomGuid="R-NEW", roomLabel="Lab", roomCapacity="8"),
        make_row(interventionGuid="IV-6", roomGuid="R-BAD", teacherLogin="nobody"),
    ]
    for dry_run in (True, False):
        result = run(rows, dry_run=dry_run, conflicts="ignore")
        assert [room.as_dict() for room in result.rooms] == [
            {
                "guid": "R-101",
                "created": False,
                "label": "Big",
                "capacity": 20,
                "old_label": "Room 101",
                "old_capacity": 20,
                "lines": [3, 4],
                "line_count": 2,
            },
            {
                "guid": "R-NEW",
                "created": True,
                "label": "Lab",
                "capacity": 8,
                "old_label": None,
                "old_capacity": None,
                "lines": [2, 6],
                "line_count": 2,
            },
        ]
    assert Room.objects.get(guid="R-101").label == "Big"


def test_a_room_s_lines_are_kept_up_to_a_limit(demo, settings):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 7}  # across batches
    rows = [
        make_row(interventionGuid=f"IV-{n}", roomGuid="R-NEW", roomLabel="Lab") for n in range(30)
    ]
    (room,) = run(rows, dry_run=True, conflicts="ignore").rooms
    assert room.lines == tuple(range(2, 22))
    assert room.line_count == 30
