"""Map a file's own column names to the action's: proposals, checks, and the saved XML.

When a header names the action's columns its own way (``Date début;Durée (h);Salle;…``), the
admin's mapping step shows each file column with a proposed column of the action:

- the same name once folded (case, accents, spaces, ``_``, ``-`` and punctuation left out);
- else a common name, French or English (``COMMON_NAMES``, listed in docs/admin.md), or a
  name shared with another column (``ALSO_NAMES``: "Start" is the date, or the start time
  when its values are times);
- else the closest name by similarity (RapidFuzz's normalised Indel ratio of the folded
  texts) when it scores at least ``PROPOSAL_SCORE``: a lower score proposes nothing and the
  person chooses;
- and only when the column's first values fit the field (``fits``): dates for a date, numbers
  for a capacity, not clock times for a duration, status codes for the status, and no column
  of dates or clock times for a key or a text. A name alone never proposes a column whose values
  say otherwise (``Hour`` holding 09:00 is no duration, ``State`` holding CA is no status).

Each action column is proposed once (the best scored file column gets it; a column whose
best candidate went to another may take its next: "Date" and "Start time" are the date and
the start time, never two dates). A mapping is
complete when no two file columns map to one action column and the mandatory columns (and
one of each "at least one of" pair) are mapped. ``mapping_xml`` writes it as the seed
system's ``<import-config>``: the provider's ``<columnsMapping>`` (one element per file
column, in order) and the action's ``<fields>``, which ``config.parse_config`` reads and the
command line and the batch pipeline use unchanged.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from .cells import folded, value_problem
from .columns import DATE_LIKE
from .config import NO_DEFAULT, ImportConfig
from .config_values import DELIMITERS
from .fields import (
    DEFAULT_ACTIVE_CODE,
    DEFAULT_CANCELLED_CODE,
    FIELD_NAMES,
    FIELDS,
    IGNORED_COLUMN,
    NEEDS,
    ONE_OF_PAIRS,
    REQUIRED_COLUMNS,
)
from .messages import MAPPING_DEFAULT_NOT_VALID, MAPPING_NO_DEFAULT
from .moments import time_of_day_written

# The columns the mapping step offers a default for: any but the one that identifies each row.
DEFAULT_COLUMNS: tuple[str, ...] = tuple(name for name in FIELD_NAMES if name not in NO_DEFAULT)
PROPOSAL_SCORE = 80.0  # below this similarity (0-100) nothing is proposed
# The scores of a same name, of a common name, and of a name that may mean this column when
# its values say so (``ALSO_NAMES``: "Start" holding 09:00 is the start time, holding dates
# the date); a column's own common name wins over a shared one ("Date" over "Start").
EXACT, COMMON, ALSO = 100.0, 95.0, 90.0
# Common names of the action's columns, French and English, as planning tools write them.
COMMON_NAMES: dict[str, tuple[str, ...]] = {
    "interventionGuid": (
        "id",
        "identifiant",
        "id intervention",
        "intervention id",
        "code intervention",
        "guid",
        "uid",
        "reference",
        "ref",
    ),
    "trainingGuid": (
        "formation",
        "id formation",
        "code formation",
        "training",
        "training id",
        "course",
        "course id",
    ),
    "trainingPathCode": ("parcours", "code parcours", "path code", "path", "programme"),
    "sessionGuid": ("session", "id session", "code session", "session id", "group", "groupe"),
    "sessionTitle": (
        "titre session",
        "nom session",
        "libelle session",
        "session title",
        "session name",
    ),
    "interventionDate": (
        "date",
        "date debut",
        "debut",
        "date de debut",
        "date et heure",
        "jour",
        "start",
        "start date",
        "begin",
        "when",
        "day",
    ),
    "interventionDuration": (
        "duree",
        "duree h",
        "duree heures",
        "nombre heures",
        "nb heures",
        "heures",
        "duration",
        "duration h",
        "hours",
        "length",
    ),
    "roomGuid": ("salle", "code salle", "id salle", "room", "room id", "room code", "lieu"),
    "roomLabel": ("libelle salle", "nom salle", "nom de la salle", "room label", "room name"),
    "roomCapacity": ("capacite", "places", "nombre de places", "capacity", "seats", "size"),
    "teacherLogin": (
        "formateur",
        "intervenant",
        "enseignant",
        "login",
        "login formateur",
        "teacher",
        "trainer",
        "instructor",
        "teacher login",
    ),
    "interventionStatus": ("statut", "etat", "status", "state", "annule", "cancelled"),
    "interventionStartTime": (
        "heure de debut",
        "heure debut",
        "debut heure",
        "horaire de debut",
        "horaire debut",
        "start time",
        "start hour",
        "starts at",
        "begin time",
        "from",
    ),
    "interventionEndTime": (
        "heure de fin",
        "heure fin",
        "fin heure",
        "horaire de fin",
        "horaire fin",
        "fin",
        "end time",
        "end hour",
        "ends at",
        "end",
        "finish",
        "until",
    ),
    "interventionEndDate": ("date de fin", "date fin", "jour de fin", "end date", "end day"),
}
# Names shared with another column, proposed for this one only when the values fit it and
# not the other's: "Start" holding times is the start time, "Start time" holding date-times
# (no date column beside it) is the date, "End" holding dates alone is the end's date.
ALSO_NAMES: dict[str, tuple[str, ...]] = {
    "interventionDate": ("start time", "heure de debut", "heure debut"),
    "interventionStartTime": ("debut", "start", "begin", "heure", "horaire", "time"),
    "interventionEndDate": ("fin", "end"),
}


# Status values a planning tool writes, folded: the codes a mapping may be proposed for.
STATUS_WORDS = frozenset(
    {"a", "c", "actif", "active", "annule", "annulee", "cancelled", "canceled", "planifie"}
    | {"confirme", "confirmed", "scheduled"}
)
NUMBER = re.compile(r"[0-9]+")
DIGIT = re.compile(r"[0-9]")


def fits(field: str, samples: Sequence[str]) -> bool:
    """Whether a column's first values (``samples``, blanks left out) fit ``field``'s kind;
    no values: nothing tells, it fits."""
    values = [value.strip() for value in samples if value.strip()]
    if not values:
        return True
    kind = FIELDS[field].kind
    if kind in ("date", "end date"):
        return all(DATE_LIKE.search(value) for value in values)
    if kind == "time":
        return all(time_of_day_written(value) for value in values)
    if kind == "end":  # a time of day, or a date-time (a date alone is no end)
        return all(time_of_day_written(value) or _date_time(value) for value in values)
    if kind == "capacity":
        return all(NUMBER.fullmatch(value) for value in values)
    if kind == "duration":
        digits = all(DIGIT.search(value) for value in values)  # 2, 1,5, 1h30, 90 min
        return digits and not all(time_of_day_written(value, clock=True) for value in values)
    if kind == "status":
        return all(folded(value) in STATUS_WORDS for value in values)
    # keys and texts: anything but a column of dates or clock times (numbers are ids too)
    return not all(
        DATE_LIKE.search(value) or time_of_day_written(value, clock=True) for value in values
    )


def _date_time(value: str) -> bool:
    """A date followed by a time of day (``2027-03-01 12:00``, ``01/03/2027T12h``)."""
    found = DATE_LIKE.search(value)
    return bool(found and time_of_day_written(value[found.end() :].strip(" T,")))


def mapping_key(text: str) -> str:
    """A column name as compared here: folded, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", folded(text))


# A folded name -> the action columns it may mean, with their scores, the likeliest first.
_KNOWN: dict[str, list[tuple[str, float]]] = {}
for _name in FIELD_NAMES:
    _KNOWN.setdefault(mapping_key(_name), []).insert(0, (_name, EXACT))
for _table, _score in ((COMMON_NAMES, COMMON), (ALSO_NAMES, ALSO)):
    for _name, _commons in _table.items():
        for _common in _commons:
            _meanings = _KNOWN.setdefault(mapping_key(_common), [])
            if all(known != _name for known, _ in _meanings):
                _meanings.append((_name, _score))


@dataclass(frozen=True)
class Proposal:
    """One file column: its header cell, first values, and the action column proposed
    (``ignoredColumn`` when none) with how sure (0-100; 0: nothing proposed)."""

    index: int
    cell: str
    samples: tuple[str, ...]
    field: str
    score: float


def propose(header: Sequence[str], samples: Sequence[Sequence[str]] = ()) -> list[Proposal]:
    """A proposal for each header cell; ``samples``: the first rows (their cells). Each file
    column has its candidates (the columns its name may mean, whose values fit); the best
    scored candidate of all is given first, then the next among the columns and names left
    (a column whose first candidate went to another may take its second: "Date" and "Start"
    are the date and the start time)."""
    columns = [[row[index] for row in samples if index < len(row)] for index in range(len(header))]
    each = [_candidates(cell, columns[index]) for index, cell in enumerate(header)]
    # Best score first; at equal scores, the column with fewer meanings ("Date" before
    # "Start", which may be the start time too), then the file's order.
    candidates = sorted(
        (-score, len(each[index]), index, rank, name)
        for index in range(len(header))
        for rank, (name, score) in enumerate(each[index])
    )
    chosen: dict[int, tuple[str, float]] = {}
    taken: set[str] = set()
    for minus_score, _, index, _, name in candidates:
        score = -minus_score
        if index not in chosen and name not in taken:
            chosen[index] = (name, score)
            taken.add(name)
    return [
        Proposal(
            index=index,
            cell=cell,
            samples=tuple(row[index] for row in samples if index < len(row) and row[index]),
            field=chosen.get(index, (IGNORED_COLUMN, 0.0))[0],
            score=chosen.get(index, (IGNORED_COLUMN, 0.0))[1],
        )
        for index, cell in enumerate(header)
    ]


def _candidates(cell: str, values: Sequence[str]) -> list[tuple[str, float]]:
    """The action columns ``cell`` may mean whose values fit, the likeliest first: its own
    name or common names, else the names close enough (``PROPOSAL_SCORE``)."""
    key = mapping_key(cell)
    if not key:
        return []
    if key in _KNOWN:
        named = _KNOWN[key]
    else:
        scores: dict[str, float] = {}
        for known, meanings in _KNOWN.items():
            score = fuzz.ratio(key, known)
            if score >= PROPOSAL_SCORE:
                for name, _ in meanings:
                    scores[name] = max(score, scores.get(name, 0.0))
        named = sorted(scores.items(), key=lambda item: -item[1])
    return [(name, score) for name, score in named if fits(name, values)]


def mapping_problems(
    columns: Sequence[str], defaults: Mapping[str, str] | None = None
) -> list[str]:
    """What keeps ``columns`` (an action column or ``ignoredColumn`` per file column) with
    ``defaults`` (column -> its default, the text a cell would hold) from being a usable
    mapping; [] when it is one. A column given a default is used by the action, mapped or not
    (its default fills the empty cells of a mapped column): a mandatory column with a default
    is not missing."""
    problems: list[str] = []
    used = [name for name in columns if name != IGNORED_COLUMN]
    for name in sorted({name for name in used if used.count(name) > 1}):
        problems.append(f"Column {name} is chosen for more than one file column.")
    for name in [*used, *(defaults or {})]:
        if name not in FIELD_NAMES:
            problems.append(f"{name} is not a column of the action.")
    for name in defaults or {}:
        if name in NO_DEFAULT:
            problems.append(MAPPING_NO_DEFAULT.format(field=name))
    given = set(used) | {name for name in defaults or {} if name not in NO_DEFAULT}
    for name in REQUIRED_COLUMNS:
        if name not in given:
            hint = "" if name in NO_DEFAULT else " Map it, or give it a default."
            problems.append(f"Mandatory column {name} is not mapped.{hint}")
    for first, second in ONE_OF_PAIRS:
        if first not in given and second not in given:
            problems.append(
                f"One of {first} or {second} must be mapped. Map one, or give one a default."
            )
    for name, needed in NEEDS.items():
        if name in given and needed not in given:
            problems.append(f"Column {name} needs column {needed}.")
    return problems


def default_problems(config: ImportConfig, zone: ZoneInfo) -> list[str]:
    """The defaults of ``config`` (a mapping's, parsed) that every row would refuse, each read
    as a cell of its column is (a status code among the configuration's, a date as its
    ``dateFormat`` reads it, a key of 40 characters at most…)."""
    problems: list[str] = []
    for name, text in config.defaults:
        problem = value_problem(name, text, config, zone)
        if problem is not None:
            problems.append(MAPPING_DEFAULT_NOT_VALID.format(field=name, problem=problem))
    return problems


def mapping_xml(
    columns: Sequence[str],
    *,
    file_pattern: str = "*.csv",
    delimiter: str | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    active_code: str = DEFAULT_ACTIVE_CODE,
    cancelled_code: str = DEFAULT_CANCELLED_CODE,
    skip_first_line: bool = True,
    defaults: Mapping[str, str] | None = None,
) -> str:
    """The mapping as an ``<import-config>`` of the seed system (``columns``: one action
    column or ``ignoredColumn`` per file column, in order; checked by ``mapping_problems``),
    with the action's ``<defaults>`` (column -> its value, in the action's order)."""
    provider = [
        f"        <fileName>{escape(file_pattern)}</fileName>",
        f"        <skipFirstLine>{'yes' if skip_first_line else 'no'}</skipFirstLine>",
        "        <columnsMapping>",
        *(f"          <{name}/>" for name in columns),
        "        </columnsMapping>",
    ]
    if encoding:
        provider.append(f"        <fileEncoding>{escape(encoding)}</fileEncoding>")
    if delimiter:
        provider.append(
            f"        <delimiter>{DELIMITER_NAMES.get(delimiter, 'semicolon')}</delimiter>"
        )
    if date_format:
        provider.append(f"        <dateFormat>{escape(date_format)}</dateFormat>")
    fields = []
    for name in FIELD_NAMES:
        if name not in columns:
            continue
        if name == "interventionStatus":
            fields += [
                "          <interventionStatus>",
                f"            <active>{escape(active_code)}</active>",
                f"            <cancelled>{escape(cancelled_code)}</cancelled>",
                "          </interventionStatus>",
            ]
        else:
            fields.append(f"          <{name}/>")
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<import-config>",
            "  <import>",
            "    <providers>",
            "      <fileSystemSourceProvider>",
            *provider,
            "      </fileSystemSourceProvider>",
            "    </providers>",
            "    <actions>",
            "      <createOrUpdateInterventionAction>",
            "        <fields>",
            *fields,
            "        </fields>",
            *_defaults_xml(defaults or {}),
            "      </createOrUpdateInterventionAction>",
            "    </actions>",
            "  </import>",
            "</import-config>",
            "",
        ]
    )


def _defaults_xml(defaults: Mapping[str, str]) -> list[str]:
    if not defaults:
        return []
    given = [name for name in FIELD_NAMES if name in defaults]
    given += [name for name in defaults if name not in FIELD_NAMES]  # refused by the parser
    return [
        "        <defaults>",
        *(f"          <{name}>{escape(defaults[name])}</{name}>" for name in given),
        "        </defaults>",
    ]


# The seed's delimiter names, by character (``config_values.DELIMITERS`` the other way).
DELIMITER_NAMES = {character: name for name, character in DELIMITERS.items()}


def header_set_key(header: Sequence[str]) -> str:
    """What tells two headers apart for reusing a saved mapping: the set of their cells,
    folded, sorted (the same cells in another order are another file layout: the order is
    in the mapping, so the key keeps it out and the mapping's cells are compared in order
    by ``same_header``)."""
    return "|".join(sorted(mapping_key(cell) for cell in header if mapping_key(cell)))


def same_header(saved: Sequence[str], header: Sequence[str]) -> bool:
    """Whether ``header`` has the cells of ``saved`` (a saved mapping's), in the same order."""
    return [mapping_key(c) for c in saved] == [mapping_key(c) for c in header]
