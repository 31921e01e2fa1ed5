"""Mapping a header's own names to the action's columns (imports/mapping.py)."""

from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from imports.engine import run_import
from imports.parsing.config import parse_config
from imports.parsing.mapping import (
    PROPOSAL_SCORE,
    default_problems,
    header_set_key,
    mapping_problems,
    mapping_xml,
    propose,
    same_header,
)
from imports.parsing.messages import code_of
from training.models import Intervention

FRENCH = [
    "Identifiant",
    "Formation",
    "Session",
    "Date début",
    "Durée (h)",
    "Salle",
    "Nom de la salle",
    "Places",
    "Formateur",
    "Statut",
    "Commentaire libre",
]
MAPPED = [
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
    "ignoredColumn",
]
ROW = [
    "IV-F1",
    "TR-1",
    "SE-1",
    "2027-05-03T09:00:00",
    "2",
    "R-101",
    "Room 101",
    "20",
    "jdoe",
    "A",
    "x",
]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Intervention Guid", "interventionGuid"),  # the same name, folded
        ("intervention_guid", "interventionGuid"),
        ("INTERVENTION-GUID", "interventionGuid"),
        ("Date début", "interventionDate"),  # a common French name
        ("Start date", "interventionDate"),  # a common English name
        ("Durée (h)", "interventionDuration"),
        ("Nb heures", "interventionDuration"),
        ("Formateur", "teacherLogin"),
        ("Trainer", "teacherLogin"),
        ("Capacité", "roomCapacity"),
        ("Statut", "interventionStatus"),
        ("teacherLogn", "teacherLogin"),  # a small typo: close enough
        ("Commentaire libre", "ignoredColumn"),  # nothing close: nothing proposed
        ("", "ignoredColumn"),
    ],
)
def test_each_spelling_gets_its_proposal(cell, expected):
    (proposal,) = propose([cell])
    assert proposal.field == expected
    assert (proposal.score >= PROPOSAL_SCORE) is (expected != "ignoredColumn")


def test_a_french_header_is_proposed_whole_with_its_first_values():
    proposals = propose(FRENCH, [ROW])
    assert [p.field for p in proposals] == MAPPED
    assert proposals[3].samples == ("2027-05-03T09:00:00",)
    assert mapping_problems([p.field for p in proposals]) == []


def test_one_action_column_is_proposed_once_to_the_closest_cell():
    proposals = propose(["Salle", "Room", "Date"])
    assert [p.field for p in proposals] == ["roomGuid", "ignoredColumn", "interventionDate"]


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        (["roomGuid", "roomGuid"], "Column roomGuid is chosen for more than one file column."),
        (
            ["ignoredColumn"],
            "Mandatory column interventionDate is not mapped. Map it, or give it a default.",
        ),
        (
            ["interventionGuid"],
            "One of trainingGuid or trainingPathCode must be mapped. Map one, or give one a"
            " default.",
        ),
        (["nonsense"], "nonsense is not a column of the action."),
    ],
)
def test_mapping_problems(columns, problem):
    assert problem in mapping_problems(columns)


def test_the_saved_xml_is_read_by_the_existing_parser():
    xml = mapping_xml(MAPPED, file_pattern="*.csv", delimiter=";", encoding="UTF-8")
    (config,) = parse_config(xml, source="mapping")
    assert config.columns == tuple(None if n == "ignoredColumn" else n for n in MAPPED)
    assert config.fields == frozenset(MAPPED) - {"ignoredColumn"}
    assert (config.delimiter, config.encoding, config.file_name) == (";", "utf-8", "*.csv")
    assert (config.active_code, config.cancelled_code) == ("A", "C")


def french_file() -> bytes:
    return ("\n".join([";".join(FRENCH), ";".join(ROW)]) + "\n").encode()


def test_the_saved_xml_imports_the_file_in_the_engine_and_the_command(demo, tmp_path):
    xml = mapping_xml(MAPPED, delimiter=";")
    (config,) = parse_config(xml)
    assert run_import(french_file(), "fr.csv").file_errors  # without it: the header fails
    result = run_import(french_file(), "fr.csv", config)
    assert (result.file_errors, result.new) == ([], 1)
    Intervention.objects.all().delete()
    config_path = tmp_path / "mapping.xml"
    config_path.write_text(xml, encoding="utf-8")
    data = tmp_path / "fr.csv"
    data.write_bytes(french_file())
    out = StringIO()
    call_command("import_interventions", str(data), "--config", str(config_path), stdout=out)
    assert "1 new" in out.getvalue()
    assert Intervention.objects.get().guid == "IV-F1"


def test_header_set_and_order():
    assert header_set_key(["Salle", "Date début"]) == header_set_key(["date debut", "SALLE"])
    assert header_set_key(["Salle"]) != header_set_key(["Salle", "Places"])
    assert same_header(["Salle", "Date début"], ["salle", "DATE DEBUT"])
    assert not same_header(["Salle", "Date début"], ["Date début", "Salle"])


@pytest.mark.parametrize(
    ("cell", "values", "expected"),
    [
        # the three confident mistakes: the values say otherwise
        ("Hour", ["09:00", "14:00", "9:30 AM"], "ignoredColumn"),
        ("State", ["CA", "NY", "TX"], "ignoredColumn"),
        ("sessiondate", ["2027-03-01", "2027-03-08"], "ignoredColumn"),
        # the same names with values that fit
        ("Hours", ["3", "1,5", "1h30"], "interventionDuration"),
        ("State", ["A", "C", "A"], "interventionStatus"),
        ("Statut", ["planifié", "annulé"], "interventionStatus"),
        ("Date début", ["01/03/2027 09:00", "Jeudi 04/03/2027"], "interventionDate"),
        ("Date début", ["demain", "lundi"], "ignoredColumn"),
        ("Capacité", ["20", "35"], "roomCapacity"),
        ("Capacité", ["grande", "petite"], "ignoredColumn"),
        ("Salle", ["R-101", "Amphi A"], "roomGuid"),
        ("Salle", ["101", "102"], "roomGuid"),  # numbers are ids too
        ("Session", ["09:00", "10:00"], "ignoredColumn"),
        ("Formateur", ["jdoe", "asmith"], "teacherLogin"),
        ("Durée", [], "interventionDuration"),  # no value: the name decides
        # the columns of a start or an end in parts take times and dates
        ("interventionStartTime", ["09:00", "9h30", "2:00 PM"], "interventionStartTime"),
        ("interventionStartTime", ["20", "35"], "ignoredColumn"),
        ("interventionEndTime", ["12:00", "2027-03-01 12:00"], "interventionEndTime"),
        ("interventionEndDate", ["2027-03-02"], "interventionEndDate"),
        ("interventionEndDate", ["12:00"], "ignoredColumn"),
    ],
)
def test_a_column_is_proposed_only_when_its_values_fit(cell, values, expected):
    [proposal] = propose([cell], [[value] for value in values])
    assert proposal.field == expected
    assert (proposal.score > 0) is (expected != "ignoredColumn")


DATE, START, END, END_DATE = (
    "interventionDate",
    "interventionStartTime",
    "interventionEndTime",
    "interventionEndDate",
)
IGNORED = "ignoredColumn"


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        # a date and a start time: "start time" is never the date beside a date column
        (["Date", "Start time"], ["2027-03-01", "09:00"], [DATE, START]),
        (["Start time", "Date"], ["09:00", "2027-03-01"], [START, DATE]),
        (["Date", "Start time"], ["2027-03-01", "2027-03-01 09:00"], [DATE, IGNORED]),
        (["date", "start time", "end time"], ["2027-03-01", "9h", "12h30"], [DATE, START, END]),
        (["Date", "Start", "End"], ["01/03/2027", "9:00 AM", "12:00 PM"], [DATE, START, END]),
        (["Start", "Date"], ["09:00", "2027-03-01"], [START, DATE]),
        (
            ["Date", "Heure de début", "Heure de fin"],
            ["01/03/2027", "09:00", "12:00"],
            [DATE, START, END],
        ),
        (["Jour", "Début", "Fin"], ["2027-03-01", "09h00", "12h00"], [DATE, START, END]),
        (
            ["Jour", "Heure", "Durée"],
            ["2027-03-01", "09:00", "2"],
            [DATE, START, "interventionDuration"],
        ),
        # a start and an end each in one cell: the date and the end
        (["Start", "End"], ["2027-03-01 09:00", "2027-03-01 12:00"], [DATE, END]),
        (["Début", "Fin"], ["01/03/2027 09:00", "01/03/2027 12:00"], [DATE, END]),
        # "start time" holding date-times, no date column: it is the start
        (["Start time"], ["2027-03-01 09:00"], [DATE]),
        # an end over two days: the end's date and its time
        (
            ["Date", "Start time", "End date", "End time"],
            ["2027-03-01", "22:00", "2027-03-02", "01:00"],
            [DATE, START, END_DATE, END],
        ),
        (["Date de fin", "Heure de fin"], ["02/03/2027", "01:00"], [END_DATE, END]),
        (["End"], ["2027-03-02"], [END_DATE]),  # a date alone is no end time
        (["End time"], ["2027-03-02"], [IGNORED]),
        # no values: the names alone, the columns of one meaning first
        (["Start", "date"], [], [START, DATE]),
        (["Start time", "date", "end time", "end date"], [], [START, DATE, END, END_DATE]),
        (
            ["Start", "Heure de début", "Heure de fin", "Date"],
            [],
            [IGNORED, START, END, DATE],
        ),
        (["Start"], [], [DATE]),
        # values that fit no meaning of the name: nothing
        (["Start", "End"], ["lundi", "mardi"], [IGNORED, IGNORED]),
        (["Heure de début"], ["2", "3"], [IGNORED]),
    ],
)
def test_common_names_of_a_start_and_an_end(header, row, expected):
    samples = [row] if row else []
    assert [p.field for p in propose(header, samples)] == expected


# A file without header row as planning tools write one: a date, a start time and an end time,
# no status column (issue 27); the mapping gives the status a default.
SPLIT_COLUMNS = [
    "interventionGuid",
    "trainingGuid",
    "sessionGuid",
    "interventionDate",
    "interventionStartTime",
    "interventionEndTime",
    "roomGuid",
    "roomLabel",
    "teacherLogin",
]
SPLIT_ROWS = [
    ["IV-S1", "TR-1", "SE-1", "2027-05-03", "09:00", "12:00", "R-101", "Room 101", "jdoe"],
    ["IV-S2", "TR-1", "SE-1", "2027-05-04", "14:00", "15:30", "R-101", "Room 101", "asmith"],
]


def split_file() -> bytes:
    return ("\n".join(";".join(row) for row in SPLIT_ROWS) + "\n").encode()


@pytest.mark.parametrize(
    ("columns", "defaults", "problems"),
    [
        # a mandatory column with a default is not missing
        (SPLIT_COLUMNS, {"interventionStatus": "A"}, []),
        (
            SPLIT_COLUMNS,
            {},
            ["Mandatory column interventionStatus is not mapped. Map it, or give it a default."],
        ),
        # "at least one of": a default counts as the column
        (
            [c for c in SPLIT_COLUMNS if c != "trainingGuid"] + ["ignoredColumn"],
            {"interventionStatus": "A", "trainingPathCode": "PATH-DATA"},
            [],
        ),
        (
            [c if c != "interventionEndTime" else "ignoredColumn" for c in SPLIT_COLUMNS],
            {"interventionStatus": "A", "interventionDuration": "2"},
            [],
        ),
        # a mapped column may have a default too: its empty cells
        (SPLIT_COLUMNS + ["interventionStatus"], {"interventionStatus": "A"}, []),
        # the GUID identifies each row: no default (left out, it is derived: derived_keys)
        (
            ["ignoredColumn", *SPLIT_COLUMNS[1:]],
            {"interventionGuid": "IV-1", "interventionStatus": "A"},
            ["Column interventionGuid cannot have a default: it identifies each row."],
        ),
        (
            SPLIT_COLUMNS,
            {"interventionStatus": "A", "interventionEndDate": "2027-05-04", "nonsense": "x"},
            ["nonsense is not a column of the action."],
        ),
        (
            [c if c != "interventionEndTime" else "interventionDuration" for c in SPLIT_COLUMNS],
            {"interventionStatus": "A", "interventionEndDate": "2027-05-04"},
            ["Column interventionEndDate needs column interventionEndTime."],
        ),
    ],
)
def test_mapping_problems_with_defaults(columns, defaults, problems):
    assert mapping_problems(columns, defaults) == problems


ZONE = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("columns", "defaults", "problem"),
    [
        (SPLIT_COLUMNS, {"interventionStatus": "A"}, None),
        (SPLIT_COLUMNS, {"interventionStatus": "C"}, None),
        (
            SPLIT_COLUMNS,
            {"interventionStatus": "X"},
            "The default of interventionStatus is not valid: Status has invalid value X, A or C"
            " expected.",
        ),
        (SPLIT_COLUMNS, {"interventionStatus": "A", "roomCapacity": "20"}, None),
        (
            SPLIT_COLUMNS,
            {"interventionStatus": "A", "roomCapacity": "many"},
            "The default of roomCapacity is not valid: Capacity many not valid, a whole number"
            " expected.",
        ),
        (
            SPLIT_COLUMNS,
            {"interventionStatus": "A", "sessionTitle": "x" * 256},
            "The default of sessionTitle is not valid: Field sessionTitle is too long",
        ),
        (
            SPLIT_COLUMNS,
            {"interventionStatus": "A", "interventionStartTime": "25:00"},
            "The default of interventionStartTime is not valid:",
        ),
        # a date beside a start time column is a date alone; without one it needs its time
        (SPLIT_COLUMNS, {"interventionStatus": "A", "interventionDate": "2027-05-03"}, None),
        (
            [c for c in SPLIT_COLUMNS if c not in ("interventionDate", "interventionStartTime")],
            {"interventionStatus": "A", "interventionDate": "2027-05-03"},
            "The default of interventionDate is not valid: Date 2027-05-03 has no time of day",
        ),
        (
            [c if c != "interventionEndTime" else "ignoredColumn" for c in SPLIT_COLUMNS],
            {"interventionStatus": "A", "interventionDuration": "1h30"},
            None,
        ),
        (
            [c if c != "interventionEndTime" else "ignoredColumn" for c in SPLIT_COLUMNS],
            {"interventionStatus": "A", "interventionDuration": "0"},
            "The default of interventionDuration is not valid:",
        ),
    ],
)
def test_a_default_is_checked_as_a_cell_of_its_column(columns, defaults, problem):
    (config,) = parse_config(mapping_xml(columns, defaults=defaults, skip_first_line=False))
    found = default_problems(config, ZONE)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(problem), found
        assert code_of(found[0]) == "mapping_default_not_valid"


def test_the_saved_defaults_are_the_actions_and_import_the_file(demo, tmp_path):
    """The XML has <defaults> inside the action, the status column is in no <fields>: the
    engine and the command read it as the mapping step previewed it."""
    defaults = {"interventionStatus": "A", "roomCapacity": "30"}
    xml = mapping_xml(SPLIT_COLUMNS, delimiter=";", skip_first_line=False, defaults=defaults)
    assert (
        "        </fields>\n"
        "        <defaults>\n"
        "          <roomCapacity>30</roomCapacity>\n"
        "          <interventionStatus>A</interventionStatus>\n"
        "        </defaults>\n"
        "      </createOrUpdateInterventionAction>"
    ) in xml
    (config,) = parse_config(xml)
    assert config.defaults == (("roomCapacity", "30"), ("interventionStatus", "A"))
    assert config.fields == frozenset(SPLIT_COLUMNS) | set(defaults)
    assert config.skip_first_line is False
    result = run_import(split_file(), "split.txt", config)
    assert (result.file_errors, result.errors, result.new) == ([], [], 2)
    config_path = tmp_path / "mapping.xml"
    config_path.write_text(xml, encoding="utf-8")
    data = tmp_path / "split.txt"
    data.write_bytes(split_file())
    out = StringIO()
    call_command("import_interventions", str(data), "--config", str(config_path), stdout=out)
    assert "2 unchanged" in out.getvalue()
    stored = Intervention.objects.order_by("guid")
    assert [(i.guid, i.status, i.duration_minutes) for i in stored] == [
        ("IV-S1", "A", 180),
        ("IV-S2", "A", 90),
    ]
