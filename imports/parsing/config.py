"""Read the seed system's XML configuration into ``ImportConfig`` objects.

Two shapes are accepted (see docs/configuration.md): the bare ``<actions>`` block and the full
``<import-config>`` file. Every problem is collected with its XML line number, then all of them
are raised together in one ``ConfigError``; an invalid configuration is never half-used.
"""

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from lxml import etree

from .config_consolidators import CONSOLIDATORS, read_consolidators
from .config_problems import ConfigError, ConfigProblem
from .config_values import (
    DELIMITERS,
    children,
    date_pattern,
    empty_value,
    given_twice,
    read_date_format,
    read_delimiter,
    read_duration_unit,
    read_encoding,
    read_file_name,
    read_path,
    read_yes_no,
    text_of,
    unknown_element,
)
from .fields import (
    DEFAULT_ACTIVE_CODE,
    DEFAULT_CANCELLED_CODE,
    FIELD_NAMES,
    IGNORED_COLUMN,
    NEEDS,
    ONE_OF_PAIRS,
    REQUIRED_COLUMNS,
    SEED_FIELD_NAMES,
)

__all__ = [
    "CONSOLIDATORS",
    "DELIMITERS",
    "HEADER_CONFIG",
    "ConfigError",
    "ConfigProblem",
    "ImportConfig",
    "date_pattern",
    "parse_config",
]

ACTION_TAG = "createOrUpdateInterventionAction"
CANCEL_MISSING_TAG = "cancelMissing"  # ours (issue 29): yes or no, inside the action
ACTION_OPTIONS = frozenset({"defaults", CANCEL_MISSING_TAG})  # each given once
Defaults = tuple[tuple[str, str], ...]  # the action's <defaults>: (column, text)
NO_DEFAULT = frozenset({"interventionGuid"})  # one value for every row: each a duplicate
PROVIDER_OPTIONS = {
    "fileName",
    "path",
    "skipFirstLine",
    "autoDetectLineEndings",
    "columnsMapping",
    "fileEncoding",
    "delimiter",
    "dateFormat",
    "durationUnit",  # ours: a bare number of interventionDuration is hours unless "minutes"
}


ISO_8601 = "ISO 8601"  # among ``ImportConfig.date_patterns``: ``datetime.fromisoformat``


@dataclass(frozen=True)
class ImportConfig:
    """What one ``<import>`` (or a bare ``<actions>`` block) says."""

    # File columns in order (a field name, or None for an ignored column); None: header row.
    columns: tuple[str | None, ...] | None = None
    # The fields the action uses; with a header row, which the header names decides (the seed's
    # twelve here: what an export or a header template without configuration writes).
    fields: frozenset[str] = frozenset(SEED_FIELD_NAMES)
    # The status codes: the first of each state is the one an export writes; several
    # ``<active>`` or ``<cancelled>`` elements add the others (``other_status_codes``).
    active_code: str = DEFAULT_ACTIVE_CODE
    cancelled_code: str = DEFAULT_CANCELLED_CODE
    other_status_codes: tuple[tuple[str, str], ...] = ()  # (code, "A" or "C"), in XML order
    # The action's <defaults>: (column, text as the file would write it), where a row has no
    # value (an empty cell, or a column the file does not have).
    defaults: Defaults = ()
    # The action's <cancelMissing> (ours, issue 29): the file is the complete schedule of its
    # sessions for its dates; what it leaves out there is cancelled (imports/engine/missing.py).
    cancel_missing: bool = False
    skip_first_line: bool = True
    encoding: str | None = None
    delimiter: str | None = None
    date_format: str | None = None  # strptime pattern
    date_format_source: str | None = None  # as written, e.g. DD/MM/YYYY
    duration_unit: str | None = None  # <durationUnit>: a bare number is hours unless "minutes"
    # No date format given: ISO 8601, then the patterns the file's slash dates showed
    # (``date_order``: day or month first).
    inferred_date_formats: tuple[str, ...] = ()
    file_name: str | None = None
    path: str | None = None
    auto_detect_line_endings: bool = True
    consolidators: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    line: int | None = None  # of the <import> (or <actions>) element, for run-time messages
    # What the configuration is called where it came from (parse_config's ``source``: a file's
    # path, a saved configuration's name), for messages that name it; not part of its meaning.
    source: str | None = field(default=None, compare=False)

    @property
    def uses_header(self) -> bool:
        return self.columns is None

    @cached_property
    def status_codes(self) -> dict[str, str]:
        """Every status code of the file -> ``A`` (active) or ``C`` (cancelled); made once
        per configuration (the checking path asks it for every row)."""
        first = ((self.active_code, "A"), (self.cancelled_code, "C"))
        return dict(first + self.other_status_codes)

    def codes_of(self, state: str) -> list[str]:
        """The codes of the state ``A`` (active) or ``C`` (cancelled), the first one first."""
        return [code for code, of in self.status_codes.items() if of == state]

    @property
    def expected_statuses(self) -> str:
        """The codes as the seed's status message lists them: ``A or C``, actives first."""
        codes = self.codes_of("A") + self.codes_of("C")
        return ", ".join(codes[:-1]) + " or " + codes[-1]

    @property
    def date_patterns(self) -> tuple[str, ...]:
        """How text dates are read, in order: strptime patterns, or ``ISO_8601``."""
        if self.date_format:
            return (self.date_format,)
        return (ISO_8601, *self.inferred_date_formats)

    @property
    def day_first(self) -> bool | None:
        """How dates written day or month first (``10/03/2027``) are read without a date
        format: as the file's dates told (``date_order``), None when none told."""
        if not self.inferred_date_formats:
            return None
        return self.inferred_date_formats[0].startswith("%d")


HEADER_CONFIG = ImportConfig()


def parse_config(xml: str | bytes, source: str = "configuration") -> list[ImportConfig]:
    """Parse a configuration: one ``ImportConfig`` per ``<import>``, or raise ``ConfigError``."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    problems: list[ConfigProblem] = []
    root = _parse_xml(data, problems)
    configs: list[ImportConfig] = []
    if root is not None:
        configs = _read_root(root, problems)
    if problems:
        raise ConfigError(source, problems)
    return [replace(config, source=source) for config in configs]


def _parse_xml(data: bytes, problems: list[ConfigProblem]) -> etree._Element | None:
    match = re.search(rb"<!(DOCTYPE|ENTITY)", data)
    if match:
        problems.append(_doctype_problem(data.count(b"\n", 0, match.start()) + 1))
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        problems.append(ConfigProblem(line, f"Invalid XML: {_xml_reason(exc)}.", id="imports.E003"))
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # one the byte scan missed (UTF-16)
        problems.append(_doctype_problem(None))
        return None
    return root


def _xml_reason(exc: etree.XMLSyntaxError) -> str:
    """lxml's message without the ", line N, column M" it appends: the problem carries the
    line already; the column is kept."""
    reason = re.sub(r", line \d+, column (\d+)$", r" (column \1)", exc.msg or "")
    reason = re.sub(  # libxml2's "a line 3 and actions": where <a> opened, what closed it
        r"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)",
        r"Opening and ending tag mismatch: <\1> opened on line \2 is closed by </\3>",
        reason,
    )
    return reason.removesuffix(".")


def _doctype_problem(line: int | None) -> ConfigProblem:
    return ConfigProblem(
        line,
        "DOCTYPE and entity declarations are not allowed.",
        "Remove the <!DOCTYPE …> block; configurations need none.",
        "imports.E002",
    )


def _read_root(root: etree._Element, problems: list[ConfigProblem]) -> list[ImportConfig]:
    if root.tag == "actions":
        fields, action = _read_actions(root, problems)
        if fields is None:
            return []
        return [_build(fields, {}, (), problems, line=root.sourceline, action=action)]
    if root.tag != "import-config":
        problems.append(
            ConfigProblem(
                root.sourceline,
                f"Unknown root element <{root.tag}>, <import-config> or <actions> expected.",
                id="imports.E005",
            )
        )
        return []
    imports = []
    for child in children(root):
        if child.tag != "import":
            problems.append(unknown_element(child, "import-config"))
            continue
        imports.append(_read_import(child, problems))
    if not imports:
        problems.append(
            ConfigProblem(root.sourceline, "No <import> in <import-config>.", id="imports.E006")
        )
    return [config for config in imports if config is not None]


def _read_import(element: etree._Element, problems: list[ConfigProblem]) -> ImportConfig | None:
    fields = None
    action = _Action()
    provider: dict[str, etree._Element] = {}
    consolidators: tuple = ()
    for child in children(element):
        if child.tag == "actions":
            fields, action = _read_actions(child, problems)
        elif child.tag == "providers":
            provider = _read_providers(child, problems)
        elif child.tag == "consolidators":
            consolidators = read_consolidators(child, problems)
        else:
            problems.append(unknown_element(child, "import"))
    if fields is None:
        if not any(p.line and p.line >= (element.sourceline or 0) for p in problems):
            problems.append(
                ConfigProblem(
                    element.sourceline,
                    f"No <actions><{ACTION_TAG}> in <import>.",
                    id="imports.E007",
                )
            )
        return None
    return _build(fields, provider, consolidators, problems, line=element.sourceline, action=action)


@dataclass(frozen=True)
class _Action:
    """What the action says beside its ``<fields>``: its ``<defaults>``, its ``<cancelMissing>``."""

    defaults: Defaults = ()
    cancel_missing: bool = False


def _read_actions(
    element: etree._Element, problems: list[ConfigProblem]
) -> tuple[list | None, _Action]:
    """The action's ``<fields>`` (None when there is none), its ``<defaults>`` and its
    ``<cancelMissing>`` (yes or no, default no: ``imports.E017`` for another value)."""
    actions = list(children(element))
    fields = None
    defaults: Defaults = ()
    cancel_missing = False
    for action in actions:
        if action.tag != ACTION_TAG:
            problems.append(unknown_element(action, "actions"))
            continue
        field_blocks = [c for c in children(action) if c.tag == "fields"]
        seen: set[str] = set()
        for other in children(action):
            if other.tag in seen and other.tag in ACTION_OPTIONS:
                problems.append(given_twice(other))
                continue
            seen.add(other.tag)
            if other.tag == "defaults":
                defaults = _read_defaults(other, problems)
            elif other.tag == CANCEL_MISSING_TAG:
                cancel_missing = read_yes_no(other, False, problems)
            elif other.tag != "fields":
                problems.append(unknown_element(other, ACTION_TAG))
        if len(field_blocks) != 1:
            problems.append(
                ConfigProblem(
                    action.sourceline,
                    f"<{ACTION_TAG}> needs exactly one <fields> block.",
                    id="imports.E008",
                )
            )
            continue
        fields = _read_field_list(field_blocks[0], problems)
    if fields is None and not actions:
        problems.append(
            ConfigProblem(element.sourceline, f"No <{ACTION_TAG}> in <actions>.", id="imports.E007")
        )
    return fields, _Action(defaults, cancel_missing)


def _read_defaults(element: etree._Element, problems: list[ConfigProblem]) -> Defaults:
    """``<defaults><interventionStatus>A</interventionStatus>…</defaults>``: each column's
    value where the file has none (an empty cell, or no such column), written as the file
    would write it."""
    found: dict[str, str] = {}
    for child in children(element):
        if child.tag not in FIELD_NAMES:
            problems.append(
                ConfigProblem(
                    child.sourceline,
                    f"Unknown field <{child.tag}> in <defaults>.",
                    f"Known fields: {', '.join(FIELD_NAMES)}.",
                    "imports.E009",
                )
            )
        elif child.tag in NO_DEFAULT:
            problems.append(
                ConfigProblem(
                    child.sourceline,
                    f"Field {child.tag} cannot have a default: it identifies each row.",
                    id="imports.E029",
                )
            )
        elif child.tag in found:
            problems.append(given_twice(child))
        elif not text_of(child):
            problems.append(empty_value(child, "Write the value as the file would write it."))
        else:
            found[child.tag] = text_of(child)
    return tuple(found.items())


def _read_field_list(element: etree._Element, problems: list[ConfigProblem]) -> list:
    """Return ``[(name or None, element)]`` in document order."""
    entries = []
    for child in children(element):
        if child.tag == IGNORED_COLUMN:
            entries.append((None, child))
        elif child.tag in FIELD_NAMES:
            entries.append((child.tag, child))
        else:
            problems.append(
                ConfigProblem(
                    child.sourceline,
                    f"Unknown field <{child.tag}>.",
                    f"Known fields: {', '.join(FIELD_NAMES)}, {IGNORED_COLUMN}.",
                    "imports.E009",
                )
            )
    if not entries:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"<{element.tag}> is empty.",
                "List one element per column.",
                "imports.E010",
            )
        )
    seen: set[str] = set()
    for name, child in entries:
        if name is not None and name in seen:
            problems.append(
                ConfigProblem(child.sourceline, f"Field {name} is listed twice.", id="imports.E011")
            )
        if name is not None:
            seen.add(name)
    return entries


def _read_providers(element: etree._Element, problems: list[ConfigProblem]) -> dict:
    options: dict[str, etree._Element] = {}
    for provider in children(element):
        if provider.tag != "fileSystemSourceProvider":
            problems.append(unknown_element(provider, "providers"))
            continue
        for option in children(provider):
            if option.tag not in PROVIDER_OPTIONS:
                problems.append(unknown_element(option, provider.tag))
            elif option.tag in options:
                problems.append(given_twice(option))
            else:
                options[option.tag] = option
    return options


def _build(
    fields: list,
    provider: dict[str, etree._Element],
    consolidators: tuple,
    problems: list[ConfigProblem],
    *,
    line: int | None,
    action: _Action | None = None,
) -> ImportConfig:
    action = action or _Action()
    defaults = action.defaults
    # A column with a default need not be in <fields>: the action uses it all the same.
    used = {name for name, _ in fields if name is not None} | {name for name, _ in defaults}
    columns: tuple[str | None, ...] = tuple(name for name, _ in fields)
    status_elements = [el for name, el in fields if name == "interventionStatus"]
    mapping = provider.get("columnsMapping")
    anchor = fields[0][1].getparent().sourceline if fields else None
    if mapping is not None:
        mapped = _read_field_list(mapping, problems)
        columns = tuple(name for name, _ in mapped)
        status_elements += [el for name, el in mapped if name == "interventionStatus"]
        for name, element in fields:
            if name is not None and name not in columns:
                problems.append(
                    ConfigProblem(
                        element.sourceline,
                        f"Field {name} is not in <columnsMapping>.",
                        id="imports.E013",
                    )
                )
    if fields:
        _check_mandatory(used, anchor, problems)
    active, cancelled, others = _read_status_codes(status_elements, problems)
    return ImportConfig(
        columns=columns,
        fields=frozenset(used),
        active_code=active,
        cancelled_code=cancelled,
        other_status_codes=others,
        defaults=defaults,
        cancel_missing=action.cancel_missing,
        skip_first_line=read_yes_no(provider.get("skipFirstLine"), True, problems),
        encoding=read_encoding(provider.get("fileEncoding"), problems),
        delimiter=read_delimiter(provider.get("delimiter"), problems) if provider else None,
        date_format=read_date_format(provider.get("dateFormat"), problems),
        date_format_source=text_of(provider["dateFormat"]) if "dateFormat" in provider else None,
        duration_unit=read_duration_unit(provider.get("durationUnit"), problems),
        file_name=read_file_name(provider.get("fileName"), problems),
        path=read_path(provider.get("path"), problems),
        auto_detect_line_endings=read_yes_no(provider.get("autoDetectLineEndings"), True, problems),
        consolidators=consolidators,
        line=line,
    )


def _check_mandatory(used: set[str], line: int | None, problems: list[ConfigProblem]) -> None:
    for name in REQUIRED_COLUMNS:
        if name not in used:
            problems.append(
                ConfigProblem(line, f"Mandatory field {name} is missing.", id="imports.E014")
            )
    for first, second in ONE_OF_PAIRS:
        if first not in used and second not in used:
            problems.append(
                ConfigProblem(
                    line, f"One of the fields {first} or {second} is needed.", id="imports.E014"
                )
            )
    for name, needed in NEEDS.items():
        if name in used and needed not in used:
            problems.append(
                ConfigProblem(
                    line,
                    f"Field {name} needs field {needed}.",
                    f"{name} is the end's date; the end's time of day is in {needed}.",
                    "imports.E028",
                )
            )


def _read_status_codes(
    elements: list, problems: list[ConfigProblem]
) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """The first active code, the first cancelled code, then every other one with its state
    (``<active>planifié</active><active>confirmé</active><cancelled>annulé</cancelled>``)."""
    found: dict[str, list[str]] = {"active": [], "cancelled": []}
    for element in elements:
        for child in children(element):
            if child.tag not in found:
                problems.append(unknown_element(child, "interventionStatus"))
            elif not text_of(child):
                problems.append(
                    ConfigProblem(
                        child.sourceline, f"Status code <{child.tag}> is empty.", id="imports.E015"
                    )
                )
            else:
                found[child.tag].append(text_of(child))
    active = found["active"] or [DEFAULT_ACTIVE_CODE]
    cancelled = found["cancelled"] or [DEFAULT_CANCELLED_CODE]
    both = [code for code in active if code in cancelled]
    if both:
        line = elements[0].sourceline if elements else None
        problems.append(
            ConfigProblem(
                line,
                f"Status codes for active and cancelled are the same ({both[0]}).",
                id="imports.E016",
            )
        )
    others = tuple((code, "A") for code in active[1:]) + tuple(
        (code, "C") for code in cancelled[1:]
    )
    return active[0], cancelled[0], others
