from pathlib import Path

import pytest

from imports.parsing.config import ConfigError, date_pattern, parse_config

SAMPLES = Path(__file__).resolve().parents[3] / "samples"

FIELDS = """
<interventionGuid/><trainingGuid/><trainingPathCode/><sessionGuid/><sessionTitle/>
<interventionDate/><interventionDuration/><roomGuid/><roomLabel/><roomCapacity/>
<teacherLogin/><interventionStatus/>
"""


def actions(fields: str = FIELDS) -> str:
    return (
        "<actions>\n<createOrUpdateInterventionAction>\n<fields>"
        f"{fields}</fields>\n</createOrUpdateInterventionAction>\n</actions>"
    )


def problems_of(xml: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_config(xml, source="test.xml")
    return [(p.line, p.message) for p in caught.value.problems]


def test_seed_example_is_accepted():
    [config] = parse_config((SAMPLES / "config.xml").read_bytes())
    assert config.columns[0] == "interventionGuid"
    assert config.columns[-1] == "interventionStatus"
    assert (config.active_code, config.cancelled_code) == ("A", "C")
    assert config.skip_first_line is True
    assert config.delimiter is None  # bare block: detected from the file


def test_full_configuration_is_accepted():
    [config] = parse_config((SAMPLES / "import-config.xml").read_bytes())
    assert config.file_name == "interventions_*.csv"
    assert config.path == "imports/"
    assert config.delimiter == ";"
    assert config.encoding == "utf-8"
    assert len(config.columns) == 12


def test_columns_mapping_gives_file_order_and_ignored_columns():
    xml = f"""<import-config><import>
      <providers><fileSystemSourceProvider>
        <columnsMapping><ignoredColumn/>{FIELDS}</columnsMapping>
        <delimiter>comma</delimiter><skipFirstLine>no</skipFirstLine>
        <dateFormat>DD/MM/YYYY HH:II</dateFormat>
      </fileSystemSourceProvider></providers>
      {actions(FIELDS.replace("<roomCapacity/>", ""))}
    </import></import-config>"""
    [config] = parse_config(xml)
    assert config.columns[0] is None
    assert config.columns[1] == "interventionGuid"
    assert "roomCapacity" not in config.fields
    assert config.delimiter == ","
    assert config.skip_first_line is False
    assert config.date_format == "%d/%m/%Y %H:%M"


def test_status_codes_are_read():
    xml = actions(
        FIELDS.replace(
            "<interventionStatus/>",
            "<interventionStatus><active>ON</active><cancelled>OFF</cancelled></interventionStatus>",
        )
    )
    [config] = parse_config(xml)
    assert (config.active_code, config.cancelled_code) == ("ON", "OFF")


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (actions(FIELDS + "<teacherName/>"), (7, "Unknown field <teacherName>.")),
        (actions(""), (3, "<fields> is empty.")),
        (
            actions(FIELDS.replace("<interventionDate/>", "")),
            (3, "Mandatory field interventionDate is missing."),
        ),
        (
            actions(FIELDS.replace("<sessionGuid/><sessionTitle/>", "")),
            (3, "One of the fields sessionGuid or sessionTitle is needed."),
        ),
        (actions(FIELDS + "<roomGuid/>"), (7, "Field roomGuid is listed twice.")),
        (
            actions(
                FIELDS.replace(
                    "<interventionStatus/>",
                    "<interventionStatus><active>A</active><cancelled>A</cancelled>"
                    "</interventionStatus>",
                )
            ),
            (6, "Status codes for active and cancelled are the same (A)."),
        ),
        ("<actions><createOrUpdateInterventionAction><fields>", (1, None)),
        ("<rows/>", (1, "Unknown root element <rows>, <import-config> or <actions> expected.")),
        (
            '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' + actions(),
            (1, "DOCTYPE and entity declarations are not allowed."),
        ),
    ],
    ids=[
        "unknown-field",
        "empty-mapping",
        "missing-mandatory",
        "missing-one-of",
        "duplicate-field",
        "duplicate-status-codes",
        "truncated",
        "unknown-root",
        "doctype",
    ],
)
def test_invalid_configurations_are_refused_with_their_line(xml, expected):
    problems = problems_of(xml)
    line, message = expected
    assert any(
        p_line == line and (message is None or p_message == message)
        for p_line, p_message in problems
    ), problems


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("<delimiter>colon</delimiter>", "Unknown delimiter colon"),
        ("<skipFirstLine>maybe</skipFirstLine>", "<skipFirstLine> has invalid value maybe"),
        ("<fileEncoding>klingon</fileEncoding>", "Unknown file encoding klingon."),
        ("<dateFormat>DD/MM/YYYY hh</dateFormat>", "Date format DD/MM/YYYY hh not valid."),
        ("<path>../etc</path>", "Path ../etc may not contain '..'."),
        ("<sourceUrl>x</sourceUrl>", "Unknown element <sourceUrl> in <fileSystemSourceProvider>."),
    ],
)
def test_invalid_provider_options_are_refused(option, message):
    xml = (
        "<import-config><import><providers><fileSystemSourceProvider>\n"
        f"{option}\n</fileSystemSourceProvider></providers>{actions()}</import></import-config>"
    )
    problems = problems_of(xml)
    assert [(line, text) for line, text in problems if text.startswith(message)] == [
        (2, next(text for _, text in problems if text.startswith(message)))
    ]


def test_every_problem_is_reported_at_once():
    xml = actions(FIELDS.replace("<interventionDate/>", "<interventionDay/>") + "<roomGuid/>")
    messages = [message for _, message in problems_of(xml)]
    assert "Unknown field <interventionDay>." in messages
    assert "Field roomGuid is listed twice." in messages
    assert "Mandatory field interventionDate is missing." in messages


def test_problem_carries_id_and_hint():
    with pytest.raises(ConfigError) as caught:
        parse_config(actions(FIELDS + "<teacherName/>"), source="mine.xml")
    problem = caught.value.problems[0]
    assert problem.id == "imports.E009"
    assert "Known fields" in problem.hint
    assert caught.value.lines()[0].startswith("mine.xml: line 7: Unknown field <teacherName>.")


def test_billion_laughs_is_refused_without_expansion():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 10}">' for i in range(1, 10))
        + "]>\n<actions>&lol9;</actions>"
    )
    assert problems_of(bomb) == [(2, "DOCTYPE and entity declarations are not allowed.")]


@pytest.mark.parametrize(
    ("source", "pattern"),
    [
        ("YYYY-MM-DD", "%Y-%m-%d"),
        ("DD/MM/YYYY HH:II", "%d/%m/%Y %H:%M"),
        ("DD.MM.YY HH:II:SS", "%d.%m.%y %H:%M:%S"),
        ("MM/DD/YYYY", "%m/%d/%Y"),
        ("YYYY-MM", None),
        ("DD/MM/YYYY %H", None),
        ("", None),
    ],
)
def test_date_patterns(source, pattern):
    assert date_pattern(source) == pattern


def test_consolidators_are_read_in_the_seeds_order_with_their_values_checked():
    xml = f"""<import-config>
    <import>{actions()}<consolidators>
      <timeLoggerConsolidator/>
      <moveToBackupConsolidator><backupFolder>done/2027</backupFolder>
        <addTimeStamp>YES</addTimeStamp></moveToBackupConsolidator>
      <timeStampedErrorLogConsolidator/>
    </consolidators></import></import-config>"""
    [config] = parse_config(xml)
    assert config.line == 2
    assert config.consolidators == (
        ("timeStampedErrorLogConsolidator", ()),
        ("moveToBackupConsolidator", (("backupFolder", "done/2027"), ("addTimeStamp", "yes"))),
        ("timeLoggerConsolidator", ()),
    )


def test_a_yes_no_option_of_a_consolidator_names_its_line_and_the_accepted_values():
    xml = (
        f"<import-config><import>{actions()}<consolidators>\n<moveToBackupConsolidator>\n"
        "<addTimeStamp>maybe</addTimeStamp>\n</moveToBackupConsolidator>\n</consolidators>"
        "</import></import-config>"
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(xml, source="cron.xml")
    assert caught.value.lines() == [
        "cron.xml: line 11: <addTimeStamp> has invalid value maybe, yes or no expected."
        " HINT: Write yes or no (in any case)."
    ]


def test_invalid_xml_names_its_line_once_and_where_the_mismatched_tag_opened():
    with pytest.raises(ConfigError) as caught:
        parse_config("<actions>\n  <createOrUpdateInterventionAction>\n</actions>", source="x.xml")
    (problem,) = caught.value.problems
    assert str(problem) == (
        "line 3: Invalid XML: Opening and ending tag mismatch: <createOrUpdateInterventionAction>"
        " opened on line 2 is closed by </actions> (column 11)."
    )
