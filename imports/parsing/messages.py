"""Every message the importer shows, in one place, each with its stable machine code.

The first group is the seed system's wording, kept word for word; the others are ours,
written in the same style. ``{}`` placeholders are filled with the offending values.

A message is a ``Message``: a ``str`` that carries its ``code`` (as DRF's
``default_error_messages`` put a code beside each message). ``format`` keeps the code, so a
``RowError`` or a ``FileProblem`` built from a formatted message knows it; programs read the
code (``--json``, the error report) and need not match English text.

The English text is what the engine writes and programs read, in every language (``--json``,
the batch error log). A message also keeps what it was made of, its ``parts``: each the code
of a message defined here and the parameters it was formatted with. A door that shows it to a
person renders the parts in the active language (``translated``, ``render``): each template
through ``gettext``, then ``format`` with the same parameters. The templates are marked with
``gettext_noop``, so ``makemessages`` finds them (``imports/locale/``). A message made of
several (``joined``: a missing column's message, then the cells read) is rendered part by
part, joined by a space, as its English text is.

The engine's messages are door-neutral: they never name a door's controls (a command-line
flag, a form field). Each door adds its own hint by code (``ENCODING_CODES``).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from .shown_moments import engine_moment_text

MAX_SHOWN_VALUE = 80

# A part of a message: the code of its template and the parameters it was formatted with.
Part = tuple[str, dict[str, Any]]
# Each message's English template, by code: what ``render`` translates.
TEMPLATES: dict[str, str] = {}
# The parameters of each message that are moments the engine wrote (``2027-03-10 09:00``, in the
# site's zone): a person reads them as their language writes date-times (``shown_moments``).
MOMENTS: dict[str, frozenset[str]] = {}
# The parameters that are words of ours, not the file's values: said in the reader's language.
WORDS = {
    "day": pgettext_lazy("a message's date order", "day"),
    "month": pgettext_lazy("a message's date order", "month"),
    "teacher": pgettext_lazy("a message's resource", "teacher"),
    "room": pgettext_lazy("a message's resource", "room"),
    "no cell": pgettext_lazy("a message's header cells", "no cell"),
}


class Message(str):
    """A message text that knows its machine code, and what it was made of (``parts``)."""

    code: str
    parts: tuple[Part, ...]  # () when not known: the text is shown as it is

    def __new__(cls, code: str, text: str, *, moments: tuple[str, ...] = ()) -> "Message":
        """A message's definition: its code and English template (a msgid); ``moments``: the
        parameters that are moments the engine wrote."""
        TEMPLATES.setdefault(code, str(text))
        if moments:
            MOMENTS[code] = frozenset(moments)
        return cls.made(code, text, ((code, {}),))

    @classmethod
    def made(cls, code: str, text: str, parts: tuple[Part, ...]) -> "Message":
        """A message that is no definition: a formatted or joined one."""
        message = str.__new__(cls, text)
        message.code = code
        message.parts = parts
        return message

    def format(self, *args: Any, **kwargs: Any) -> "Message":
        text = str.format(self, *args, **kwargs)
        parts: tuple[Part, ...] = ()
        if not args and len(self.parts) == 1 and not self.parts[0][1]:
            parts = ((self.parts[0][0], kwargs),)
        return Message.made(self.code, text, parts)

    @property
    def params(self) -> dict[str, Any]:
        """The parameters it was formatted with (of its first part)."""
        return self.parts[0][1] if self.parts else {}

    def translated(self) -> str:
        """The message in the active language (its English text when it cannot be)."""
        return render(self.parts, str(self))


def joined(*said: str) -> Message:
    """Messages said one after the other, as one (the first one's code)."""
    parts: tuple[Part, ...] = ()
    for message in said:
        more = getattr(message, "parts", ())
        if not more:
            parts = ()
            break
        parts += more
    return Message.made(code_of(said[0]), " ".join(said), parts)


def code_of(message: str) -> str:
    """The code of a message, "" for a text that is not one of ours."""
    return getattr(message, "code", "")


def parts_of(message: str) -> tuple[Part, ...]:
    """What a message was made of; () for a text that is not one of ours."""
    return getattr(message, "parts", ())


def translated(message: str) -> str:
    """A message (or any text) in the active language, as far as it can be."""
    return render(parts_of(message), str(message))


def render(parts: Sequence[Sequence[Any]], fallback: str) -> str:
    """Parts (code, parameters) in the active language, joined by a space; ``fallback`` (the
    English text as stored) when there are none, or a part cannot be rendered (a code or a
    parameter no longer known, a translation that names another placeholder)."""
    if not parts:
        return fallback
    try:
        return " ".join(
            gettext(TEMPLATES[code]).format(
                **{
                    name: _word(value, moment=name in MOMENTS.get(code, ()))
                    for name, value in params.items()
                }
            )
            for code, params in parts  # a list of two when read back from JSON
        )
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return fallback


def _word(value: Any, *, moment: bool) -> Any:
    if not isinstance(value, str):
        return value
    if moment:
        return engine_moment_text(value)
    word = WORDS.get(value)
    return value if word is None else str(word)


def storable_parts(parts: tuple[Part, ...], code: str) -> dict[str, Any] | list[Any] | None:
    """The parts as a job stores them (``ImportJobError.params``): a message of one part whose
    code is the error's, its parameters alone (a dict); otherwise the list of its parts
    ``[code, parameters]``; None when they are not known. Values that JSON does not hold
    (a path, a date) are stored as the text they format to."""
    if not parts:
        return None
    if len(parts) == 1 and parts[0][0] == code:
        return _json_params(parts[0][1])
    return [[part_code, _json_params(params)] for part_code, params in parts]


def stored_parts(params: Any, code: str) -> list[Sequence[Any]]:
    """The parts a job stored (``storable_parts``), to ``render``; [] for none (an error
    stored before its parameters were)."""
    if isinstance(params, Mapping):
        return [(code, params)]
    if isinstance(params, list):
        return params
    return []


def _json_params(params: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value if value is None or isinstance(value, str | int | float) else str(value)
        for name, value in params.items()
    }


def shorten(value: str) -> str:
    """A value as quoted in a message: whole up to 80 characters, then cut with an ellipsis."""
    return value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"


# After a key not found (imports/planning/suggestions.py): not a message of its own.
DID_YOU_MEAN = Message("did_you_mean", gettext_noop("Did you mean {suggestion}?"))


def with_suggestion(message: str, suggestion: str) -> str:
    """A message followed by its suggestion, when it has one (doors' text output), in the
    active language."""
    text = translated(message)
    return (
        f"{text} {DID_YOU_MEAN.format(suggestion=suggestion).translated()}" if suggestion else text
    )


# The seed's messages (exact wording).
FIELD_EMPTY = Message("field_empty", gettext_noop("Field {field} is empty."))
TRAINING_GUID_NOT_FOUND = Message(
    "training_not_found", gettext_noop("Training with guid {value} is not found.")
)
TRAINING_PATH_CODE_NOT_FOUND = Message(
    "training_path_code_not_found", gettext_noop("Training with path code {value} is not found.")
)
SESSION_GUID_NOT_FOUND = Message(
    "session_not_found", gettext_noop("Session with guid {value} is not found for this training.")
)
SESSION_TITLE_NOT_FOUND = Message(
    "session_title_not_found",
    gettext_noop("Session with title {value} is not found for this training."),
)
DATE_NOT_VALID = Message("date_not_valid", gettext_noop("Date {value} not valid."))
TEACHER_NOT_FOUND = Message(
    "teacher_not_found", gettext_noop("Teacher with login {value} is not found.")
)
STATUS_NOT_VALID = Message(
    # The seed's "{value}, {active} or {cancelled} expected.", every code listed when a
    # configuration gives several (ImportConfig.expected_statuses).
    "status_not_valid",
    gettext_noop("Status has invalid value {value}, {expected} expected."),
)

# Row messages of ours.
SESSION_TITLE_AMBIGUOUS = Message(
    "session_title_ambiguous",
    gettext_noop(
        "Session with title {value} matches {count} sessions of this training, use sessionGuid."
    ),
)
DATE_DOES_NOT_EXIST = Message(
    "date_does_not_exist",
    gettext_noop(
        "Date {value} not valid: it does not exist in time zone {zone} (daylight saving change)."
    ),
)
DATE_AMBIGUOUS = Message(
    "date_ambiguous",
    gettext_noop(
        "Date {value} not valid: it is ambiguous in time zone {zone} (daylight saving change),"
        " give its UTC offset."
    ),
)
DATE_ORDER_AMBIGUOUS = Message(
    "date_order_ambiguous",
    gettext_noop(
        "Date {value} not valid. It can be read day first or month first, and no date of the file"
        " tells which: give the date format (DD/MM/YYYY HH:II or MM/DD/YYYY HH:II)."
    ),
)
DATE_ORDER_INFERRED = Message(
    "date_order_inferred",
    gettext_noop("Dates of column {column} read as {format}, as {value} on line {line} shows."),
)
DATE_FORMAT_NOT_VALID = Message(
    "date_format_not_valid", gettext_noop("Date format {value} not valid.")
)
DATE_WRONG_WEEKDAY = Message(
    "date_wrong_weekday",
    gettext_noop("Date {value} not valid: {date} is a {weekday}."),
    moments=("date",),
)
DATE_ORDER_BY_LANGUAGE = Message(
    "date_order_by_language",
    gettext_noop(
        "Dates of column {column} read {order} first ({format}), as dates are written in the"
        " site's language ({language}); no date of the file says otherwise ({value} on line {line}"
        " could be either)."
    ),
)
DATE_ORDER_BY_SETTING = Message(
    "date_order_by_setting",
    gettext_noop(
        "Dates of column {column} read {order} first ({format}), as the DATE_ORDER setting says;"
        " no date of the file says otherwise ({value} on line {line} could be either)."
    ),
)
DATE_WITHOUT_TIME = Message(
    "date_without_time",
    gettext_noop("Date {value} has no time of day: the start time is in another column?"),
)
DATES_WITHOUT_TIME = Message(
    "dates_without_time",
    gettext_noop(
        "Dates without a time: 00:00. dateFormat {format} has no time of day, so the dates of"
        " column interventionDate start at 00:00 (a start time column, interventionStartTime,"
        " gives it)."
    ),
)
TIME_NOT_VALID = Message(
    "time_not_valid", gettext_noop("Time {value} not valid, 09:00, 9h30 or 9:00 AM expected.")
)
START_TIME_TWICE = Message(
    "start_time_twice",
    gettext_noop(
        "Date {value} has a time of day and interventionStartTime gives {time}: keep one of them."
    ),
)
END_NOT_VALID = Message(
    "end_not_valid",
    gettext_noop(
        "End {value} not valid, a time of day (12:00, 12h30, 0:30 PM) or a date and time expected."
    ),
)
END_WITHOUT_TIME = Message("end_without_time", gettext_noop("End {value} has no time of day."))
END_DATE_HAS_TIME = Message(
    "end_date_has_time",
    gettext_noop(
        "Date {value} not valid: interventionEndDate holds the end's date, its time of day goes in"
        " interventionEndTime."
    ),
)
END_DATE_WITHOUT_END = Message(
    "end_date_without_end",
    gettext_noop("interventionEndDate {value} is given without interventionEndTime."),
)
END_DATE_DISAGREES = Message(
    "end_date_disagrees", gettext_noop("End {value} is not on interventionEndDate {date}.")
)
END_NOT_AFTER_START = Message(
    "end_not_after_start",
    gettext_noop("End {value} is not after the start ({start})."),
    moments=("start",),
)
END_NOT_AFTER_START_SAME_DAY = Message(
    "end_not_after_start_same_day",
    gettext_noop(
        "End {value} is not after the start ({start}); an end on another day goes in"
        " interventionEndDate."
    ),
    moments=("start",),
)
DURATION_DISAGREES = Message(
    "duration_disagrees",
    gettext_noop("Duration {value} does not agree with the end: {start} to {end} is {hours}."),
    moments=("start",),
)
END_OVER_A_DAY = Message(
    "end_over_a_day",
    gettext_noop("End more than 24 hours after the start: {start} to {end} is {hours}."),
    moments=("start",),
)
# Notes (WARNING level, once per file): values the importer derives, and from which cells.
STARTS_JOINED = Message(
    "starts_joined",
    gettext_noop(
        "Starts joined from interventionDate and interventionStartTime on {count} rows (line"
        " {line}: {date} and {time} give {start})."
    ),
    moments=("start",),
)
GUIDS_DERIVED = Message(
    "guids_derived",
    gettext_noop(
        "Intervention GUIDs derived from {columns} on {count} rows, as the file has no"
        " interventionGuid column (line {line}: {cells} give {guid})."
    ),
)
DERIVED_GUID_SAME = Message(
    "derived_guid_same",
    gettext_noop(
        "The file has no interventionGuid column: the GUID is derived from {columns}, which are"
        " the same on these lines."
    ),
)
LABELS_FROM_GUIDS = Message(
    "labels_from_guids",
    gettext_noop(
        "The file has no roomLabel column: a room created takes its roomGuid as its label; an"
        " existing room keeps its label."
    ),
)
DURATIONS_FROM_END = Message(
    "durations_from_end",
    gettext_noop(
        "Durations derived from the end (interventionEndTime{and_date}) minus the start on {count}"
        " rows (line {line}: start {start} and end {end} give {hours}, {minutes} minutes)."
    ),
    moments=("start",),
)
DURATION_NOT_VALID = Message(
    "duration_not_valid",
    gettext_noop(
        "Duration {value} not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected."
    ),
)
DURATION_NOT_VALID_MINUTES = Message(  # the provider's <durationUnit> is minutes
    "duration_minutes_not_valid",
    gettext_noop("Duration {value} not valid, minutes (90, 1h30, 1:30) expected."),
)
DURATION_NOT_POSITIVE = Message(
    "duration_not_positive", gettext_noop("Duration {value} not valid, more than 0 expected.")
)
DURATION_NOT_WHOLE_MINUTES = Message(
    "duration_not_whole_minutes",
    gettext_noop("Duration {value} not valid, a whole number of minutes expected."),
)
DURATION_READ_AS_HOURS = Message(
    "duration_read_as_hours",
    gettext_noop(
        "Duration {value} is read as {value} hours; if it is minutes, set"
        " <durationUnit>minutes</durationUnit>."
    ),
)
DURATION_OVER_A_DAY = Message(
    "duration_over_a_day",
    gettext_noop("Duration {value} is read as {minutes} minutes, more than 24 hours."),
)
CAPACITY_NOT_VALID = Message(
    "capacity_not_valid", gettext_noop("Capacity {value} not valid, a whole number expected.")
)
FIELD_TOO_LONG = Message(
    "field_too_long",
    gettext_noop("Field {field} is too long ({length} characters, {limit} at most)."),
)
FIELD_INVISIBLE_CHARACTERS = Message(
    "field_invisible_characters", gettext_noop("Field {field} contains invisible characters.")
)
DUPLICATE_GUID = Message(
    "duplicate_guid",
    gettext_noop("Intervention with guid {value} appears on several lines ({lines})."),
)
ROOM_CONFLICT = Message(
    "room_conflict",
    gettext_noop(
        "Room with guid {value} has different labels or capacities in this file ({lines})."
    ),
)
TEACHER_BOOKED = Message(
    "teacher_booked",
    gettext_noop(
        "Teacher with login {login} is already booked by intervention {guid} ({start} to {end})."
    ),
    moments=("start", "end"),
)
ROOM_BOOKED = Message(
    "room_booked",
    gettext_noop(
        "Room with guid {room} is already booked by intervention {guid} ({start} to {end})."
    ),
    moments=("start", "end"),
)
MORE_CONFLICTS = Message(
    "more_conflicts",
    gettext_noop("{count} more conflicts of this row ({resource}) are not listed."),
)
UNKNOWN_CONFLICT_POLICY = Message(
    "unknown_conflict_policy",
    gettext_noop("Unknown conflict policy {value}, warn, error or ignore expected."),
)
ROW_TOO_LONG = Message(
    "row_too_long",
    gettext_noop("Line has {count} cells, {expected} expected; the extra cells are ignored."),
)
MORE_LONG_ROWS = Message(
    "more_long_rows", gettext_noop("{count} more lines have extra cells, which are ignored.")
)

# File messages of ours (the file cannot be used; nothing is written).
FILE_EMPTY = Message("file_empty", gettext_noop("The file has no data rows."))
FILE_NOT_DECODABLE = Message(
    "file_not_decodable", gettext_noop("The file is not valid {encoding} (byte 0x{byte:02X}).")
)
FILE_UTF16_WITHOUT_BOM = Message(
    "file_utf16_without_bom",
    gettext_noop(
        "The file looks like {encoding} text without a byte order mark (every other byte is"
        " NUL), not {expected} text."
    ),
)
FILE_BINARY = Message(
    "file_binary",
    gettext_noop(
        "The file looks like a binary file, not {expected} text ({count} NUL characters,"
        " the first at this line and column)."
    ),
)
FILE_WRONG_KIND = Message("file_wrong_kind", gettext_noop("This is {kind}, not a {expected} file."))
FILE_NOT_TEXT = Message(
    "file_not_text",
    gettext_noop(
        "This is not a text file: {count} of its first {size} bytes are control characters, which"
        " no CSV file holds. Choose the file the planning tool exported as CSV (or as xlsx/ods)."
    ),
)
FILE_OLE2_DOCUMENT = Message(
    "file_ole2_document",
    gettext_noop(
        "This is a Word or old Excel (.xls) document, not a CSV file: save it as .xlsx or CSV."
    ),
)
FILE_AUTO_ENCODING = Message(
    "file_auto_encoding",
    gettext_noop(
        "The file is not valid UTF-8 and no encoding is configured: it was read as {encoding}."
    ),
)
FILE_UNKNOWN_ENCODING = Message("unknown_encoding", gettext_noop("Unknown encoding {encoding}."))
FILE_UNKNOWN_FORMAT = Message(
    "file_unknown_format", gettext_noop("Unknown file format {value}: {expected} expected.")
)
FILE_NOT_READABLE = Message(
    "file_not_readable", gettext_noop("The file cannot be read as {format}: {reason}")
)
SHEET_NOT_FOUND = Message(
    "sheet_not_found", gettext_noop("The workbook has no sheet {sheet}; its sheets: {sheets}.")
)
SHEET_READ = Message(
    "sheet_read",
    gettext_noop("Sheet {sheet} was read; the workbook's other sheets were not: {others}."),
)
FILE_TOO_LARGE = Message(
    "file_too_large", gettext_noop("The file is too large ({size} bytes, {limit} at most).")
)
FILE_TOO_MANY_ROWS = Message(
    "file_too_many_rows", gettext_noop("The file has more than {limit} data rows.")
)
FILE_CSV_ERROR = Message("csv_malformed", gettext_noop("The CSV is malformed: {reason}."))
UNKNOWN_TIME_ZONE = Message("unknown_time_zone", gettext_noop("Unknown time zone {value}."))
DATABASE_ERROR = Message(
    "database_error", gettext_noop("Database error, nothing was written: {reason}")
)
WRITTEN_MEANWHILE = Message(
    "written_meanwhile",
    gettext_noop(
        "{count} rows were written by another import while this one ran; the counts are what this"
        " import did."
    ),
)
HEADER_MISSING_COLUMN = Message(
    "header_missing_column", gettext_noop("Column {field} is missing from the header row.")
)
HEADER_MISSING_ONE_OF = Message(
    "header_missing_one_of",
    gettext_noop("Column {first} or {second} is missing from the header row."),
)
HEADER_NEEDS_COLUMN = Message(
    "header_needs_column",
    gettext_noop("Column {field} needs column {needed}, missing from the header row."),
)
HEADER_DUPLICATE_COLUMN = Message(
    "header_duplicate_column", gettext_noop("Column {field} appears twice in the header row.")
)
HEADER_SAME_COLUMN = Message(
    "header_same_column",
    gettext_noop('Columns "{first}" and "{second}" of the header row are both {field}.'),
)
# Not messages of their own: what follows a missing column's message (``joined``: its code).
HEADER_CELLS_READ = Message("header_cells_read", gettext_noop("The header row read: {cells}."))
HEADER_PROBABLY_MEANT = Message(
    "header_probably_meant", gettext_noop('"{cell}" is probably meant.')
)
DEFAULT_FOR_MISSING_COLUMN = Message(
    "default_for_missing_column",
    gettext_noop(
        "The file has no column {column}: every row takes the configuration's default {value}."
    ),
)
DEFAULT_FOR_EMPTY_CELLS = Message(
    "default_for_empty_cells",
    gettext_noop("{count} rows with an empty {column} take the configuration's default {value}."),
)
FIRST_ROW_DATA_NEEDS_COLUMNS = Message(
    "first_row_data_needs_columns",
    gettext_noop(
        "The first row is data, so no header row names the columns: choose a configuration that"
        " lists them in order, or map them (docs/configuration.md)."
    ),
)
HEADER_LOOKS_LIKE_DATA = Message(
    "header_looks_like_data",
    gettext_noop(
        "Line {line} looks like data, not a header row ({value}): a file without a header row is"
        " read with a configuration that lists its columns in order, with"
        " <skipFirstLine>no</skipFirstLine> (docs/configuration.md)."
    ),
)
FIRST_LINE_SKIPPED_LOOKS_LIKE_DATA = Message(
    "first_line_looks_like_data",
    gettext_noop(
        "Line {line} is skipped as the header row, but it looks like data ({value} in column"
        " {column}): if the file has no header row, set <skipFirstLine>no</skipFirstLine>."
    ),
)
HEADER_UNKNOWN_COLUMN = Message(
    "header_unknown_column", gettext_noop("Column {value} is not used and is ignored.")
)

# The mapping step's defaults (imports/parsing/mapping.py): a default the import would refuse.
MAPPING_NO_DEFAULT = Message(
    "mapping_no_default",
    gettext_noop("Column {field} cannot have a default: it identifies each row."),
)
MAPPING_DEFAULT_NOT_VALID = Message(
    "mapping_default_not_valid", gettext_noop("The default of {field} is not valid: {problem}")
)

ROWS_SKIPPED_BY_FIX = Message(
    "rows_skipped_by_fix",
    gettext_noop("{count} rows whose {column} is {value} were skipped (a fix)."),
)
ROWS_SKIPPED_ON_LINES = Message(
    "rows_skipped_on_lines",
    gettext_noop("Rows skipped by a fix of {column} {value}: {count}, on {lines}."),
)

# The codes after which a door adds a hint of its own: the file's encoding is to be chosen.
ENCODING_CODES = frozenset({"file_not_decodable", "file_utf16_without_bom", "unknown_encoding"})

# Export messages (nothing is exported: no file, no partial file).
EXPORT_NOT_ENCODABLE = Message(
    "export_not_encodable",
    gettext_noop(
        "Line {line}, intervention {guid}, column {column}: {value} cannot be written in"
        " {encoding}."
    ),
)
EXPORT_NOT_WRITABLE = Message(
    "export_not_writable",
    gettext_noop(
        "Line {line}, intervention {guid}, column {column}: {value} holds control characters"
        " that a spreadsheet file cannot hold."
    ),
)
EXPORT_DATE_AMBIGUOUS = Message(
    "export_date_ambiguous",
    gettext_noop(
        "Line {line}, intervention {guid}, column {column}: {value} happens twice in time zone"
        " {zone} (daylight saving change) and dateFormat {format} has no UTC offset."
    ),
)
EXPORT_DATE_NOT_EXACT = Message(
    "export_date_not_exact",
    gettext_noop(
        "Line {line}, intervention {guid}, column {column}: {value} cannot be written exactly"
        " with dateFormat {format}."
    ),
)
# A configuration's <defaults> read the other way (export/defaults.py): refused before any line.
EXPORT_DEFAULT_DIFFERS = Message(
    "export_default_differs",
    gettext_noop(
        'Configuration "{configuration}" does not write {column} and gives it the default'
        " {default}: {count} of the {total} interventions to export differ from it (the first:"
        " intervention {guid}, {value}); imported with this configuration, the file would give"
        " them {default}. Export with a configuration that writes {column} (or with none), or"
        " leave those interventions out."
    ),
)
EXPORT_GUID_NOT_DERIVED = Message(
    "export_guid_not_derived",
    gettext_noop(
        'Configuration "{configuration}" does not write interventionGuid: imported with it, each'
        " row takes the GUID derived from its slot, and {count} of the {total} interventions to"
        " export have another (the first: intervention {guid}); they would come back as new"
        " interventions. Export with a configuration that writes interventionGuid (or with none),"
        " or leave those interventions out."
    ),
)
EXPORT_DEFAULT_FILLS_EMPTY = Message(
    "export_default_fills_empty",
    gettext_noop(
        'Configuration "{configuration}" gives {column} the default {default}: {count} of the'
        " {total} interventions to export have no {column} (the first: intervention {guid}), and"
        " imported with this configuration, their empty cells would take {default}. Export with a"
        " configuration without this default (or with none), or leave those interventions out."
    ),
)

# cancelMissing (issue 29, imports/engine/missing.py): what an import that is the complete
# schedule of its sessions, for its dates, cancels, and the guards before it does.
CANCELLED_MISSING = Message(
    "cancelled_missing",
    gettext_noop(
        "Intervention {guid} (session {session}, {start} to {end}, teacher {teacher}, room {room})"
        " is not in the file: cancelled as missing.",
    ),
    moments=("start", "end"),
)
CANCEL_MISSING_NO_VALID_ROW = Message(
    "cancel_missing_no_valid_row",
    gettext_noop(
        "The file has no valid row: nothing is cancelled as missing.",
    ),
)
CANCEL_MISSING_NEEDS_CONFIRMATION = Message(
    "cancel_missing_needs_confirmation",
    gettext_noop(
        "{count} of the {scope} active interventions of the file's sessions and dates ({share})"
        " are cancelled as missing, more than {limit}: the import writes nothing unless this"
        " count, {count}, is confirmed.",
    ),
)
CANCEL_MISSING_TOO_MANY = Message(
    "cancel_missing_too_many",
    gettext_noop(
        "{count} of the {scope} active interventions of the file's sessions and dates ({share})"
        " would be cancelled as missing, more than {limit}, and this count was not confirmed:"
        " nothing was written.",
    ),
)
CANCEL_MISSING_COUNT_DIFFERS = Message(
    "cancel_missing_count_differs",
    gettext_noop(
        "{count} of the {scope} active interventions of the file's sessions and dates ({share})"
        " would be cancelled as missing, more than {limit}, and the count confirmed is"
        " {confirmed}: nothing was written.",
    ),
)
# Schedule conflicts that the file does not make: both interventions are left as they are
# (a row unchanged, or only in the database). Shown apart; they need no acknowledgement.
TEACHER_BOOKED_UNCHANGED = Message(
    "teacher_booked_unchanged",
    gettext_noop(
        "Teacher with login {login} is already booked by intervention {guid} ({start} to {end});"
        " already in the schedule, not changed by this file.",
    ),
    moments=("start", "end"),
)
ROOM_BOOKED_UNCHANGED = Message(
    "room_booked_unchanged",
    gettext_noop(
        "Room with guid {room} is already booked by intervention {guid} ({start} to {end});"
        " already in the schedule, not changed by this file.",
    ),
    moments=("start", "end"),
)
MORE_CONFLICTS_UNCHANGED = Message(
    "more_conflicts_unchanged",
    gettext_noop(
        "{count} more conflicts of this row ({resource}) already in the schedule, not changed by"
        " this file, are not listed.",
    ),
)
# The uploads' store (imports/jobs/file_store.py): an S3 bucket or a disk that fails
# (unreachable, refused, timed out). Nothing was done; the job keeps its reason.
STORE_UNREACHABLE = Message(
    "store_unreachable",
    gettext_noop("The file store is not reachable; nothing was imported. Try again."),
)
STORE_UNREACHABLE_DISCARD = Message(
    "store_unreachable_discard",
    gettext_noop("The file store is not reachable; the preview was not discarded. Try again."),
)
STORE_UNREACHABLE_DELETE = Message(
    "store_unreachable_delete",
    gettext_noop("The file store is not reachable; the job {job} was not deleted. Try again."),
)
# Said by a command or a worker that needs the store, with what failed: exit status 2.
STORE_UNREACHABLE_COMMAND = Message(
    "store_unreachable_command",
    gettext_noop(
        "The file store is not reachable ({error}); {what}. Check STORAGE_URL and the AWS_*"
        " settings of this host, and try again."
    ),
)
# Job states across hosts (imports/jobs/states.py).
STALE_NOT_JUDGED = Message(
    "stale_not_judged",
    gettext_noop(
        "Cannot read the workers' heartbeats on this host (not set: {missing}): a running job's"
        " live heartbeat cannot be seen, so no job was marked failed. Give this host the"
        " workers' broker settings."
    ),
)
FINISHED_AFTER_FAILED = Message(
    "finished_after_failed",
    gettext_noop(
        "Import job {job} was marked failed while its worker ran ({reason}); the worker's outcome"
        " ({outcome}) is not recorded and the job stays failed."
    ),
)
# The HTTP API (imports/api/, docs/api.md): its own answers, each an
# application/problem+json body with this code. The job service's verdicts keep theirs.
API_NOT_AUTHENTICATED = Message(
    "api_not_authenticated",
    gettext_noop(
        "Credentials are needed: send the header Authorization: Token <key>, or log in to"
        " the admin."
    ),
)
API_TOKEN_NOT_VALID = Message(
    "api_token_not_valid",
    gettext_noop("This token is not valid: unknown, revoked or expired."),
)
API_PERMISSION_DENIED = Message(
    "api_permission_denied",
    gettext_noop("Permission denied: {needs}."),
)
API_NOT_FOUND = Message(
    "api_not_found",
    gettext_noop("Not found: {path}."),
)
API_METHOD_NOT_ALLOWED = Message(
    "api_method_not_allowed",
    gettext_noop("Method {method} is not allowed here ({allowed})."),
)
API_NOT_ACCEPTABLE = Message(
    "api_not_acceptable",
    gettext_noop("This API answers in JSON (application/json) only."),
)
API_UNSUPPORTED_MEDIA_TYPE = Message(
    "api_unsupported_media_type",
    gettext_noop(
        "A body of type {media_type} cannot be read here: send application/json or "
        "multipart/form-data."
    ),
)
API_BODY_NOT_VALID = Message(
    "api_body_not_valid",
    gettext_noop("The request body cannot be read: {reason}"),
)
API_NOT_VALID = Message(
    "api_not_valid",
    gettext_noop("The request is not valid: {fields}."),
)
API_THROTTLED = Message(
    "api_throttled",
    gettext_noop("Too many requests with these credentials: try again in {seconds} s."),
)
API_REQUEST_TOO_LARGE = Message(
    "api_request_too_large",
    gettext_noop("The request body has {size} bytes, {limit} at most."),
)
API_IDEMPOTENCY_KEY_NOT_VALID = Message(
    "api_idempotency_key_not_valid",
    gettext_noop("An Idempotency-Key is 1 to 255 printable ASCII characters."),
)
API_IDEMPOTENCY_KEY_REUSED = Message(
    "api_idempotency_key_reused",
    gettext_noop(
        "Idempotency key {key} was used for another request in the last {hours} hours; "
        "use a new key for a new request."
    ),
)
API_IDEMPOTENCY_IN_PROGRESS = Message(
    "api_idempotency_in_progress",
    gettext_noop(
        "The first request with idempotency key {key} is still running; retry when it is done."
    ),
)
API_DISCARD_NOT_OPEN = Message(
    "api_discard_not_open",
    gettext_noop("Only a preview can be discarded; this import is {status}."),
)
API_CANCEL_NOT_IN_BACKGROUND = Message(
    "api_cancel_not_in_background",
    gettext_noop("Only a queued or running job can be cancelled; this import is {status}."),
)
API_ROWS_OR_FILE = Message(
    "api_rows_or_file",
    gettext_noop("Send a file (multipart, field file) or rows (JSON), not both."),
)
API_ROW_NOT_VALID = Message(
    "api_row_not_valid",
    gettext_noop("Row {index}, {column}: {reason}"),
)
API_NO_TOKEN = Message(
    "api_no_token",
    gettext_noop("This request was not made with a token; nothing was revoked."),
)
