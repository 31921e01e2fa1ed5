"""Hostile configurations: every one is refused as a whole with its XML line, never half-used."""

import pytest

from imports.parsing.config import ConfigError, parse_config

FIELDS = (
    "<interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/>"
    "<interventionDuration/><roomGuid/><roomLabel/><teacherLogin/><interventionStatus/>"
)
DOCTYPE = "DOCTYPE and entity declarations are not allowed."


def actions(fields: str = FIELDS, prolog: str = "") -> str:
    return (
        f"{prolog}<actions>\n<createOrUpdateInterventionAction>\n<fields>\n"
        f"{fields}\n</fields>\n</createOrUpdateInterventionAction>\n</actions>\n"
    )


def problems_of(xml: str | bytes) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_config(xml, source="hostile.xml")
    assert all(line.startswith("hostile.xml: ") for line in caught.value.lines())
    return [(p.line, p.id, p.message) for p in caught.value.problems]


EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE a [\n<!ENTITY l "lol">\n'
    '<!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">\n'
    '<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">]>\n'
)


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (actions(prolog=EXTERNAL), [(2, "imports.E002", DOCTYPE)]),
        (
            actions(FIELDS.replace("<roomLabel/>", "<roomLabel>&x;</roomLabel>"), EXTERNAL),
            [(2, "imports.E002", DOCTYPE)],
        ),
        (actions(prolog=LAUGHS), [(2, "imports.E002", DOCTYPE)]),
        (
            actions(FIELDS, '<?xml version="1.0"?>\n<!-- a note -->\n<!DOCTYPE actions>\n'),
            [(3, "imports.E002", DOCTYPE)],
        ),
        (
            actions()[:-40],
            [(6, "imports.E003", "Invalid XML: ")],
        ),
        ("", [(1, "imports.E003", "Invalid XML: ")]),
        (
            "<actions><createOrUpdateInterventionAction><fields><interventionGuid>",
            [(1, "imports.E003", "Invalid XML: ")],
        ),
        (
            actions(FIELDS + "<script>alert(1)</script>"),
            [(4, "imports.E009", "Unknown field <script>.")],
        ),
        (
            actions(FIELDS + "<interventionguid/>"),
            [(4, "imports.E009", "Unknown field <interventionguid>.")],
        ),
        (
            actions(FIELDS).replace("</createOrUpdate", "<filters/></createOrUpdate"),
            [
                (
                    6,
                    "imports.E004",
                    "Unknown element <filters> in <createOrUpdateInterventionAction>.",
                )
            ],
        ),
        (
            "<import-config>\n<import>\n<nonsense/>\n" + actions() + "</import>\n</import-config>",
            [(3, "imports.E004", "Unknown element <nonsense> in <import>.")],
        ),
        (
            "<settings/>",
            [
                (
                    1,
                    "imports.E005",
                    "Unknown root element <settings>, <import-config> or <actions> expected.",
                )
            ],
        ),
        (actions(""), [(3, "imports.E010", "<fields> is empty.")]),
        (
            actions(FIELDS + "<roomGuid/>"),
            [(4, "imports.E011", "Field roomGuid is listed twice.")],
        ),
        (
            actions(
                FIELDS.replace(
                    "<interventionStatus/>",
                    "<interventionStatus><active>X</active><cancelled>X</cancelled>"
                    "</interventionStatus>",
                )
            ),
            [
                (
                    4,
                    "imports.E016",
                    "Status codes for active and cancelled are the same (X).",
                )
            ],
        ),
        (
            actions(
                FIELDS.replace(
                    "<interventionStatus/>",
                    "<interventionStatus><active>C</active></interventionStatus>",
                )
            ),
            [(4, "imports.E016", "Status codes for active and cancelled are the same (C).")],
        ),
    ],
    ids=[
        "external-entity",
        "external-entity-used",
        "billion-laughs",
        "doctype-after-comment",
        "truncated",
        "empty-document",
        "unclosed-tag",
        "html-field-name",
        "field-name-wrong-case",
        "unknown-action-child",
        "unknown-import-child",
        "unknown-root",
        "empty-mapping",
        "duplicate-field",
        "duplicate-status-codes",
        "active-code-equals-default-cancelled",
    ],
)
def test_hostile_configuration_is_refused(xml, expected):
    """Lines and ids exactly; messages from lxml (E003) vary by version, so by their start."""
    found = problems_of(xml)
    assert [(line, id_) for line, id_, _ in found] == [(line, id_) for line, id_, _ in expected]
    for (_, _, message), (_, _, start) in zip(found, expected, strict=True):
        assert message.startswith(start)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize("prolog", [EXTERNAL, LAUGHS], ids=["external", "laughs"])
def test_declarations_in_other_encodings_are_refused(encoding, prolog):
    """The byte scan cannot see a UTF-16 DOCTYPE; the parsed document's DTD is checked too."""
    name = encoding[:6].upper()  # UTF-16 or UTF-32, as the XML declaration spells it
    declared = prolog.replace('"1.0"?>', f'"1.0" encoding="{name}"?>')
    data = actions(prolog=declared).encode(encoding)
    assert [(id_, message) for _, id_, message in problems_of(data)] == [("imports.E002", DOCTYPE)]


def test_every_problem_is_reported_at_once():
    fields = FIELDS.replace("<roomGuid/>", "<roomGUID/>") + "<teacherLogin/>"
    problems = problems_of(actions(fields))
    assert [(line, id_) for line, id_, _ in problems] == [
        (4, "imports.E009"),
        (4, "imports.E011"),
        (3, "imports.E014"),
    ]
    assert problems[-1][2] == "Mandatory field roomGuid is missing."


@pytest.mark.parametrize(
    ("option", "id_", "message"),
    [
        ("<path>../../etc</path>", "imports.E020", "Path ../../etc may not contain '..'."),
        ("<fileEncoding>rot13x</fileEncoding>", "imports.E018", "Unknown file encoding rot13x."),
        (
            "<delimiter>;</delimiter>",
            "imports.E019",
            "Unknown delimiter ;, comma, semicolon, pipe, tab expected.",
        ),
        ("<dateFormat>%Y-%m-%d</dateFormat>", "imports.E021", "Date format %Y-%m-%d not valid."),
        ("<skipFirstLine>maybe</skipFirstLine>", "imports.E017", None),
        ("<path>/etc</path>", "imports.E022", "Path /etc is absolute."),
        ("<path>C:\\data</path>", "imports.E022", "Path C:\\data is absolute."),
        ("<path>\\\\server\\share</path>", "imports.E022", "Path \\\\server\\share is absolute."),
        ("<path>in/../../etc</path>", "imports.E020", "Path in/../../etc may not contain '..'."),
        (
            "<fileName>/etc/passwd</fileName>",
            "imports.E023",
            "File name /etc/passwd may not contain a folder.",
        ),
        ("<fileName>in\\*.csv</fileName>", "imports.E023", None),
        ("<fileName>..</fileName>", "imports.E023", "File name .. may not contain a folder."),
        ("<fileName> </fileName>", "imports.E024", "<fileName> is empty."),
    ],
    ids=[
        "dot-dot-path",
        "encoding",
        "delimiter",
        "strftime-pattern",
        "yes-no",
        "absolute-path",
        "windows-drive-path",
        "windows-share-path",
        "dot-dot-inside-path",
        "absolute-file-name",
        "file-name-with-folder",
        "dot-dot-file-name",
        "empty-file-name",
    ],
)
def test_hostile_provider_options_are_refused(option, id_, message):
    xml = (
        "<import-config>\n<import>\n<providers>\n<fileSystemSourceProvider>\n"
        f"{option}\n</fileSystemSourceProvider>\n</providers>\n{actions()}</import>\n"
        "</import-config>"
    )
    [(line, found_id, found_message)] = problems_of(xml)
    assert (line, found_id) == (5, id_)
    assert message is None or found_message == message


def consolidators_config(consolidators: str) -> str:
    """An ``<import>`` whose consolidators are all on line 11."""
    return (
        f"<import-config>\n<import>\n{actions()}<consolidators>\n{consolidators}\n"
        "</consolidators>\n</import>\n</import-config>"
    )


ERROR_LOG = "timeStampedErrorLogConsolidator"
BACKUP = "moveToBackupConsolidator"
EMAIL = "emailReportConsolidator"


def consolidator(tag: str, options: str) -> str:
    return f"<{tag}>{options}</{tag}>"


@pytest.mark.parametrize(
    ("consolidators", "expected"),
    [
        (
            consolidator(ERROR_LOG, "<location>/var/log</location>"),
            [("imports.E022", "Path /var/log is absolute.")],
        ),
        (
            consolidator(ERROR_LOG, "<location>../logs</location>"),
            [("imports.E020", "Path ../logs may not contain '..'.")],
        ),
        (
            consolidator(ERROR_LOG, "<location></location>"),
            [("imports.E024", "<location> is empty.")],
        ),
        (
            consolidator(BACKUP, "<backupFolder>/srv/backup</backupFolder>"),
            [("imports.E022", "Path /srv/backup is absolute.")],
        ),
        (
            consolidator(BACKUP, "<backupFolder>done/../../x</backupFolder>"),
            [("imports.E020", "Path done/../../x may not contain '..'.")],
        ),
        (
            consolidator(BACKUP, "<addTimeStamp>maybe</addTimeStamp>"),
            [("imports.E017", "<addTimeStamp> has invalid value maybe, yes or no expected.")],
        ),
        (
            consolidator(
                EMAIL,
                "<targetEmail>a@example.org</targetEmail><attachErrorLog>true</attachErrorLog>",
            ),
            [("imports.E017", "<attachErrorLog> has invalid value true, yes or no expected.")],
        ),
        (
            consolidator(EMAIL, "<targetEmail>a@example.org, b@example.org</targetEmail>"),
            [("imports.E025", "E-mail address a@example.org, b@example.org not valid.")],
        ),
        (
            consolidator(EMAIL, "<targetEmail/>"),
            [("imports.E024", "<targetEmail> is empty.")],
        ),
        (
            consolidator(EMAIL, "<attachErrorLog>yes</attachErrorLog>"),
            [("imports.E026", "<emailReportConsolidator> has no <targetEmail>.")],
        ),
        (
            consolidator(ERROR_LOG, "<location>a</location><location>b</location>"),
            [("imports.E012", "<location> is given twice.")],
        ),
        (
            consolidator(BACKUP, "") + consolidator(BACKUP, "<backupFolder>b</backupFolder>"),
            [("imports.E012", f"<{BACKUP}> is given twice.")],
        ),
        (
            consolidator(BACKUP, "<compress>yes</compress>"),
            [("imports.E004", f"Unknown element <compress> in <{BACKUP}>.")],
        ),
        (
            consolidator("timeLoggerConsolidator", "<location>logs</location>"),
            [("imports.E004", "Unknown element <location> in <timeLoggerConsolidator>.")],
        ),
    ],
    ids=[
        "absolute-log-folder",
        "dot-dot-log-folder",
        "empty-log-folder",
        "absolute-backup-folder",
        "dot-dot-backup-folder",
        "time-stamp-not-yes-no",
        "attach-not-yes-no",
        "two-addresses-in-one",
        "empty-address",
        "no-address",
        "option-twice",
        "consolidator-twice",
        "unknown-backup-option",
        "time-logger-has-no-options",
    ],
)
def test_hostile_consolidator_options_are_refused(consolidators, expected):
    """Checked when the XML is parsed, not when the pipeline reaches the consolidator."""
    found = problems_of(consolidators_config(consolidators))
    assert [(line, id_) for line, id_, _ in found] == [(11, id_) for id_, _ in expected]
    for (_, _, message), (_, wanted) in zip(found, expected, strict=True):
        assert wanted is None or message == wanted


def test_every_problem_of_every_import_is_reported_at_once():
    second = consolidators_config(consolidator(BACKUP, "<addTimeStamp>maybe</addTimeStamp>"))
    first = second.replace("<addTimeStamp>maybe</addTimeStamp>", "<backupFolder>/x</backupFolder>")
    imports = first.removesuffix("</import-config>") + second.removeprefix("<import-config>")
    found = problems_of(imports)
    assert [(line, id_) for line, id_, _ in found] == [(11, "imports.E022"), (24, "imports.E017")]
