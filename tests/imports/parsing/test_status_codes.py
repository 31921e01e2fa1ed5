"""Several codes per state (issue 27): planning tools have more than two states
(`planifié`, `confirmé`, `annulé`); each `<active>` or `<cancelled>` adds one, the seed's
message lists them all, and the export writes the first of each."""

import pytest

from imports.engine import ImportOptions, run_import
from imports.jobs.header_template import column_guide, template_file
from imports.parsing.config import ConfigError, parse_config
from tests.conftest import HEADER, csv_bytes, make_row
from training.models import Intervention

STATES = "<active>planifié</active><active>confirmé</active><cancelled>annulé</cancelled>"


def actions(states: str = STATES) -> str:
    fields = "".join(
        f"<{name}>{states}</{name}>" if name == "interventionStatus" else f"<{name}/>"
        for name in HEADER
    )
    return (
        f"<actions><createOrUpdateInterventionAction><fields>{fields}</fields>"
        "</createOrUpdateInterventionAction></actions>"
    )


def test_every_code_reads_as_its_state():
    (config,) = parse_config(actions())
    assert (config.active_code, config.cancelled_code) == ("planifié", "annulé")
    assert config.status_codes == {"planifié": "A", "confirmé": "A", "annulé": "C"}
    assert config.expected_statuses == "planifié, confirmé or annulé"


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ("", "A or C"),
        ("<active>A</active><cancelled>C</cancelled>", "A or C"),
        ("<active>yes</active>", "yes or C"),
        ("<cancelled>annulé</cancelled><cancelled>reporté</cancelled>", "A, annulé or reporté"),
    ],
)
def test_the_message_lists_every_code(states, expected):
    (config,) = parse_config(actions(states))
    assert config.expected_statuses == expected


def test_a_code_of_both_states_is_refused_with_its_line():
    with pytest.raises(ConfigError) as raised:
        parse_config(actions("<active>A</active><active>X</active><cancelled>X</cancelled>"))
    [problem] = raised.value.problems
    assert (problem.id, problem.message) == (
        "imports.E016",
        "Status codes for active and cancelled are the same (X).",
    )


def test_a_file_with_three_states_imports_and_names_them_all(demo):
    (config,) = parse_config(actions())
    rows = [
        make_row(interventionGuid="IV-P", interventionStatus="planifié"),
        make_row(
            interventionGuid="IV-K",
            interventionStatus="confirmé",
            interventionDate="2027-03-02T09:00:00",
        ),
        make_row(interventionGuid="IV-X", interventionStatus="annulé"),
        make_row(interventionGuid="IV-Q", interventionStatus="reporté"),
    ]
    result = run_import(csv_bytes(rows), "planning.csv", config, ImportOptions())
    assert (result.new, result.error_rows) == (3, 1)
    [error] = result.errors
    assert (
        error.message == "Status has invalid value reporté, planifié, confirmé or annulé expected."
    )
    statuses = dict(
        Intervention.objects.filter(guid__startswith="IV-").values_list("guid", "status")
    )
    assert statuses == {"IV-P": "A", "IV-K": "A", "IV-X": "C"}


def test_the_header_template_names_every_code():
    (config,) = parse_config(actions())
    [status] = [guide for guide in column_guide(config) if guide.name == "interventionStatus"]
    assert status.format == "planifié or confirmé (active) or annulé (cancelled)"
    assert template_file(config, "csv").decode("utf-8-sig").endswith(";planifié\r\n")
