"""The date format a column's dates are written in, as the mapping step saves it."""

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from imports.parsing.config import HEADER_CONFIG
from imports.parsing.written_dates import date_format_read

PARIS = ZoneInfo("Europe/Paris")
WITH_START_TIME = replace(HEADER_CONFIG, fields=HEADER_CONFIG.fields | {"interventionStartTime"})


@pytest.mark.parametrize(
    ("dates", "config", "site", "expected"),
    [
        (["10/03/2027 09:00", "11/03/2027 14:30"], HEADER_CONFIG, "day", "DD/MM/YYYY HH:II"),
        (["10/03/2027 09:00", "11/03/2027 14:30"], HEADER_CONFIG, "month", "MM/DD/YYYY HH:II"),
        # a date of the file tells, whatever the site
        (["10/03/2027 09:00", "25/03/2027 14:30"], HEADER_CONFIG, "month", "DD/MM/YYYY HH:II"),
        (["10/03/2027 09:00:30"], HEADER_CONFIG, "day", "DD/MM/YYYY HH:II:SS"),
        (
            ["03/04/2027 9:00 AM", "03/04/2027 1:30 PM"],
            HEADER_CONFIG,
            "month",
            "MM/DD/YYYY hh:II AA",
        ),
        (["10.03.2027", "11.03.2027"], WITH_START_TIME, "day", "DD.MM.YYYY"),
        (["10-03-2027", "11-03-2027"], WITH_START_TIME, "day", "DD-MM-YYYY"),
        (["Jeudi 04/03/2027", "vendredi 05/03/2027"], WITH_START_TIME, "day", "WW DD/MM/YYYY"),
        # no start time column: a format without a time of day would mean 00:00, never chosen
        (["10.03.2027", "11.03.2027"], HEADER_CONFIG, "day", None),
        (["2027-03-04 09:00"], HEADER_CONFIG, "day", None),  # ISO 8601: no format needed
        (["10/03/2027 09:00"], HEADER_CONFIG, None, None),  # no order known: none saved
        (["10/03/2027 09:00", "2027-03-11 09:00"], HEADER_CONFIG, "day", None),  # mixed
        ([], HEADER_CONFIG, "day", None),
    ],
)
def test_the_format_that_reads_every_date(dates, config, site, expected):
    assert date_format_read(dates, config, PARIS, site_order=site) == expected
