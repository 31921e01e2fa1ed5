"""Hostile configurations: every one is refused as a whole with its XML line, never half-used."""

import pytest

from imports.config import ConfigError, parse_config

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
    ],
    ids=["dot-dot-path", "encoding", "delimiter", "strftime-pattern", "yes-no"],
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
