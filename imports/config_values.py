"""The values of the provider's options: yes/no, encodings, delimiters, paths, date formats.

Each reader appends a ``ConfigProblem`` (with the element's XML line) when the value is wrong.
"""

import codecs
import re

from lxml import etree

from .config_problems import ConfigProblem

DELIMITERS = {"comma": ",", "semicolon": ";", "pipe": "|", "tab": "\t"}
DATE_TOKENS = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d", "HH": "%H", "II": "%M", "SS": "%S"}
DATE_SEPARATORS = " /_.:;,-"


def text_of(element: etree._Element) -> str:
    return (element.text or "").strip()


def read_yes_no(element: etree._Element | None, default: bool, problems: list) -> bool:
    if element is None:
        return default
    value = text_of(element).lower()
    if value not in {"yes", "no"}:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"<{element.tag}> has invalid value {text_of(element)}, yes or no expected.",
                id="imports.E017",
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


def read_path(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return None
    value = text_of(element)
    if ".." in re.split(r"[\\/]", value):
        problems.append(
            ConfigProblem(
                element.sourceline, f"Path {value} may not contain '..'.", id="imports.E020"
            )
        )
    return value


def read_date_format(element: etree._Element | None, problems: list) -> str | None:
    if element is None:
        return None
    pattern = date_pattern(text_of(element))
    if pattern is None:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"Date format {text_of(element)} not valid.",
                "Use YYYY, MM, DD, HH, II (minutes), SS and the separators ' /_.:;,-'.",
                "imports.E021",
            )
        )
    return pattern


def date_pattern(source: str) -> str | None:
    """Turn ``DD/MM/YYYY HH:II`` into a strptime pattern, or None when not valid."""
    parts = re.findall(r"Y+|M+|D+|H+|I+|S+|.", source)
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
    return result
