"""`manage.py import_interventions`: output, JSON lines and exit statuses."""

import json
from pathlib import Path

import pytest

from tests.conftest import HEADER, csv_bytes, make_row
from tests.imports.command_support import run_command
from training.models import Intervention

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def call(*args: str) -> tuple[int, str, str]:
    return run_command("import_interventions", *args)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_valid_samples_import_then_reimport_unchanged(demo):
    files = [str(SAMPLES / "interventions.csv"), str(SAMPLES / "interventions.xlsx")]
    status, out, _ = call(*files, "--json")
    assert status == 0
    first = json_lines(out)
    assert [(r["new"], r["updated"], r["unchanged"], r["error_rows"]) for r in first] == [
        (5, 0, 0, 0),
        (3, 0, 0, 0),
    ]
    status, out, _ = call(*files, "--json")
    assert [(r["new"], r["unchanged"]) for r in json_lines(out)] == [(0, 5), (0, 3)]
    assert status == 0
    assert Intervention.objects.count() == 8


def test_sample_with_errors_reports_each_line_and_exits_1(demo):
    status, out, err = call(str(SAMPLES / "interventions_with_errors.csv"))
    assert status == 1
    assert "interventions_with_errors.csv: line 3: Training with guid TR-9 is not found." in err
    assert "line 10: Field interventionDate is empty." in err
    assert "1 new, 0 updated, 0 unchanged, 9 rows with errors." in out
    assert Intervention.objects.count() == 1


def test_json_has_the_contract_keys(demo):
    status, out, _ = call(str(SAMPLES / "interventions_with_errors.csv"), "--json", "--dry-run")
    [report] = json_lines(out)
    assert status == 1
    assert {"file", "dry_run", "new", "updated", "unchanged", "error_rows", "errors"} <= set(report)
    assert report["dry_run"] is True
    assert report["error_rows"] == 9
    assert {"line": 9, "message": "Status has invalid value X, A or C expected."}.items() <= (
        report["errors"][-3].items()
    )
    assert all({"line", "message"} <= set(e) for e in report["errors"])
    assert Intervention.objects.count() == 0


def test_dry_run_and_strict(demo, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(csv_bytes([make_row(), make_row(interventionGuid="IV-2", teacherLogin="x")]))
    status, out, _ = call(str(path), "--strict")
    assert status == 1
    assert "(strict: nothing written)" in out
    assert Intervention.objects.count() == 0
    status, out, _ = call(str(path), "--dry-run")
    assert "(dry run: nothing written)" in out
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (None, "missing.csv", "The file cannot be read: No such file or directory."),
        (b"\xff\xfeabc\xff\xd8", "bad.csv", "The file is not valid utf-16 (byte 0xD8)"),
        (b"a;b\n", "empty.csv", "Column interventionDate is missing from the header row."),
        (b"", "nothing.csv", "The file has no data rows."),
        (b"not a zip", "sheet.xlsx", "The file cannot be read as xlsx"),
    ],
)
def test_unusable_input_exits_2_with_a_clear_message(demo, tmp_path, content, name, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    status, out, err = call(str(path))
    assert status == 2
    assert "Traceback" not in err
    assert any(expected in line for line in err.splitlines()), err


def test_undecodable_bytes_exit_2(demo, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(csv_bytes([make_row(roomLabel="Salle é")]).decode().encode("latin-1"))
    path.write_bytes(path.read_bytes().replace(b"\xe9", b"\x81"))  # not Windows-1252 either
    status, _, err = call(str(path))
    assert status == 2
    assert "line 2: The file is not valid UTF-8 (byte 0x81)" in err
    status, out, _ = call(str(path), "--encoding", "latin-1")
    assert status == 0


def test_invalid_configuration_exits_2_and_writes_nothing(demo, tmp_path):
    config = tmp_path / "bad.xml"
    config.write_text("<actions>\n<createOrUpdateInterventionAction>\n<fields><oops/></fields>")
    status, _, err = call(str(SAMPLES / "interventions.csv"), "--config", str(config))
    assert status == 2
    assert "bad.xml: line 3" in err
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize("config", ["config.xml", "import-config.xml"])
def test_sample_configurations(demo, config):
    status, out, _ = call(
        str(SAMPLES / "interventions.csv"), "--config", str(SAMPLES / config), "--json"
    )
    assert status == 0
    assert json_lines(out)[0]["new"] == 5


def test_delimiter_and_format_options(demo, tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(csv_bytes([make_row()], sep="|"))
    status, out, _ = call(str(path), "--format", "csv", "--delimiter", "pipe", "--json")
    assert status == 0
    assert json_lines(out)[0]["new"] == 1


def test_a_french_excel_export_needs_no_option_and_date_format_is_obeyed(demo, tmp_path):
    path = tmp_path / "planning.csv"
    row = make_row(interventionDate="03/04/2027 09:00", roomLabel="Salle René")
    path.write_bytes(csv_bytes([row]).decode().encode("cp1252"))
    status, out, _ = call(str(path), "--dry-run", "--json")
    [report] = json_lines(out)
    assert (status, report["new"], report["error_rows"]) == (0, 1, 0)  # 03/04: either way
    [note] = [w for w in report["warnings"] if w["code"] == "date_order_by_language"]
    assert (
        "read month first (MM/DD/YYYY HH:MM), as dates are written in the site's"
        in (note["message"])
    )
    status, out, _ = call(str(path), "--date-format", "DD/MM/YYYY HH:II", "--json")
    assert (status, json_lines(out)[0]["new"]) == (0, 1)
    assert Intervention.objects.get().start.date().isoformat() == "2027-04-03"


def test_a_date_format_that_is_not_one_is_refused_before_any_file(demo, tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes(csv_bytes([make_row()]))
    status, _, err = call(str(path), "--date-format", "JJ/MM/AAAA")
    assert status == 2
    assert "Date format JJ/MM/AAAA not valid. Use YYYY, MM, DD" in err
    assert Intervention.objects.count() == 0


def test_the_command_adds_its_own_flag_to_an_encoding_problem(demo, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(csv_bytes([make_row(roomLabel="Salle \x81")]).decode().encode("latin-1"))
    status, _, err = call(str(path))
    assert status == 2
    assert "latin.csv: line 2: The file is not valid UTF-8 (byte 0x81). Choose its encoding" in err
    assert "(--encoding)." in err


def test_json_gives_each_problem_its_machine_code(demo, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_bytes(
        csv_bytes([make_row(teacherLogin="ghost"), make_row(interventionGuid="IV-2", roomLabel="")])
    )
    _, out, _ = call(str(path), "--json")
    errors = json_lines(out)[0]["errors"]
    assert [(e["line"], e["code"], e["message"]) for e in errors] == [
        (2, "teacher_not_found", "Teacher with login ghost is not found."),
        (3, "field_empty", "Field roomLabel is empty."),
    ]


def overlapping(tmp_path):
    path = tmp_path / "overlap.csv"
    path.write_bytes(csv_bytes([make_row(), make_row(interventionGuid="IV-2")]))
    return path


def test_conflicts_are_json_warnings_with_the_other_guid_and_exit_0(demo, tmp_path):
    status, out, _ = call(str(overlapping(tmp_path)), "--json")
    assert status == 0
    [report] = json_lines(out)
    teacher = [w for w in report["warnings"] if w["code"] == "teacher_booked"]
    assert [
        (w["line"], w["column"], w["value"], w["conflicts_with"], w["conflicts_with_line"])
        for w in teacher
    ] == [
        (2, "teacherLogin", "jdoe", "IV-2", 3),
        (3, "teacherLogin", "jdoe", "IV-1", 2),
    ]
    assert {w["level"] for w in report["warnings"]} == {"WARNING"}
    assert report["new"] == 2


def test_conflicts_error_makes_the_rows_errors_and_exits_1(demo, tmp_path):
    status, out, _ = call(str(overlapping(tmp_path)), "--json", "--conflicts", "error")
    assert status == 1
    [report] = json_lines(out)
    assert (report["new"], report["error_rows"]) == (0, 2)
    assert {e["code"] for e in report["errors"]} == {"teacher_booked", "room_booked"}
    assert Intervention.objects.count() == 0


def test_conflicts_ignore_and_text_output(demo, tmp_path):
    path = str(overlapping(tmp_path))
    _, out, _ = call(path, "--conflicts", "ignore", "--dry-run")
    assert "already booked" not in out
    _, out, _ = call(path, "--dry-run")
    assert (
        "overlap.csv: line 2: Teacher with login jdoe is already booked by intervention IV-2" in out
    )


def test_the_error_log_writes_conflicts_as_warnings_with_their_cells(demo, tmp_path):
    logs = tmp_path / "logs"
    call(str(overlapping(tmp_path)), "--error-log", str(logs))
    [log] = logs.iterdir()
    lines = log.read_text().splitlines()
    cells = ",".join(make_row()[name] for name in HEADER)
    assert f"Line number:2,WARNING,{cells},Teacher with login jdoe is already booked" in lines[0]


def test_an_excel_csv_from_windows_imports_with_no_option(demo, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes([make_row(roomLabel="Salle é")]).decode().encode("cp1252"))
    status, out, err = call(str(path), "--json")
    assert status == 0, err
    assert json_lines(out)[0]["new"] == 1


def test_a_key_not_found_gets_its_suggestion_in_text_and_json(demo, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(csv_bytes([make_row(teacherLogin="JDoe")]))
    status, _, err = call(str(path), "--dry-run")
    assert status == 1
    assert "line 2: Teacher with login JDoe is not found. Did you mean jdoe?" in err
    _, out, _ = call(str(path), "--dry-run", "--json")
    [error] = json_lines(out)[0]["errors"]
    assert (error["message"], error["suggestion"]) == (
        "Teacher with login JDoe is not found.",
        "jdoe",
    )


def test_a_missing_column_hints_at_a_configuration(demo, tmp_path):
    header = [name for name in HEADER if name != "teacherLogin"]
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes([make_row()], header=header))
    status, _, err = run_command("import_interventions", str(path))
    assert status == 2
    assert "Column teacherLogin is missing from the header row." in err
    assert "is read with a configuration (--config, docs/configuration.md)." in err


def test_a_french_site_reads_a_week_of_small_days_day_first(demo, tmp_path, settings):
    settings.LANGUAGE_CODE = "fr"
    week = [
        make_row(interventionGuid=f"IV-{day}", interventionDate=f"{day}/03/2027 09:00")
        for day in ("10", "11", "12")
    ]
    path = tmp_path / "semaine.csv"
    path.write_bytes(csv_bytes(week))
    status, out, _ = call(str(path), "--json")
    assert (status, json_lines(out)[0]["new"]) == (0, 3)
    days = {start.day for start in Intervention.objects.values_list("start", flat=True)}
    assert days == {10, 11, 12}
    [note] = [w for w in json_lines(out)[0]["warnings"] if w["code"] == "date_order_by_language"]
    assert note["message"].startswith("Dates of column interventionDate read day first")
