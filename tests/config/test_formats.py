"""One way to show a date-time per language (config/formats/, issue 28): the day and the month
in the order the language reads them, a 24-hour clock, Django's own pages and ours alike."""

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from imports.conf import DAY_FIRST, language_date_order
from imports.parsing.messages import TEACHER_BOOKED, render
from imports.parsing.shown_moments import engine_moment_text, moment_text

MOMENT = dt.datetime(2027, 3, 10, 14, 5)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_each_language_shows_day_and_month_in_the_order_it_reads_them(language):
    with translation.override(language):
        shown = formats.get_format("DATETIME_FORMAT")
        assert formats.get_format("SHORT_DATETIME_FORMAT") == shown
    day_first = shown.index("d") < shown.index("m")
    assert day_first == (language_date_order(language) == DAY_FIRST)
    assert shown.endswith("H:i")  # a 24-hour clock, as the calendar's times


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "03/10/2027 14:05"), ("fr", "10/03/2027 14:05")]
)
def test_ours_and_django_s_templates_show_a_moment_the_same_way(language, expected):
    with translation.override(language):
        assert moment_text(MOMENT) == expected
        assert Template("{{ moment }}").render(Context({"moment": MOMENT})) == expected
        assert engine_moment_text("2027-03-10 14:05") == expected


def test_seconds_are_kept_a_date_alone_is_a_date_and_other_text_is_left_alone():
    with translation.override("fr"):
        assert moment_text(MOMENT.replace(second=30)) == "10/03/2027 14:05:30"
        assert engine_moment_text("2027-03-10") == "10/03/2027"
        assert engine_moment_text("next Tuesday") == "next Tuesday"


def test_a_message_s_moments_are_shown_the_language_s_way_its_english_text_kept():
    message = TEACHER_BOOKED.format(
        login="jdoe", guid="IV-2", start="2027-03-10 09:00", end="2027-03-10 12:00"
    )
    assert "(2027-03-10 09:00 to 2027-03-10 12:00)" in message  # what programs read
    with translation.override("fr"):
        assert "(de 10/03/2027 09:00 à 10/03/2027 12:00)" in render(message.parts, message)
    with translation.override("en"):
        assert "(03/10/2027 09:00 to 03/10/2027 12:00)" in render(message.parts, message)
