"""A date-time as a person reads it, in the active language: the one way every admin page,
the error report, the command's text lines and the e-mail report show one (issue 28).

The format is the language's ``DATETIME_FORMAT`` (``config/formats/``: ``10/03/2027 09:00`` in
French, ``03/10/2027 09:00`` in English), with the seconds when there are some; a date alone is
the language's ``SHORT_DATE_FORMAT``. Moments are shown in the site's time zone, which each
page names once. What programs read keeps the engine's form (``moments.shown_moment``:
``2027-03-10 09:00``): ``--json``, the batch error log, the stored English text.
"""

import datetime as dt

from django.utils import formats


def moment_text(moment: dt.datetime) -> str:
    """``moment`` (already in the zone it is shown in) as the active language writes it."""
    text = formats.date_format(moment, "DATETIME_FORMAT")
    return f"{text}:{moment.second:02}" if moment.second else text


def date_text(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def engine_moment_text(value: str) -> str:
    """A moment a message's parameter holds in the engine's form (``2027-03-10 09:00``,
    ``2027-03-10``), as the active language writes it; any other text as it is."""
    try:
        if ":" not in value:  # a day alone
            return date_text(dt.date.fromisoformat(value))
        return moment_text(dt.datetime.fromisoformat(value))
    except ValueError:
        return value
