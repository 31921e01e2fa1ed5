"""Slash dates without a date format: the column tells day first from month first, or each
row that could be either says so; ISO 8601 is read as always; a date format is obeyed."""

import datetime as dt

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.config import parse_config
from imports.parsing.date_order import DAY_FIRST, MONTH_FIRST, could_be_either, order_told_by
from imports.parsing.messages import DATE_ORDER_AMBIGUOUS
from tests.conftest import HEADER, csv_bytes, make_row, xlsx_bytes
from training.models import Intervention

UTC = dt.UTC
DATE = "interventionDate"


def first_told(*texts):
    """What ``scan`` keeps: the order told by the first slash date that tells."""
    told = (order_told_by(text, line=n, column=DATE) for n, text in enumerate(texts, start=2))
    return next((order for order in told if order is not None), None)


@pytest.mark.parametrize(
    ("texts", "expected", "line"),
    [
        (["10/03/2027 09:00", "25/03/2027 14:30"], DAY_FIRST, 3),
        (["03/10/2027 09:00", "03/25/2027 14:30:00"], MONTH_FIRST, 3),
        (["2027-03-25T09:00", "13/01/2027"], DAY_FIRST, 3),
        (["13/14/2027", "01/13/2027 09:00"], MONTH_FIRST, 3),  # both above 12 tells nothing
        (
            ["25/03/27 09:00", "03/04/2027", "2027.03.25"],
            None,
            None,
        ),  # 2-digit year, doubt, year first
        (["03.04.2027", "25.03.2027 9h"], DAY_FIRST, 3),  # dots and dashes tell as slashes do
        (["Jeudi 03-04-2027", "Fri 03-26-2027 09:00"], MONTH_FIRST, 3),
        (["2027-03-01T09:00:00"], None, None),
    ],
)
def test_the_first_telling_date_decides(texts, expected, line):
    order = first_told(*texts)
    if expected is None:
        assert order is None
    else:
        assert order.patterns == expected
        assert f"on line {line} shows" in order.note.message
        assert (order.note.code, order.note.level) == ("date_order_inferred", "WARNING")


@pytest.mark.django_db
def test_the_first_pass_asks_text_cells_only_until_one_tells(demo):
    rows = [[make_row()[name] for name in HEADER] for _ in range(4)]
    at = HEADER.index(DATE)
    rows[0][at], rows[1][at] = dt.datetime(2027, 3, 25, 9), "03/04/2027 08:00"
    rows[2][at], rows[3][at] = "25/03/2027 09:00", "03/26/2027 09:00"
    for n, row in enumerate(rows, start=1):
        row[0] = f"IV-{n}"
    result = run_import(xlsx_bytes(rows), "file.xlsx", options=ImportOptions(time_zone="UTC"))
    note = next(w for w in result.warnings if w.code == "date_order_inferred")
    assert "as 25/03/2027 09:00 on line 4 shows" in note.message
    assert [(e.line, e.message) for e in result.errors] == [(5, "Date 03/26/2027 09:00 not valid.")]
    assert Intervention.objects.get(guid="IV-2").start == dt.datetime(2027, 4, 3, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "either"),
    [
        ("03/04/2027", True),
        ("12/12/2027 10:00", True),
        ("13/04/2027", False),
        ("00/04/2027", False),
        ("2027-03-04", False),
        ("03/04/27", False),
    ],
)
def test_could_be_either(text, either):
    assert could_be_either(text) is either


def french_excel_csv(dates: list[str]) -> bytes:
    """As Excel on Windows saves a French sheet: Windows-1252, semicolons, day-first dates."""
    rows = [
        make_row(interventionGuid=f"IV-{n}", interventionDate=date, roomLabel="Salle René")
        for n, date in enumerate(dates, start=1)
    ]
    return csv_bytes(rows).decode().encode("cp1252")


@pytest.mark.django_db
def test_an_ordinary_french_excel_export_imports_with_no_option(demo):
    data = french_excel_csv(["10/03/2027 09:00", "25/03/2027 14:30:15", "01/04/2027 00:00"])
    result = run_import(data, "planning.csv", options=ImportOptions(time_zone="Europe/Paris"))
    assert (result.file_errors, result.errors, result.new) == ([], [], 3)
    starts = {i.guid: i.start for i in Intervention.objects.all()}
    assert starts == {
        "IV-1": dt.datetime(2027, 3, 10, 8, 0, tzinfo=UTC),
        "IV-2": dt.datetime(2027, 3, 25, 13, 30, 15, tzinfo=UTC),
        "IV-3": dt.datetime(2027, 3, 31, 22, 0, tzinfo=UTC),
    }
    codes = {w.code for w in result.warnings}
    assert {"file_auto_encoding", "date_order_inferred"} <= codes
    note = next(w for w in result.warnings if w.code == "date_order_inferred")
    assert note.message == (
        "Dates of column interventionDate read as DD/MM/YYYY HH:MM,"
        " as 25/03/2027 14:30:15 on line 3 shows."
    )


@pytest.mark.django_db
def test_dates_that_could_be_either_are_each_an_error_and_iso_rows_import(demo, settings):
    settings.INTERVENTION_IMPORT = {"DATE_ORDER": "ask"}  # no convention: never a guess
    data = csv_bytes(
        [
            make_row(interventionGuid="IV-1", interventionDate="03/04/2027 09:00"),
            make_row(interventionGuid="IV-2", interventionDate="2027-04-03T09:00:00"),
            make_row(interventionGuid="IV-3", interventionDate="04/03/2027"),
        ]
    )
    result = run_import(data, "file.csv", options=ImportOptions(time_zone="UTC"))
    assert [(e.line, e.column, e.code, e.message) for e in result.errors] == [
        (2, DATE, "date_order_ambiguous", DATE_ORDER_AMBIGUOUS.format(value="03/04/2027 09:00")),
        (4, DATE, "date_order_ambiguous", DATE_ORDER_AMBIGUOUS.format(value="04/03/2027")),
    ]
    assert result.errors[0].message.startswith("Date 03/04/2027 09:00 not valid. ")
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["IV-2"]


@pytest.mark.django_db
def test_a_date_against_the_order_the_column_tells_is_not_valid(demo):
    dates = {"IV-1": "25/03/2027 09:00", "IV-2": "03/26/2027 09:00", "IV-3": "2027-03-27 09:00"}
    rows = [make_row(interventionGuid=g, interventionDate=d) for g, d in dates.items()]
    result = run_import(csv_bytes(rows), "file.csv", options=ImportOptions(time_zone="UTC"))
    assert [(e.line, e.message) for e in result.errors] == [(3, "Date 03/26/2027 09:00 not valid.")]
    assert result.new == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date_format", "value", "expected"),
    [
        ("MM/DD/YYYY HH:II", "03/04/2027 09:00", dt.datetime(2027, 3, 4, 9, 0, tzinfo=UTC)),
        ("DD/MM/YYYY HH:II", "03/04/2027 09:00", dt.datetime(2027, 4, 3, 9, 0, tzinfo=UTC)),
        ("MM/DD/YYYY HH:II", "25/03/2027 09:00", None),  # obeyed: no day-first reading
        ("DD/MM/YYYY HH:II", "2027-03-25T09:00", None),  # obeyed: no ISO either
    ],
)
def test_the_date_format_option_is_obeyed(demo, date_format, value, expected):
    data = csv_bytes([make_row(interventionDate=value)])
    options = ImportOptions(time_zone="UTC", date_format=date_format)
    result = run_import(data, "file.csv", options=options)
    if expected is None:
        assert [e.message for e in result.errors] == [f"Date {value} not valid."]
    else:
        assert result.errors == [] and Intervention.objects.get().start == expected
    assert "date_order_inferred" not in {w.code for w in result.warnings}


@pytest.mark.django_db
def test_the_option_wins_over_the_configuration_and_the_configuration_is_obeyed(demo):
    fields = "".join(f"<{name}/>" for name in HEADER)
    xml = f"""<import-config><import><providers><fileSystemSourceProvider>
      <columnsMapping>{fields}</columnsMapping><skipFirstLine>yes</skipFirstLine>
      <dateFormat>MM/DD/YYYY HH:II</dateFormat></fileSystemSourceProvider></providers>
      <actions><createOrUpdateInterventionAction><fields>{fields}</fields>
      </createOrUpdateInterventionAction></actions></import></import-config>"""
    [config] = parse_config(xml)
    data = csv_bytes([make_row(interventionDate="25/03/2027 09:00")])
    by_config = run_import(data, "file.csv", config, ImportOptions(time_zone="UTC", dry_run=True))
    assert [e.message for e in by_config.errors] == ["Date 25/03/2027 09:00 not valid."]
    options = ImportOptions(time_zone="UTC", date_format="DD/MM/YYYY HH:II")
    assert run_import(data, "file.csv", config, options).new == 1


@pytest.mark.django_db
def test_a_date_format_option_that_is_not_one_is_a_file_problem(demo):
    options = ImportOptions(date_format="DD/MM/YYYY hh:ii")
    result = run_import(csv_bytes([make_row()]), "file.csv", options=options)
    assert [(e.code, e.message) for e in result.file_errors] == [
        ("date_format_not_valid", "Date format DD/MM/YYYY hh:ii not valid.")
    ]
    assert Intervention.objects.count() == 0


@pytest.mark.django_db
def test_workbook_text_dates_follow_the_same_rule(demo):
    rows = [[make_row()[name] for name in HEADER] for _ in range(2)]
    rows[0][0], rows[0][HEADER.index(DATE)] = "IV-1", "25/03/2027 09:00"
    rows[1][0], rows[1][HEADER.index(DATE)] = "IV-2", dt.datetime(2027, 3, 26, 9, 0)
    result = run_import(xlsx_bytes(rows), "file.xlsx", options=ImportOptions(time_zone="UTC"))
    assert (result.errors, result.new) == ([], 2)
    assert Intervention.objects.get(guid="IV-1").start == dt.datetime(2027, 3, 25, 9, tzinfo=UTC)


WEEK = ["10/03/2027 09:00", "11/03/2027 09:00", "12/03/2027 09:00"]  # a French week: all <= 12


def starts() -> list[str]:
    return sorted(
        s.date().isoformat() for s in Intervention.objects.values_list("start", flat=True)
    )


def import_week(dates: list[str]):
    rows = [make_row(interventionGuid=f"IV-{n}", interventionDate=d) for n, d in enumerate(dates)]
    return run_import(csv_bytes(rows), "semaine.csv", options=ImportOptions(time_zone="UTC"))


@pytest.mark.django_db
def test_a_french_site_reads_a_week_whose_days_are_all_12_or_less_day_first(demo, settings):
    settings.LANGUAGE_CODE = "fr"
    result = import_week(WEEK)
    assert (result.errors, result.new) == ([], 3)
    assert starts() == ["2027-03-10", "2027-03-11", "2027-03-12"]
    [note] = [w for w in result.warnings if w.code == "date_order_by_language"]
    assert note.message == (
        "Dates of column interventionDate read day first (DD/MM/YYYY HH:MM), as dates are"
        " written in the site's language (fr); no date of the file says otherwise"
        " (10/03/2027 09:00 on line 2 could be either)."
    )


@pytest.mark.django_db
def test_an_american_site_reads_them_month_first(demo, settings):
    settings.LANGUAGE_CODE = "en-us"
    assert import_week(WEEK).new == 3
    assert starts() == ["2027-10-03", "2027-11-03", "2027-12-03"]


@pytest.mark.django_db
def test_a_date_of_the_file_wins_over_the_site_s_language(demo, settings):
    settings.LANGUAGE_CODE = "fr"
    result = import_week(["03/04/2027 09:00", "03/25/2027 09:00"])  # 03/25: month first
    assert result.new == 2
    assert starts() == ["2027-03-04", "2027-03-25"]
    assert {w.code for w in result.warnings} >= {"date_order_inferred"}
    assert "date_order_by_language" not in {w.code for w in result.warnings}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "language", "expected", "code"),
    [
        ("day", "en-us", ["2027-03-10", "2027-03-11", "2027-03-12"], "date_order_by_setting"),
        ("month", "fr", ["2027-10-03", "2027-11-03", "2027-12-03"], "date_order_by_setting"),
        ("language", "hu", [], None),  # Hungarian writes the year first: no convention, ask
        ("ask", "fr", [], None),
    ],
)
def test_the_setting_decides_or_asks(demo, settings, setting, language, expected, code):
    settings.INTERVENTION_IMPORT = {"DATE_ORDER": setting}
    settings.LANGUAGE_CODE = language
    result = import_week(WEEK)
    assert starts() == expected
    if code is None:
        assert {e.code for e in result.errors} == {"date_order_ambiguous"}
    else:
        assert code in {w.code for w in result.warnings}


@pytest.mark.django_db
def test_a_date_format_wins_over_the_site_s_language(demo, settings):
    settings.LANGUAGE_CODE = "fr"
    (config,) = parse_config(
        "<actions><createOrUpdateInterventionAction><fields>"
        + "".join(f"<{name}/>" for name in HEADER)
        + "</fields></createOrUpdateInterventionAction></actions>"
    )
    rows = [make_row(interventionGuid="IV-1", interventionDate="10/03/2027 09:00")]
    options = ImportOptions(time_zone="UTC", date_format="MM/DD/YYYY HH:II")
    result = run_import(csv_bytes(rows), "semaine.csv", config, options)
    assert (result.errors, starts()) == ([], ["2027-10-03"])


@pytest.mark.django_db
def test_the_note_names_the_date_column_as_the_file_does(demo):
    names = "".join(f"<{name}/>" for name in HEADER)
    (config,) = parse_config(
        "<import-config><import><providers><fileSystemSourceProvider>"
        f"<skipFirstLine>yes</skipFirstLine><columnsMapping>{names}</columnsMapping>"
        "</fileSystemSourceProvider></providers><actions><createOrUpdateInterventionAction>"
        f"<fields>{names}</fields></createOrUpdateInterventionAction></actions></import>"
        "</import-config>"
    )
    header = [("Date début" if name == "interventionDate" else name) for name in HEADER]
    row = make_row(interventionGuid="IV-1", interventionDate="25/03/2027 09:00")
    data = (";".join(header) + "\n" + ";".join(row[name] for name in HEADER) + "\n").encode()
    result = run_import(data, "f.csv", config, ImportOptions(time_zone="UTC"))
    [note] = [w for w in result.warnings if w.code == "date_order_inferred"]
    assert note.message.startswith("Dates of column Date début read as DD/MM/YYYY HH:MM")
    assert note.column == "interventionDate"
