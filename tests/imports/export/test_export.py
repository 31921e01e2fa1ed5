"""Export: import of an export changes nothing, for every format and configuration."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from imports.export.service import (
    SOURCES,
    ExportError,
    ExportFilter,
    export_chunks,
    export_to_path,
    interventions,
    never_fails,
    select,
)
from imports.parsing.config import parse_config
from imports.parsing.fields import SEED_FIELD_NAMES
from imports.parsing.results import Outcome
from tests.conftest import HEADER
from tests.imports.export_support import (
    BARE,
    LATIN,
    LATIN_XML,
    UTC,
    add,
    counts,
    exported,
    import_again,
    paris,
)
from training.models import Intervention, Room, Teacher

pytestmark = pytest.mark.django_db
FORMATS = ["csv", "xlsx", "ods"]
CONFIGS = {"header": None, "latin": LATIN, "bare": BARE}


@pytest.fixture
def schedule(demo):
    """Interventions on ordinary days, on both daylight saving change days in Paris, with a
    cancelled one, a room without capacity, accents and values a spreadsheet would run."""
    room = Room.objects.create(guid="R-=1", label="=SUM(A1) Salle Économie", capacity=None)
    asmith = Teacher.objects.get(login="asmith")
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 3, 28, 1, 30), duration_minutes=180)  # across the spring change
    add("IV-3", paris(2027, 3, 28, 3, 0), room=room)  # just after the skipped hour
    add("IV-4", paris(2027, 10, 31, 1, 30), status="C")
    add("IV-5", paris(2027, 10, 31, 3, 0), teacher=asmith)  # just after the repeated hour
    add("-IV-6", paris(2027, 12, 24, 23, 0), room=room)
    add("@IV-7", paris(2028, 1, 1, 0, 0))
    return Intervention.objects.count()


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("name", CONFIGS)
def test_importing_an_export_changes_nothing(schedule, name, file_format):
    config = CONFIGS[name]
    result = import_again(exported(config, file_format), config, file_format)
    assert (result.errors, counts(result)) == ([], (0, 0, schedule, 0))


@pytest.mark.parametrize("file_format", FORMATS)
def test_times_repeated_in_autumn_are_written_with_their_offset(demo, file_format):
    add("IV-A", paris(2027, 10, 31, 2, 30, fold=0))  # 00:30 UTC
    add("IV-B", paris(2027, 10, 31, 2, 30, fold=1))  # 01:30 UTC
    add("IV-C", paris(2027, 3, 28, 3, 30))
    data = exported(None, "csv")
    assert "2027-10-31T02:30:00+02:00" in data.decode()
    assert "2027-10-31T02:30:00+01:00" in data.decode()
    assert "2027-03-28T03:30:00," in data.decode()
    result = import_again(exported(None, file_format), None, file_format)
    assert counts(result) == (0, 0, 3, 0)


def test_without_configuration_a_header_iso_dates_codes_utf8_and_commas(schedule):
    rows = list(csv.reader(io.StringIO(exported().decode("utf-8"))))
    assert rows[0] == HEADER  # the 12 column names of the action, in its order
    assert rows[1] == [
        *["IV-1", "TR-1", "PATH-DATA", "SE-1", "Spring 2027", "2027-03-01T09:00:00", "2"],
        *["R-101", "Room 101", "20", "jdoe", "A"],
    ]
    assert [row[11] for row in rows[1:]].count("C") == 1


def test_a_configuration_gives_order_delimiter_encoding_date_format_and_codes(schedule):
    text = exported(LATIN).decode("iso-8859-1")
    lines = text.splitlines()
    assert lines[0] == (
        "interventionDate;interventionGuid;ignoredColumn;trainingGuid;sessionGuid;"
        "interventionDuration;roomGuid;roomLabel;roomCapacity;teacherLogin;"
        "interventionStatus;sessionTitle"
    )
    # sessionTitle is mapped but not used by the action: left empty, as the ignored column
    assert lines[1] == "01/03/2027 09:00;IV-1;;TR-1;SE-1;2;R-101;Room 101;20;jdoe;ACT;"
    assert "28/03/2027 03:00;IV-3;;TR-1;SE-1;2;R-=1;'=SUM(A1) Salle Économie;;jdoe;ACT;" in lines
    assert "31/10/2027 01:30;IV-4;;TR-1;SE-1;2;R-101;Room 101;20;jdoe;'-;" in lines


def test_skip_first_line_no_writes_no_header(demo):
    add("IV-1", paris(2027, 3, 1, 9, 0))
    xml = LATIN_XML.replace("<delimiter>", "<skipFirstLine>no</skipFirstLine><delimiter>")
    config = parse_config(xml)[0]
    assert exported(config).decode("latin-1").splitlines()[0].startswith("01/03/2027 09:00;IV-1")
    assert counts(import_again(exported(config), config, "csv")) == (0, 0, 1, 0)


def test_spreadsheet_cells_are_strings_never_formulas(schedule):
    sheet = load_workbook(io.BytesIO(exported(None, "xlsx"))).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert cells["=SUM(A1) Salle Économie"] == "s"
    assert cells["R-=1"] == cells["-IV-6"] == cells["@IV-7"] == "s"
    assert cells[2] == "n"
    ods = exported(None, "ods")
    assert b"table:formula" not in ods


def test_a_value_the_encoding_cannot_hold_fails_naming_it_and_leaves_no_file(schedule, tmp_path):
    Room.objects.filter(guid="R-101").update(label="Salle 101 €")
    target = tmp_path / "export.csv"
    with pytest.raises(ExportError) as caught:
        export_to_path(Intervention.objects.all(), target, LATIN)
    assert caught.value.message == (
        "Line 2, intervention IV-1, column roomLabel: Salle 101 € cannot be written in iso8859-1."
    )
    assert caught.value.code == "export_not_encodable"
    assert list(tmp_path.iterdir()) == []


def test_a_repeated_time_with_a_date_format_without_offset_fails(demo):
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 10, 31, 2, 30, fold=1))
    with pytest.raises(ExportError) as caught:
        exported(LATIN)
    assert caught.value.message == (
        "Line 3, intervention IV-2, column interventionDate: 2027-10-31 02:30:00+01:00 happens"
        " twice in time zone Europe/Paris (daylight saving change) and dateFormat"
        " DD/MM/YYYY HH:II has no UTC offset."
    )


def test_seconds_a_date_format_cannot_hold_fail(demo):
    add("IV-1", paris(2027, 3, 1, 9, 0, 30))
    with pytest.raises(ExportError) as caught:
        exported(LATIN)
    assert caught.value.code == "export_date_not_exact"
    assert "IV-1" in caught.value.message


def test_control_characters_fail_a_spreadsheet_export(demo):
    Room.objects.filter(guid="R-101").update(label="Room\x01")
    add("IV-1", paris(2027, 3, 1, 9, 0))
    with pytest.raises(ExportError) as caught:
        exported(None, "ods")
    assert caught.value.code == "export_not_writable"
    assert exported(None, "csv")  # CSV holds them


def test_changing_one_cell_updates_exactly_that_row_and_that_value(schedule):
    text = exported().decode()
    changed = text.replace(
        "IV-5,TR-1,PATH-DATA,SE-1,Spring 2027,2027-10-31T03:00:00,2,",
        "IV-5,TR-1,PATH-DATA,SE-1,Spring 2027,2027-10-31T03:00:00,4,",
    )
    assert changed != text
    result = import_again(changed.encode(), None, "csv", dry_run=True, keep_rows=True)
    assert counts(result) == (0, 1, schedule - 1, 0)
    [row] = [row for row in result.rows if row.outcome is Outcome.UPDATED]
    assert (row.guid, row.changes) == ("IV-5", (("duration_minutes", "120", "240"),))


def test_select_filters_by_training_session_and_days_in_the_time_zone(schedule):
    def guids(**filters):
        return sorted(
            select(ExportFilter(**filters), "Europe/Paris").values_list("guid", flat=True)
        )

    assert guids(since=dt.date(2027, 10, 31), until=dt.date(2027, 10, 31)) == ["IV-4", "IV-5"]
    assert guids(since=dt.date(2027, 12, 25)) == ["@IV-7"]
    assert guids(until=dt.date(2027, 3, 1)) == ["IV-1"]
    assert guids(training="TR-2") == []
    assert guids(session="SE-1") == sorted(Intervention.objects.values_list("guid", flat=True))
    assert guids(since=dt.datetime(2027, 12, 24, 23, 0, tzinfo=UTC)) == ["@IV-7"]


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_a_failed_spreadsheet_export_leaves_no_file(demo, tmp_path, file_format):
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 3, 1, 12, 0), teacher=Teacher.objects.create(login="bad\x02"))
    target = tmp_path / f"export.{file_format}"
    with pytest.raises(ExportError) as caught:
        export_to_path(Intervention.objects.all(), target, None, file_format)
    assert "Line 3, intervention IV-2, column teacherLogin" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_streamed_export_is_the_same_file_in_pieces(schedule, monkeypatch):
    monkeypatch.setattr("imports.export.writers.FLUSH_ROWS", 2)
    pieces = list(export_chunks(Intervention.objects.all(), None, "csv", "Europe/Paris"))
    assert len(pieces) > 3
    assert b"".join(pieces) == exported()


def test_only_unicode_csv_exports_with_iso_dates_never_fail():
    assert never_fails(None, "csv")
    assert not never_fails(None, "xlsx")
    assert not never_fails(LATIN, "csv")
    assert not never_fails(parse_config(LATIN_XML.replace("ISO-8859-1", "UTF-8"))[0], "csv")


def test_every_column_has_its_stored_value_and_each_row_its_values_by_attribute(schedule):
    # the seed's columns are read from the database; ours are written from start and duration
    assert list(SOURCES) == list(SEED_FIELD_NAMES)
    [row] = interventions(Intervention.objects.filter(guid="IV-4"))
    assert (row.guid, row.training_guid, row.session_title, row.status) == (
        "IV-4",
        "TR-1",
        "Spring 2027",
        "C",
    )
    assert (row.start, row.duration, row.room_capacity) == (paris(2027, 10, 31, 1, 30), 120, 20)


@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-8-SIG", "windows-1252"])
def test_an_encoding_with_a_byte_order_mark_has_it_once(schedule, encoding):
    config = parse_config(LATIN_XML.replace("ISO-8859-1", encoding))[0]
    data = exported(config)
    assert data.decode(encoding).count("\ufeff") == 0  # the decoder takes the one mark
    assert counts(import_again(data, config, "csv")) == (0, 0, schedule, 0)
