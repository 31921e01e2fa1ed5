"""Every message the importer shows, in one place, each with its stable machine code.

The first group is the seed system's wording, kept word for word; the others are ours,
written in the same style. ``{}`` placeholders are filled with the offending values.

A message is a ``Message``: a ``str`` that carries its ``code`` (as DRF's
``default_error_messages`` put a code beside each message). ``format`` keeps the code, so a
``RowError`` or a ``FileProblem`` built from a formatted message knows it; programs read the
code (``--json``, the error report) and need not match English text.

The engine's messages are door-neutral: they never name a door's controls (a command-line
flag, a form field). Each door adds its own hint by code (``ENCODING_CODES``).
"""

from typing import Any

MAX_SHOWN_VALUE = 80


class Message(str):
    """A message text that knows its machine code."""

    code: str

    def __new__(cls, code: str, text: str) -> "Message":
        message = super().__new__(cls, text)
        message.code = code
        return message

    def format(self, *args: Any, **kwargs: Any) -> "Message":
        return Message(self.code, str.format(self, *args, **kwargs))


def code_of(message: str) -> str:
    """The code of a message, "" for a text that is not one of ours."""
    return getattr(message, "code", "")


def shorten(value: str) -> str:
    """A value as quoted in a message: whole up to 80 characters, then cut with an ellipsis."""
    return value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"


# After a key not found (imports/planning/suggestions.py).
DID_YOU_MEAN = "Did you mean {suggestion}?"


def with_suggestion(message: str, suggestion: str) -> str:
    """A message followed by its suggestion, when it has one (doors' text output)."""
    return f"{message} {DID_YOU_MEAN.format(suggestion=suggestion)}" if suggestion else message


# The seed's messages (exact wording).
FIELD_EMPTY = Message("field_empty", "Field {field} is empty.")
TRAINING_GUID_NOT_FOUND = Message("training_not_found", "Training with guid {value} is not found.")
TRAINING_PATH_CODE_NOT_FOUND = Message(
    "training_path_code_not_found", "Training with path code {value} is not found."
)
SESSION_GUID_NOT_FOUND = Message(
    "session_not_found", "Session with guid {value} is not found for this training."
)
SESSION_TITLE_NOT_FOUND = Message(
    "session_title_not_found", "Session with title {value} is not found for this training."
)
DATE_NOT_VALID = Message("date_not_valid", "Date {value} not valid.")
TEACHER_NOT_FOUND = Message("teacher_not_found", "Teacher with login {value} is not found.")
STATUS_NOT_VALID = Message(
    # The seed's "{value}, {active} or {cancelled} expected.", every code listed when a
    # configuration gives several (ImportConfig.expected_statuses).
    "status_not_valid",
    "Status has invalid value {value}, {expected} expected.",
)

# Row messages of ours.
SESSION_TITLE_AMBIGUOUS = Message(
    "session_title_ambiguous",
    "Session with title {value} matches {count} sessions of this training, use sessionGuid.",
)
DATE_DOES_NOT_EXIST = Message(
    "date_does_not_exist",
    "Date {value} not valid: it does not exist in time zone {zone} (daylight saving change).",
)
DATE_AMBIGUOUS = Message(
    "date_ambiguous",
    "Date {value} not valid: it is ambiguous in time zone {zone} (daylight saving change),"
    " give its UTC offset.",
)
DATE_ORDER_AMBIGUOUS = Message(
    "date_order_ambiguous",
    "Date {value} not valid. It can be read day first or month first, and no date of the file"
    " tells which: give the date format (DD/MM/YYYY HH:II or MM/DD/YYYY HH:II).",
)
DATE_ORDER_INFERRED = Message(
    "date_order_inferred",
    "Dates of column {column} read as {format}, as {value} on line {line} shows.",
)
DATE_ORDER_BY_LANGUAGE = Message(
    "date_order_by_language",
    "Dates of column {column} read {order} first ({format}), as dates are written in the"
    " site's language ({language}); no date of the file says otherwise ({value} on line {line}"
    " could be either).",
)
DATE_ORDER_BY_SETTING = Message(
    "date_order_by_setting",
    "Dates of column {column} read {order} first ({format}), as the DATE_ORDER setting says;"
    " no date of the file says otherwise ({value} on line {line} could be either).",
)
DATE_FORMAT_NOT_VALID = Message("date_format_not_valid", "Date format {value} not valid.")
DATE_WRONG_WEEKDAY = Message("date_wrong_weekday", "Date {value} not valid: {date} is a {weekday}.")
DATE_WITHOUT_TIME = Message(
    "date_without_time",
    "Date {value} has no time of day: the start time is in another column?",
)
DATES_WITHOUT_TIME = Message(
    "dates_without_time",
    "Dates without a time: 00:00. dateFormat {format} has no time of day, so the dates of"
    " column interventionDate start at 00:00 (a start time column, interventionStartTime,"
    " gives it).",
)
TIME_NOT_VALID = Message(
    "time_not_valid", "Time {value} not valid, 09:00, 9h30 or 9:00 AM expected."
)
START_TIME_TWICE = Message(
    "start_time_twice",
    "Date {value} has a time of day and interventionStartTime gives {time}: keep one of them.",
)
END_NOT_VALID = Message(
    "end_not_valid",
    "End {value} not valid, a time of day (12:00, 12h30, 0:30 PM) or a date and time expected.",
)
END_WITHOUT_TIME = Message("end_without_time", "End {value} has no time of day.")
END_DATE_HAS_TIME = Message(
    "end_date_has_time",
    "Date {value} not valid: interventionEndDate holds the end's date, its time of day goes in"
    " interventionEndTime.",
)
END_DATE_WITHOUT_END = Message(
    "end_date_without_end", "interventionEndDate {value} is given without interventionEndTime."
)
END_DATE_DISAGREES = Message(
    "end_date_disagrees", "End {value} is not on interventionEndDate {date}."
)
END_NOT_AFTER_START = Message(
    "end_not_after_start", "End {value} is not after the start ({start})."
)
END_NOT_AFTER_START_SAME_DAY = Message(
    "end_not_after_start_same_day",
    "End {value} is not after the start ({start}); an end on another day goes in"
    " interventionEndDate.",
)
DURATION_DISAGREES = Message(
    "duration_disagrees",
    "Duration {value} does not agree with the end: {span} is {hours}.",
)
END_OVER_A_DAY = Message(
    "end_over_a_day", "End more than 24 hours after the start: {span} is {hours}."
)
# Notes (WARNING level, once per file): values the importer derives, and from which cells.
STARTS_JOINED = Message(
    "starts_joined",
    "Starts joined from interventionDate and interventionStartTime on {count} rows (line"
    " {line}: {cells} give {start}).",
)
GUIDS_DERIVED = Message(
    "guids_derived",
    "Intervention GUIDs derived from {columns} on {count} rows, as the file has no"
    " interventionGuid column (line {line}: {cells} give {guid}).",
)
DERIVED_GUID_SAME = Message(
    "derived_guid_same",
    "The file has no interventionGuid column: the GUID is derived from {columns}, which are"
    " the same on these lines.",
)
LABELS_FROM_GUIDS = Message(
    "labels_from_guids",
    "The file has no roomLabel column: a room created takes its roomGuid as its label; an"
    " existing room keeps its label.",
)
DURATIONS_FROM_END = Message(
    "durations_from_end",
    "Durations derived from the end (interventionEndTime{and_date}) minus the start on {count}"
    " rows (line {line}: {cells} give {hours}, {minutes} minutes).",
)
DURATION_NOT_VALID = Message(
    "duration_not_valid",
    "Duration {value} not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected.",
)
DURATION_NOT_VALID_MINUTES = Message(  # the provider's <durationUnit> is minutes
    "duration_minutes_not_valid", "Duration {value} not valid, minutes (90, 1h30, 1:30) expected."
)
DURATION_NOT_POSITIVE = Message(
    "duration_not_positive", "Duration {value} not valid, more than 0 expected."
)
DURATION_NOT_WHOLE_MINUTES = Message(
    "duration_not_whole_minutes", "Duration {value} not valid, a whole number of minutes expected."
)
DURATION_READ_AS_HOURS = Message(
    "duration_read_as_hours",
    "Duration {value} is read as {value} hours; if it is minutes, set"
    " <durationUnit>minutes</durationUnit>.",
)
DURATION_OVER_A_DAY = Message(
    "duration_over_a_day", "Duration {value} is read as {minutes} minutes, more than 24 hours."
)
CAPACITY_NOT_VALID = Message(
    "capacity_not_valid", "Capacity {value} not valid, a whole number expected."
)
FIELD_TOO_LONG = Message(
    "field_too_long", "Field {field} is too long ({length} characters, {limit} at most)."
)
FIELD_INVISIBLE_CHARACTERS = Message(
    "field_invisible_characters", "Field {field} contains invisible characters."
)
DUPLICATE_GUID = Message(
    "duplicate_guid", "Intervention with guid {value} appears on several lines ({lines})."
)
ROOM_CONFLICT = Message(
    "room_conflict",
    "Room with guid {value} has different labels or capacities in this file ({lines}).",
)
TEACHER_BOOKED = Message(
    "teacher_booked",
    "Teacher with login {login} is already booked by intervention {guid} ({start} to {end}).",
)
ROOM_BOOKED = Message(
    "room_booked",
    "Room with guid {room} is already booked by intervention {guid} ({start} to {end}).",
)
MORE_CONFLICTS = Message(
    "more_conflicts", "{count} more conflicts of this row ({resource}) are not listed."
)
UNKNOWN_CONFLICT_POLICY = Message(
    "unknown_conflict_policy", "Unknown conflict policy {value}, warn, error or ignore expected."
)
ROW_TOO_LONG = Message(
    "row_too_long", "Line has {count} cells, {expected} expected; the extra cells are ignored."
)
MORE_LONG_ROWS = Message(
    "more_long_rows", "{count} more lines have extra cells, which are ignored."
)

# File messages of ours (the file cannot be used; nothing is written).
FILE_EMPTY = Message("file_empty", "The file has no data rows.")
FILE_NOT_DECODABLE = Message(
    "file_not_decodable", "The file is not valid {encoding} (byte 0x{byte:02X})."
)
FILE_UTF16_WITHOUT_BOM = Message(
    "file_utf16_without_bom",
    "The file looks like {encoding} text without a byte order mark (every other byte is"
    " NUL), not {expected} text.",
)
FILE_BINARY = Message(
    "file_binary",
    "The file looks like a binary file, not {expected} text ({count} NUL characters,"
    " the first at this line and column).",
)
FILE_WRONG_KIND = Message("file_wrong_kind", "This is {kind}, not a {expected} file.")
FILE_NOT_TEXT = Message(
    "file_not_text",
    "This is not a text file: {count} of its first {size} bytes are control characters, which"
    " no CSV file holds. Choose the file the planning tool exported as CSV (or as xlsx/ods).",
)
FILE_OLE2_DOCUMENT = Message(
    "file_ole2_document",
    "This is a Word or old Excel (.xls) document, not a CSV file: save it as .xlsx or CSV.",
)
FILE_AUTO_ENCODING = Message(
    "file_auto_encoding",
    "The file is not valid UTF-8 and no encoding is configured: it was read as {encoding}.",
)
FILE_UNKNOWN_ENCODING = Message("unknown_encoding", "Unknown encoding {encoding}.")
FILE_UNKNOWN_FORMAT = Message(
    "file_unknown_format", "Unknown file format {value}: {expected} expected."
)
FILE_NOT_READABLE = Message("file_not_readable", "The file cannot be read as {format}: {reason}")
SHEET_NOT_FOUND = Message(
    "sheet_not_found", "The workbook has no sheet {sheet}; its sheets: {sheets}."
)
SHEET_READ = Message(
    "sheet_read", "Sheet {sheet} was read; the workbook's other sheets were not: {others}."
)
FILE_TOO_LARGE = Message("file_too_large", "The file is too large ({size} bytes, {limit} at most).")
FILE_TOO_MANY_ROWS = Message("file_too_many_rows", "The file has more than {limit} data rows.")
FILE_CSV_ERROR = Message("csv_malformed", "The CSV is malformed: {reason}.")
UNKNOWN_TIME_ZONE = Message("unknown_time_zone", "Unknown time zone {value}.")
DATABASE_ERROR = Message("database_error", "Database error, nothing was written: {reason}")
WRITTEN_MEANWHILE = Message(
    "written_meanwhile",
    "{count} rows were written by another import while this one ran; the counts are what this"
    " import did.",
)
HEADER_MISSING_COLUMN = Message(
    "header_missing_column", "Column {field} is missing from the header row."
)
HEADER_MISSING_ONE_OF = Message(
    "header_missing_one_of", "Column {first} or {second} is missing from the header row."
)
HEADER_NEEDS_COLUMN = Message(
    "header_needs_column", "Column {field} needs column {needed}, missing from the header row."
)
HEADER_DUPLICATE_COLUMN = Message(
    "header_duplicate_column", "Column {field} appears twice in the header row."
)
HEADER_SAME_COLUMN = Message(
    "header_same_column", 'Columns "{first}" and "{second}" of the header row are both {field}.'
)
# Not messages of their own: what follows a missing column's message (same code).
HEADER_CELLS_READ = "The header row read: {cells}."
HEADER_PROBABLY_MEANT = '"{cell}" is probably meant.'
DEFAULT_FOR_MISSING_COLUMN = Message(
    "default_for_missing_column",
    "The file has no column {column}: every row takes the configuration's default {value}.",
)
DEFAULT_FOR_EMPTY_CELLS = Message(
    "default_for_empty_cells",
    "{count} rows with an empty {column} take the configuration's default {value}.",
)
FIRST_ROW_DATA_NEEDS_COLUMNS = Message(
    "first_row_data_needs_columns",
    "The first row is data, so no header row names the columns: choose a configuration that"
    " lists them in order, or map them (docs/configuration.md).",
)
HEADER_LOOKS_LIKE_DATA = (
    "Line {line} looks like data, not a header row ({value}): a file without a header row is"
    " read with a configuration that lists its columns in order, with"
    " <skipFirstLine>no</skipFirstLine> (docs/configuration.md)."
)
FIRST_LINE_SKIPPED_LOOKS_LIKE_DATA = Message(
    "first_line_looks_like_data",
    "Line {line} is skipped as the header row, but it looks like data ({value} in column"
    " {column}): if the file has no header row, set <skipFirstLine>no</skipFirstLine>.",
)
HEADER_UNKNOWN_COLUMN = Message(
    "header_unknown_column", "Column {value} is not used and is ignored."
)

# The mapping step's defaults (imports/parsing/mapping.py): a default the import would refuse.
MAPPING_NO_DEFAULT = Message(
    "mapping_no_default", "Column {field} cannot have a default: it identifies each row."
)
MAPPING_DEFAULT_NOT_VALID = Message(
    "mapping_default_not_valid", "The default of {field} is not valid: {problem}"
)

ROWS_SKIPPED_BY_FIX = Message(
    "rows_skipped_by_fix", "{count} rows whose {column} is {value} were skipped (a fix)."
)
ROWS_SKIPPED_ON_LINES = Message(
    "rows_skipped_on_lines",
    "Rows skipped by a fix of {column} {value}: {count}, on {lines}.",
)

# The codes after which a door adds a hint of its own: the file's encoding is to be chosen.
ENCODING_CODES = frozenset({"file_not_decodable", "file_utf16_without_bom", "unknown_encoding"})

# Export messages (nothing is exported: no file, no partial file).
EXPORT_NOT_ENCODABLE = Message(
    "export_not_encodable",
    "Line {line}, intervention {guid}, column {column}: {value} cannot be written in {encoding}.",
)
EXPORT_NOT_WRITABLE = Message(
    "export_not_writable",
    "Line {line}, intervention {guid}, column {column}: {value} holds control characters"
    " that a spreadsheet file cannot hold.",
)
EXPORT_DATE_AMBIGUOUS = Message(
    "export_date_ambiguous",
    "Line {line}, intervention {guid}, column {column}: {value} happens twice in time zone"
    " {zone} (daylight saving change) and dateFormat {format} has no UTC offset.",
)
EXPORT_DATE_NOT_EXACT = Message(
    "export_date_not_exact",
    "Line {line}, intervention {guid}, column {column}: {value} cannot be written exactly"
    " with dateFormat {format}.",
)
# A configuration's <defaults> read the other way (export/defaults.py): refused before any line.
EXPORT_DEFAULT_DIFFERS = Message(
    "export_default_differs",
    'Configuration "{configuration}" does not write {column} and gives it the default'
    " {default}: {count} of the {total} interventions to export differ from it (the first:"
    " intervention {guid}, {value}); imported with this configuration, the file would give"
    " them {default}. Export with a configuration that writes {column} (or with none), or"
    " leave those interventions out.",
)
EXPORT_GUID_NOT_DERIVED = Message(
    "export_guid_not_derived",
    'Configuration "{configuration}" does not write interventionGuid: imported with it, each'
    " row takes the GUID derived from its slot, and {count} of the {total} interventions to"
    " export have another (the first: intervention {guid}); they would come back as new"
    " interventions. Export with a configuration that writes interventionGuid (or with none),"
    " or leave those interventions out.",
)
EXPORT_DEFAULT_FILLS_EMPTY = Message(
    "export_default_fills_empty",
    'Configuration "{configuration}" gives {column} the default {default}: {count} of the'
    " {total} interventions to export have no {column} (the first: intervention {guid}), and"
    " imported with this configuration, their empty cells would take {default}. Export with a"
    " configuration without this default (or with none), or leave those interventions out.",
)
# The HTTP API (imports/api/, docs/api.md): its own answers, each an
# application/problem+json body with this code. The job service's verdicts keep theirs.
API_NOT_AUTHENTICATED = Message(
    "api_not_authenticated",
    "Credentials are needed: send the header Authorization: Token <key>, or log in to the admin.",
)
API_TOKEN_NOT_VALID = Message(
    "api_token_not_valid", "This token is not valid: unknown, revoked or expired."
)
API_PERMISSION_DENIED = Message("api_permission_denied", "Permission denied: {needs}.")
API_NOT_FOUND = Message("api_not_found", "Not found: {path}.")
API_METHOD_NOT_ALLOWED = Message(
    "api_method_not_allowed", "Method {method} is not allowed here ({allowed})."
)
API_NOT_ACCEPTABLE = Message(
    "api_not_acceptable", "This API answers in JSON (application/json) only."
)
API_UNSUPPORTED_MEDIA_TYPE = Message(
    "api_unsupported_media_type",
    "A body of type {media_type} cannot be read here: send application/json or"
    " multipart/form-data.",
)
API_BODY_NOT_VALID = Message("api_body_not_valid", "The request body cannot be read: {reason}")
API_NOT_VALID = Message("api_not_valid", "The request is not valid: {fields}.")
API_THROTTLED = Message(
    "api_throttled", "Too many requests with these credentials: try again in {seconds} s."
)
API_REQUEST_TOO_LARGE = Message(
    "api_request_too_large", "The request body has {size} bytes, {limit} at most."
)
API_IDEMPOTENCY_KEY_NOT_VALID = Message(
    "api_idempotency_key_not_valid",
    "An Idempotency-Key is 1 to 255 printable ASCII characters.",
)
API_IDEMPOTENCY_KEY_REUSED = Message(
    "api_idempotency_key_reused",
    "Idempotency key {key} was used for another request in the last {hours} hours; use a"
    " new key for a new request.",
)
API_IDEMPOTENCY_IN_PROGRESS = Message(
    "api_idempotency_in_progress",
    "The first request with idempotency key {key} is still running; retry when it is done.",
)
API_DISCARD_NOT_OPEN = Message(
    "api_discard_not_open", "Only a preview can be discarded; this import is {status}."
)
API_CANCEL_NOT_IN_BACKGROUND = Message(
    "api_cancel_not_in_background",
    "Only a queued or running job can be cancelled; this import is {status}.",
)
API_ROWS_OR_FILE = Message(
    "api_rows_or_file", "Send a file (multipart, field file) or rows (JSON), not both."
)
API_ROW_NOT_VALID = Message("api_row_not_valid", "Row {index}, {column}: {reason}")
API_NO_TOKEN = Message(
    "api_no_token", "This request was not made with a token; nothing was revoked."
)
