"""The values of the configuration's options: yes/no, encodings, delimiters, paths, file
names, date formats.

Each reader appends a ``ConfigProblem`` (with the element's XML line) when the value is wrong.
Paths are relative to the data folder, which is known only at run time: here, whatever can
never be inside it is refused (an absolute path, a ``..`` component, a folder in a file name).
"""

import codecs
import re
from collections.abc import Iterator
from pathlib import PureWindowsPath

from lxml import etree

from .config_problems import ConfigProblem
from .messages import DATE_FORMAT_NOT_VALID

DELIMITERS = {"comma": ",", "semicolon": ";", "pipe": "|", "tab": "\t"}
DATE_TOKENS = {
    "YYYY": "%Y",
    "YY": "%y",
    "MM": "%m",
    "DD": "%d",
    "HH": "%H",
    "II": "%M",
    "SS": "%S",
    # ours (issue 27): a 12-hour clock, its AM/PM marker, a weekday name (English or French,
    # full or short, any case; it must be the date's weekday: ``moments``)
    "hh": "%I",
    "AA": "%p",
    "WW": "%A",
}
DURATION_UNITS = ("hours", "minutes")
DATE_SEPARATORS = " /_.:;,-"
PATHS_HINT = 'Paths are relative to the data folder (INTERVENTION_IMPORT["DATA_DIR"]).'
FILE_NAME_HAS_FOLDER = "File name {value} may not contain a folder."


def text_of(element: etree._Element) -> str:
    return (element.text or "").strip()


def children(element: etree._Element) -> Iterator[etree._Element]:
    return element.iterchildren(tag=etree.Element)


def unknown_element(element: etree._Element, where: str) -> ConfigProblem:
    return ConfigProblem(
        element.sourceline,
        f"Unknown element <{element.tag}> in <{where}>.",
        "Check its spelling against docs/configuration.md.",
        "imports.E004",
    )


def given_twice(element: etree._Element) -> ConfigProblem:
    return ConfigProblem(
        element.sourceline,
        f"<{element.tag}> is given twice.",
        "Keep one of them.",
        "imports.E012",
    )


def empty_value(element: etree._Element, hint: str) -> ConfigProblem:
    return ConfigProblem(element.sourceline, f"<{element.tag}> is empty.", hint, "imports.E024")


def read_yes_no(element: etree._Element | None, default: bool, problems: list) -> bool:
    if element is None:
        return default
    value = text_of(element).lower()
    if value not in {"yes", "no"}:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"<{element.tag}> has invalid value {text_of(element)}, yes or no expected.",
                "Write yes or no (in any case).",
                "imports.E017",
            )
        )
        return default
    return value == "yes"


def read_encoding(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return None
    try:
        return codecs.lookup(text_of(element)).name
    except LookupError:
        problems.append(
            ConfigProblem(
                element.sourceline, f"Unknown file encoding {text_of(element)}.", id="imports.E018"
            )
        )
    return None


def read_delimiter(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return DELIMITERS["semicolon"]
    name = text_of(element).lower()
    if name not in DELIMITERS:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"Unknown delimiter {text_of(element)}, {', '.join(DELIMITERS)} expected.",
                id="imports.E019",
            )
        )
        return None
    return DELIMITERS[name]


def is_absolute(value: str) -> bool:
    """A POSIX or Windows absolute path (``/x``, ``\\x``, ``C:\\x``, ``C:x``, ``//host/x``)."""
    return bool(PureWindowsPath(value).anchor)


def has_parent_step(value: str) -> bool:
    return ".." in re.split(r"[\\/]", value)


def is_plain_file_name(value: str) -> bool:
    """A name (wildcards allowed) without a folder: no separator, not ``.`` or ``..``."""
    return not ("/" in value or "\\" in value or value in {".", ".."})


def read_path(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return None
    value = text_of(element)
    if is_absolute(value):
        problems.append(
            ConfigProblem(
                element.sourceline, f"Path {value} is absolute.", PATHS_HINT, "imports.E022"
            )
        )
    elif has_parent_step(value):
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"Path {value} may not contain '..'.",
                PATHS_HINT,
                "imports.E020",
            )
        )
    return value


def read_file_name(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return None
    value = text_of(element)
    if not value:
        problems.append(empty_value(element, "Name the files, wildcards allowed (*.csv)."))
    elif not is_plain_file_name(value):
        problems.append(
            ConfigProblem(
                element.sourceline,
                FILE_NAME_HAS_FOLDER.format(value=value),
                "Put the folder in <path>; it is relative to the data folder.",
                "imports.E023",
            )
        )
    return value


DATE_FORMAT_HINT = (
    "Use YYYY, MM, DD, HH, II (minutes), SS, hh and AA (a 12-hour clock and its AM/PM),"
    " WW (a weekday name) and the separators ' /_.:;,-'."
)


def read_date_format(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return None
    pattern = date_pattern(text_of(element))
    if pattern is None:
        problems.append(
            ConfigProblem(
                element.sourceline,
                DATE_FORMAT_NOT_VALID.format(value=text_of(element)),
                DATE_FORMAT_HINT,
                "imports.E021",
            )
        )
    return pattern


def as_people_write(source: str) -> str:
    """A ``dateFormat`` as people write one, for the messages that show it: the minutes as
    ``MM`` (``DD/MM/YYYY HH:MM``), where the configuration writes ``II`` because its ``MM`` is
    the month. What a user types into a configuration or the date format option stays ``II``."""
    return re.sub(r"(?<![I])II(?![I])", "MM", source)


def date_pattern(source: str) -> str | None:
    """Turn ``DD/MM/YYYY HH:II`` into a strptime pattern, or None when not valid."""
    parts = re.findall(r"Y+|M+|D+|H+|h+|I+|S+|A+|W+|.", source)
    pattern = []
    for part in parts:
        if part in DATE_TOKENS:
            pattern.append(DATE_TOKENS[part])
        elif part in DATE_SEPARATORS:
            pattern.append(part)
        else:
            return None
    result = "".join(pattern)
    if (
        not all(token in result for token in ("%d", "%m"))
        or "%Y" not in result
        and "%y" not in result
    ):
        return None
    if ("%I" in result) != ("%p" in result) or ("%I" in result and "%H" in result):
        return None  # a 12-hour clock needs its AM/PM marker, and is not also a 24-hour one
    if any(result.count(token) > 1 for token in ("%A", "%p")):
        return None
    return result


def read_duration_unit(element: etree._Element | None, problems: list) -> str | None:
    """``<durationUnit>``: hours (the seed's) or minutes, in any case."""
    if element is None:
        return None
    value = text_of(element).lower()
    if value not in DURATION_UNITS:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"Unknown duration unit {text_of(element)}, hours or minutes expected.",
                "A bare number of interventionDuration is read in this unit (1h30 and"
                " 90 min say theirs).",
                "imports.E027",
            )
        )
        return None
    return value
