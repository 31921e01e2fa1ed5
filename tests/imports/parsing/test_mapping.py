"""Mapping a header's own names to the action's columns (imports/mapping.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from imports.engine import run_import
from imports.parsing.config import parse_config
from imports.parsing.mapping import (
    PROPOSAL_SCORE,
    header_set_key,
    mapping_problems,
    mapping_xml,
    propose,
    same_header,
)
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
        (["ignoredColumn"], "Mandatory column interventionGuid is not mapped."),
        (["interventionGuid"], "One of trainingGuid or trainingPathCode must be mapped."),
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
