"""Every message the importer shows, in one place.

The first group is the seed system's wording, kept word for word; the others are ours,
written in the same style. ``{}`` placeholders are filled with the offending values.
"""

MAX_SHOWN_VALUE = 80


def shorten(value: str) -> str:
    """A value as quoted in a message: whole up to 80 characters, then cut with an ellipsis."""
    return value if len(value) <= MAX_SHOWN_VALUE else value[: MAX_SHOWN_VALUE - 1] + "…"


# The seed's messages (exact wording).
FIELD_EMPTY = "Field {field} is empty."
TRAINING_GUID_NOT_FOUND = "Training with guid {value} is not found."
TRAINING_PATH_CODE_NOT_FOUND = "Training with path code {value} is not found."
SESSION_GUID_NOT_FOUND = "Session with guid {value} is not found for this training."
SESSION_TITLE_NOT_FOUND = "Session with title {value} is not found for this training."
DATE_NOT_VALID = "Date {value} not valid."
TEACHER_NOT_FOUND = "Teacher with login {value} is not found."
STATUS_NOT_VALID = "Status has invalid value {value}, {active} or {cancelled} expected."

# Row messages of ours.
SESSION_TITLE_AMBIGUOUS = (
    "Session with title {value} matches {count} sessions of this training, use sessionGuid."
)
DATE_DOES_NOT_EXIST = (
    "Date {value} not valid: it does not exist in time zone {zone} (daylight saving change)."
)
DATE_AMBIGUOUS = (
    "Date {value} not valid: it is ambiguous in time zone {zone} (daylight saving change),"
    " give its UTC offset."
)
DURATION_NOT_VALID = "Duration {value} not valid, a whole number of hours (1 or more) expected."
CAPACITY_NOT_VALID = "Capacity {value} not valid, a whole number expected."
FIELD_TOO_LONG = "Field {field} is too long ({length} characters, {limit} at most)."
FIELD_INVISIBLE_CHARACTERS = "Field {field} contains invisible characters."
DUPLICATE_GUID = "Intervention with guid {value} appears on several lines ({lines})."
ROOM_CONFLICT = "Room with guid {value} has different labels or capacities in this file ({lines})."
ROW_TOO_LONG = "Line has {count} cells, {expected} expected; the extra cells are ignored."
MORE_LONG_ROWS = "{count} more lines have extra cells, which are ignored."

# File messages of ours (the file cannot be used; nothing is written).
FILE_EMPTY = "The file has no data rows."
FILE_NOT_DECODABLE = (
    "The file is not valid {encoding} (byte 0x{byte:02X}); choose its encoding (--encoding)."
)
FILE_NUL_CHARACTER = (
    "The file contains a NUL character, it is not a text file in {encoding};"
    " choose its encoding (--encoding)."
)
FILE_UNKNOWN_FORMAT = "Unknown file format {value}, csv, xlsx or ods expected."
FILE_NOT_READABLE = "The file cannot be read as {format}: {reason}"
FILE_TOO_LARGE = "The file is too large ({size} bytes, {limit} at most)."
FILE_TOO_MANY_ROWS = "The file has more than {limit} data rows."
FILE_CSV_ERROR = "The CSV is malformed: {reason}."
HEADER_MISSING_COLUMN = "Column {field} is missing from the header row."
HEADER_MISSING_ONE_OF = "Column {first} or {second} is missing from the header row."
HEADER_DUPLICATE_COLUMN = "Column {field} appears twice in the header row."
HEADER_UNKNOWN_COLUMN = "Column {value} is not used and is ignored."
