"""The ``<consolidators>`` of an ``<import>``, every option checked when the XML is parsed.

Each consolidator accepts the options listed in ``CONSOLIDATORS`` (the spec's list: the error
log's folder, the backup folder and its optional time stamp, the report's addresses and its
optional error log, nothing for the time logger). Their values are checked here, not when the
pipeline reaches them: a configuration is refused as a whole before anything runs.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from lxml import etree

from .config_problems import ConfigProblem
from .config_values import (
    children,
    empty_value,
    given_twice,
    read_path,
    read_yes_no,
    text_of,
    unknown_element,
)

OptionReader = Callable[[etree._Element, list[ConfigProblem]], str]
Options = tuple[tuple[str, str], ...]
EMAIL_REPORT = "emailReportConsolidator"
# An option left out means this folder (inside the data folder).
DEFAULT_FOLDERS = {"location": "logs", "backupFolder": "backup"}
REPEATABLE = frozenset({"targetEmail"})


def read_folder(element: etree._Element, problems: list[ConfigProblem]) -> str:
    """A folder relative to the data folder; empty is refused (leave it out for the default)."""
    value = text_of(element)
    if not value:
        default = DEFAULT_FOLDERS[element.tag]
        problems.append(empty_value(element, f"Leave it out for the default folder ({default})."))
        return value
    return read_path(element, problems) or value


def read_flag(element: etree._Element, problems: list[ConfigProblem]) -> str:
    """``yes`` or ``no``, normalised to lower case."""
    return "yes" if read_yes_no(element, False, problems) else "no"


def read_email(element: etree._Element, problems: list[ConfigProblem]) -> str:
    value = text_of(element)
    if not value:
        problems.append(empty_value(element, "Give one e-mail address per <targetEmail>."))
        return value
    try:
        validate_email(value)
    except ValidationError:
        problems.append(
            ConfigProblem(
                element.sourceline,
                f"E-mail address {value} not valid.",
                "Give one e-mail address per <targetEmail>.",
                "imports.E025",
            )
        )
    return value


# Consolidators, in the order the seed system runs them, with the options each accepts.
CONSOLIDATORS: dict[str, dict[str, OptionReader]] = {
    "timeStampedErrorLogConsolidator": {"location": read_folder},
    "moveToBackupConsolidator": {"backupFolder": read_folder, "addTimeStamp": read_flag},
    EMAIL_REPORT: {"targetEmail": read_email, "attachErrorLog": read_flag},
    "timeLoggerConsolidator": {},
}


def read_consolidators(
    element: etree._Element, problems: list[ConfigProblem]
) -> tuple[tuple[str, Options], ...]:
    """``((consolidator, ((option, value), …)), …)`` in the seed's order."""
    found: list[tuple[str, Options]] = []
    for consolidator in children(element):
        readers = CONSOLIDATORS.get(consolidator.tag)
        if readers is None:
            problems.append(unknown_element(consolidator, "consolidators"))
        elif any(name == consolidator.tag for name, _ in found):
            problems.append(given_twice(consolidator))
        else:
            found.append((consolidator.tag, _read_options(consolidator, readers, problems)))
    order = list(CONSOLIDATORS)
    return tuple(sorted(found, key=lambda item: order.index(item[0])))


def _read_options(
    consolidator: etree._Element, readers: dict[str, OptionReader], problems: list[ConfigProblem]
) -> Options:
    options: list[tuple[str, str]] = []
    for option in children(consolidator):
        reader = readers.get(option.tag)
        if reader is None:
            problems.append(unknown_element(option, consolidator.tag))
        elif option.tag not in REPEATABLE and any(name == option.tag for name, _ in options):
            problems.append(given_twice(option))
        else:
            options.append((option.tag, reader(option, problems)))
    if consolidator.tag == EMAIL_REPORT and not any(n == "targetEmail" for n, _ in options):
        problems.append(
            ConfigProblem(
                consolidator.sourceline,
                f"<{EMAIL_REPORT}> has no <targetEmail>.",
                "Give one <targetEmail> per address.",
                "imports.E026",
            )
        )
    return tuple(options)
