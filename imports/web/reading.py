"""The "Read with" line of a job page: what was chosen, else what was found.

Each part is the user's choice when there was one (an encoding, a delimiter, a date format, a
sheet), else what the run found (``ImportJob.read_with``: the encoding and the delimiter of a
CSV file, the order of its dates and what told it), else "automatic" (nothing to find, or a
job from before the runs said what they found). Reading only.
"""

from django.utils.translation import gettext, pgettext

from imports.jobs.models import ImportJob

from .forms import DELIMITER_CHOICES


def reading_parts(job: ImportJob) -> list[str]:
    """The parts of the line, in the page's language."""
    found = job.read_with or {}
    delimiters = dict(DELIMITER_CHOICES)
    parts = [
        _part(pgettext("file reading", "encoding"), job.encoding, found.get("encoding")),
        _part(
            pgettext("file reading", "delimiter"),
            str(delimiters.get(job.delimiter, job.delimiter)) if job.delimiter else "",
            str(delimiters.get(found.get("delimiter", ""), "")) or None,
        ),
        _part(pgettext("file reading", "date format"), job.date_format, _date_order(found)),
    ]
    if job.sheet:
        parts.append(f"{pgettext('file reading', 'sheet')} {job.sheet}")
    return parts


def _part(name: str, chosen: str, found: str | None) -> str:
    if chosen:
        return f"{name} {chosen}"
    if found:
        return gettext("{name} {value} (found)").format(name=name, value=found)
    return f"{name} {pgettext('file reading', 'automatic')}"


def _date_order(found: dict[str, str]) -> str | None:
    """The order the dates were read in and what told it; None when no date needed one."""
    texts = {
        ("day", "file"): gettext("day first, as a date of the file tells"),
        ("month", "file"): gettext("month first, as a date of the file tells"),
        ("day", "language"): gettext("day first, as the site's language writes dates"),
        ("month", "language"): gettext("month first, as the site's language writes dates"),
        ("day", "setting"): gettext("day first, as the DATE_ORDER setting says"),
        ("month", "setting"): gettext("month first, as the DATE_ORDER setting says"),
    }
    return texts.get((found.get("date_order", ""), found.get("date_order_by", "")))
