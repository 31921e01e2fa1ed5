"""The calendar (issue 29 §3): a job's file week by week (each block by what the file does to
it, its conflicts in words), the interventions list's calendar with its filters and search,
its .ics download, the weeks, the permissions; reading only."""

import datetime as dt
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from imports.engine import ImportOptions, run_import
from imports.jobs.models import ImportJob, ImportJobRow
from imports.web import calendar_job
from imports.web.calendar_grid import Block, lay_out, parse_day, week_of
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    IMPORTER_PERMS,
    client_for,
    confirm_url,
    make_user,
    post,
    preview_url,
    upload,
)
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")

UTC = ZoneInfo("UTC")
# In the database: IV-1 Monday 1 March 2027 09:00, IV-2 Tuesday, IV-3 Wednesday (3 h each,
# teacher jdoe, room R-101).
STORED = [
    make_row(),
    make_row(interventionGuid="IV-2", interventionDate="2027-03-02T09:00:00"),
    make_row(interventionGuid="IV-3", interventionDate="2027-03-03T09:00:00"),
]
# The file: IV-1 moved to 10:00 and shortened, IV-2 to room R-102 and cancelled, IV-3 as it
# is, IV-9 new on Thursday (bmartin, R-102), IV-8 new and cancelled on Friday.
FILE = [
    make_row(interventionDate="2027-03-01T10:00:00", interventionDuration="2"),
    make_row(
        interventionGuid="IV-2",
        interventionDate="2027-03-02T09:00:00",
        roomGuid="R-102",
        roomLabel="Room 102",
        interventionStatus="C",
    ),
    make_row(interventionGuid="IV-3", interventionDate="2027-03-03T09:00:00"),
    make_row(
        interventionGuid="IV-9",
        interventionDate="2027-03-04T14:00:00",
        teacherLogin="bmartin",
        roomGuid="R-102",
        roomLabel="Room 102",
    ),
    make_row(
        interventionGuid="IV-8", interventionDate="2027-03-05T09:00:00", interventionStatus="C"
    ),
]


class Blocks(HTMLParser):
    """The page's blocks: each element with ``data-guid`` (its attributes and text), and the
    old places (``data-was``)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.blocks: dict[str, dict] = {}
        self.old: list[str] = []
        self._open: dict | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._open is not None:
            self._depth += 1
        elif "data-guid" in attributes and "calendar-block" in (attributes.get("class") or ""):
            self._open = {**attributes, "text": ""}
            self._depth = 1
            self.blocks[attributes["data-guid"]] = self._open
        elif "data-was" in attributes:
            self.old.append(attributes["data-was"])

    def handle_endtag(self, tag):
        if self._open is not None:
            self._depth -= 1
            if not self._depth:
                self._open["text"] = " ".join(self._open["text"].split())
                self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def store(rows=STORED) -> None:
    run_import(csv_bytes(rows), "stored.csv", options=ImportOptions())


def preview(client, rows=FILE, **fields) -> ImportJob:
    upload(client, csv_bytes(rows), **fields)
    return ImportJob.objects.latest("pk")


def calendar_url(job: ImportJob, **params: str) -> str:
    url = reverse("admin:training_intervention_import_calendar", args=[job.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def blocks_of(response) -> Blocks:
    assert response.status_code == 200
    return Blocks(response.content.decode())


# The job's calendar: states


def test_each_block_says_what_the_file_does_to_it(client):
    store()
    job = preview(client)
    page = blocks_of(client.get(calendar_url(job)))
    states = {guid: block["data-state"] for guid, block in page.blocks.items()}
    assert states == {
        "IV-1": "updated",
        "IV-2": "cancelled",
        "IV-3": "unchanged",
        "IV-9": "new",
        "IV-8": "cancelled",
    }
    assert page.old == ["IV-1"]  # its old place, faded
    text = {guid: block["text"] for guid, block in page.blocks.items()}
    assert "10:00–12:00" in text["IV-1"] and "moved from 03/01/2027 09:00" in text["IV-1"]
    assert "duration 3 → 2" in text["IV-1"]
    assert "cancelled" in text["IV-2"] and "room R-101 → R-102" in text["IV-2"]
    assert "Room 102" in text["IV-2"]  # the file's label of its room
    assert "left as it is" in text["IV-3"]
    assert "created" in text["IV-9"] and "bmartin" in text["IV-9"] and "Spring 2027" in text["IV-9"]
    assert "created, cancelled" in text["IV-8"]
    assert "calendar-cancelled" in page.blocks["IV-2"]["class"]
    assert "calendar-cancelled" not in page.blocks["IV-3"]["class"]


def test_a_changed_block_without_a_move_keeps_no_old_place(client):
    store()
    job = preview(client, [make_row(teacherLogin="bmartin")])
    page = blocks_of(client.get(calendar_url(job)))
    assert page.blocks["IV-1"]["data-state"] == "updated"
    assert "changed" in page.blocks["IV-1"]["text"]
    assert "teacher jdoe → bmartin" in page.blocks["IV-1"]["text"]
    assert page.old == []


def test_an_imported_job_shows_what_its_file_did(client):
    store()
    job = preview(client)
    post(client, confirm_url(job.pk), {"strict": ""})
    job.refresh_from_db()
    assert job.status == "imported"
    page = blocks_of(client.get(calendar_url(job)))
    assert page.blocks["IV-1"]["data-state"] == "updated"
    assert "10:00–12:00" in page.blocks["IV-1"]["text"]
    assert page.old == ["IV-1"]
    assert page.blocks["IV-9"]["data-state"] == "new"


def test_a_block_cancelled_as_missing(client, monkeypatch):
    """The outcome of issue 29 §1 maps to ``cancelled-missing`` in one place."""
    monkeypatch.setitem(calendar_job.OUTCOME_STATES, "missing", "cancelled-missing")
    store()
    job = preview(client, [make_row()])
    ImportJobRow.objects.create(job=job, line=0, guid="IV-2", outcome="missing")
    page = blocks_of(client.get(calendar_url(job)))
    block = page.blocks["IV-2"]
    assert block["data-state"] == "cancelled-missing"
    assert "cancelled: missing from the complete schedule" in block["text"]
    assert "calendar-cancelled" in block["class"]


def test_an_intervention_the_file_cancels_as_missing(client):
    """Issue 29 §1 keeps each one as a problem of the job (no line, its GUID the value,
    code ``cancelled_missing``): drawn where it is, struck through, in the file's weeks."""
    store([*STORED, make_row(interventionGuid="IV-7", interventionDate="2027-03-15T09:00")])
    job = preview(client, [make_row()])
    for guid in ("IV-2", "IV-7"):
        job.errors.create(
            line=None,
            column="interventionGuid",
            value=guid,
            message=f"Intervention {guid} … cancelled as missing.",
            level="WARNING",
            code=calendar_job.MISSING_CODE,
        )
    page = blocks_of(client.get(calendar_url(job)))
    assert {g: b["data-state"] for g, b in page.blocks.items()} == {
        "IV-1": "unchanged",
        "IV-2": "cancelled-missing",
    }
    assert "cancelled: missing from the complete schedule" in page.blocks["IV-2"]["text"]
    assert "calendar-cancelled" in page.blocks["IV-2"]["class"]
    html = client.get(calendar_url(job)).content.decode()
    assert link(html, "week-last").endswith("?week=2027-03-14")  # IV-7's week
    assert list(blocks_of(client.get(link(html, "week-last"))).blocks) == ["IV-7"]


def test_rows_with_errors_are_not_blocks_and_the_page_says_so(client):
    job = preview(client, [make_row(), make_row(interventionGuid="IV-2", teacherLogin="nobody")])
    response = client.get(calendar_url(job))
    assert list(blocks_of(response).blocks) == ["IV-1"]
    assert "1 row with errors is not shown" in response.content.decode()


def test_a_job_row_keeps_the_place_the_file_gives():
    store()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports import jobs

    job = jobs.create_job(SimpleUploadedFile("f.csv", csv_bytes(FILE)), None)
    jobs.preview_job(job)
    places = dict(job.rows.values_list("guid", "start_epoch"))
    olds = dict(job.rows.values_list("guid", "old_start_epoch"))
    epoch = lambda text: int(dt.datetime.fromisoformat(text + "+00:00").timestamp())  # noqa: E731
    assert places == {
        "IV-1": epoch("2027-03-01T10:00:00"),
        "IV-2": None,
        "IV-3": None,
        "IV-9": epoch("2027-03-04T14:00:00"),
        "IV-8": epoch("2027-03-05T09:00:00"),
    }
    assert olds == {"IV-1": epoch("2027-03-01T09:00:00"), "IV-2": None, "IV-3": None} | {
        "IV-9": None,
        "IV-8": None,
    }


# Conflicts


def test_conflicts_are_red_with_words(client):
    job = preview(client, [make_row(), make_row(interventionGuid="IV-2")])
    page = blocks_of(client.get(calendar_url(job)))
    for guid, other, line in (("IV-1", "IV-2", 3), ("IV-2", "IV-1", 2)):
        block = page.blocks[guid]
        assert block["data-conflict"] == "teacher room"
        assert f"Conflict: teacher jdoe is also booked by {other} (line {line})" in block["text"]
        assert f"Conflict: room R-101 is also booked by {other} (line {line})" in block["text"]
        assert "calendar-in-conflict" in block["class"]


def test_a_conflict_with_the_database_shows_the_other_intervention(client):
    store([make_row()])
    job = preview(client, [make_row(interventionGuid="IV-2", interventionDate="2027-03-01T10:00")])
    page = blocks_of(client.get(calendar_url(job)))
    assert (
        "Conflict: teacher jdoe is also booked by IV-1 (in the database)"
        in (page.blocks["IV-2"]["text"])
    )
    stored = page.blocks["IV-1"]
    assert stored["data-state"] == "unchanged"
    assert "in the database, not in the file" in stored["text"]
    assert "Conflict: teacher jdoe is also booked by line 2" in stored["text"]
    assert stored["data-conflict"] == "teacher room"


def test_blocks_without_conflict_have_no_conflict_attribute(client):
    store()
    page = blocks_of(client.get(calendar_url(preview(client))))
    assert [g for g, b in page.blocks.items() if "data-conflict" in b] == []


# Following a teacher or a room


def test_follow_a_teacher_or_a_room(client):
    store()
    job = preview(client)
    teacher = blocks_of(client.get(calendar_url(job, teacher="bmartin")))
    assert list(teacher.blocks) == ["IV-9"]
    room = blocks_of(client.get(calendar_url(job, room="R-102")))
    assert sorted(room.blocks) == ["IV-2", "IV-9"]
    html = client.get(calendar_url(job, teacher="bmartin")).content.decode()
    assert "Only the interventions of teacher bmartin." in html
    assert '<option value="bmartin" selected>' in html
    # the week links keep following the teacher
    assert re.search(r'id="week-next"', html)
    assert "teacher=bmartin" in re.search(r'href="([^"]+)" id="week-next"', html).group(1)


def test_follow_someone_with_nothing_this_week(client):
    store()
    job = preview(client)
    response = client.get(calendar_url(job, teacher="nobody"))
    assert blocks_of(response).blocks == {}
    assert "Nothing in this week." in response.content.decode()


# Weeks


SPREAD = [
    make_row(interventionDate="2027-03-01T09:00:00"),
    make_row(interventionGuid="IV-2", interventionDate="2027-03-10T09:00:00"),
    make_row(interventionGuid="IV-3", interventionDate="2027-03-24T09:00:00"),
]


def link(html: str, ident: str) -> str:
    found = re.search(rf'href="([^"]+)" id="{ident}"', html)
    assert found, ident
    return found.group(1).replace("&amp;", "&")


def test_the_first_week_by_default_and_links_to_the_first_and_last(client):
    job = preview(client, SPREAD)
    html = client.get(calendar_url(job)).content.decode()
    assert list(Blocks(html).blocks) == ["IV-1"]
    assert link(html, "week-first").endswith("?week=2027-02-28")  # en-us: Sunday first
    assert link(html, "week-last").endswith("?week=2027-03-21")
    last = client.get(link(html, "week-last"))
    assert list(blocks_of(last).blocks) == ["IV-3"]
    middle = client.get(link(html, "week-next"))
    assert list(blocks_of(middle).blocks) == ["IV-2"]


def test_a_week_with_nothing_says_so(client):
    job = preview(client, SPREAD)
    response = client.get(calendar_url(job, week="2027-03-15"))
    assert blocks_of(response).blocks == {}
    assert 'id="calendar-empty"' in response.content.decode()
    assert "Nothing in this week." in response.content.decode()


def test_week_holds_the_day_given(client):
    job = preview(client, SPREAD)
    html = client.get(calendar_url(job, week="2027-03-12")).content.decode()
    assert list(Blocks(html).blocks) == ["IV-2"]
    assert 'data-day="2027-03-07"' in html and 'data-day="2027-03-13"' in html


@pytest.mark.parametrize("value", ["yesterday", "2027-02-30", "9999-12-31", "0001-01-01", "%00"])
def test_a_bad_week_is_a_message_and_the_first_week(client, value):
    job = preview(client, SPREAD)
    response = client.get(calendar_url(job, week=value))
    assert response.status_code == 200
    assert 'id="calendar-note"' in response.content.decode()
    assert "is not a day written YYYY-MM-DD: the first week is shown." in (
        response.content.decode()
    )
    assert list(blocks_of(response).blocks) == ["IV-1"]


def test_a_job_without_a_row_to_show(client):
    job = preview(client, [make_row(teacherLogin="nobody")])
    response = client.get(calendar_url(job))
    assert "The file has no row to show" in response.content.decode()
    assert 'id="week-first"' not in response.content.decode()


def test_the_week_begins_on_the_locales_first_day():
    day = dt.date(2027, 3, 3)  # a Wednesday
    assert week_of(day, UTC).first == dt.date(2027, 2, 28)  # en-us: Sunday
    with translation.override("fr"):
        assert week_of(day, UTC).first == dt.date(2027, 3, 1)  # French: Monday


def test_the_days_a_week_may_be_drawn_around():
    assert parse_day("2027-03-01") == dt.date(2027, 3, 1)
    assert parse_day(" 2027-03-01 ") == dt.date(2027, 3, 1)
    assert [parse_day(v) for v in ("", "2027-13-01", "9999-12-30", "0001-01-02")] == [None] * 4


def test_the_week_is_drawn_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    job = preview(client, [make_row(interventionDate="2027-03-06T23:30:00")])  # a Saturday
    html = client.get(calendar_url(job)).content.decode()
    day = re.search(r'role="cell" data-day="2027-03-06">(.*?)</div></div>', html, re.S)
    assert day and 'data-guid="IV-1"' in day.group(1)
    assert "23:30–00:00&hellip;" in html  # cut at midnight, and says it goes on


# The grid


def block(guid: str, start: str, minutes: int) -> Block:
    moment = dt.datetime.fromisoformat(start).replace(tzinfo=UTC)
    return Block(guid, "new", moment, minutes, "t", "jdoe", "R-101", "Room")


def test_overlapping_blocks_stand_side_by_side():
    week = week_of(dt.date(2027, 3, 1), UTC)
    grid = lay_out(
        [
            block("A", "2027-03-01T09:00", 120),
            block("B", "2027-03-01T10:00", 120),
            block("C", "2027-03-01T11:00", 60),  # after A: A's lane
            block("D", "2027-03-01T13:00", 60),  # alone
        ],
        week,
    )
    styles = {p.block.guid: p.style for c in grid.columns for p in c.placed}
    assert "left:0.000%;width:50.000%" in styles["A"]
    assert "left:50.000%;width:50.000%" in styles["B"]
    assert "left:0.000%;width:50.000%" in styles["C"]
    assert "left:0.000%;width:100.000%" in styles["D"]
    assert grid.hours == list(range(8, 18))
    assert "top:10.000%;height:20.000%" in styles["A"]  # 09:00 in 08:00-18:00, 2 h


def test_the_hours_grow_to_hold_the_blocks():
    week = week_of(dt.date(2027, 3, 1), UTC)
    grid = lay_out([block("A", "2027-03-01T06:30", 60), block("B", "2027-03-02T19:00", 90)], week)
    assert grid.hours == list(range(6, 21))


# Reading only, and a bounded number of queries


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE")] + [
        q["sql"] for q in queries if q["sql"].upper().startswith("DELETE")
    ]


def test_the_calendar_reads_only_and_its_queries_do_not_grow_with_the_rows(client):
    small = preview(client, [make_row(interventionGuid=f"A-{i}") for i in range(3)])
    rows = [
        make_row(interventionGuid=f"B-{i}", teacherLogin="bmartin" if i % 2 else "jdoe")
        for i in range(60)
    ]
    large = preview(client, rows)
    client.get(calendar_url(small))  # the session and the admin's caches
    counts = []
    for job in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(calendar_url(job)).status_code == 200
        assert writes(queries.captured_queries) == []
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Permissions


def test_the_job_calendar_is_for_importers_and_job_viewers(client):
    job = preview(client, [make_row()])
    url = calendar_url(job)
    importer = client_for(make_user("importer", IMPORTER_PERMS))
    viewer = client_for(make_user("viewer", ("imports.view_importjob",)))
    other = client_for(make_user("other", ("training.view_intervention",)))
    assert importer.get(url).status_code == 200
    assert viewer.get(url).status_code == 200
    assert other.get(url).status_code == 403


def test_the_preview_and_the_job_page_link_the_calendar(client):
    job = preview(client, [make_row()])
    for url in (preview_url(job.pk), reverse("admin:imports_importjob_change", args=[job.pk])):
        html = client.get(url).content.decode()
        assert f'href="{calendar_url(job)}" id="calendar-link"' in html


# The interventions list's calendar


def list_url(name: str = "calendar", **params: str) -> str:
    url = reverse(f"admin:training_intervention_{name}")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def stored_week() -> None:
    store(
        [
            *STORED,
            make_row(
                interventionGuid="IV-4",
                interventionDate="2027-03-04T09:00:00",
                teacherLogin="bmartin",
                roomGuid="R-102",
                roomLabel="Room 102",
                interventionStatus="C",
            ),
            make_row(interventionGuid="IV-5", interventionDate="2027-03-12T09:00:00"),
        ]
    )


def test_the_list_calendar_shows_the_week_of_what_the_list_shows(client):
    stored_week()
    page = blocks_of(client.get(list_url(week="2027-03-01")))
    assert {g: b["data-state"] for g, b in page.blocks.items()} == {
        "IV-1": "unchanged",
        "IV-2": "unchanged",
        "IV-3": "unchanged",
        "IV-4": "cancelled",
    }
    assert "active" in page.blocks["IV-1"]["text"]
    html = client.get(list_url()).content.decode()  # no week: the list's first
    assert sorted(Blocks(html).blocks) == ["IV-1", "IV-2", "IV-3", "IV-4"]
    assert link(html, "week-last").endswith("week=2027-03-07")


def test_the_list_calendar_honours_the_lists_filters_and_search(client):
    stored_week()
    cancelled = blocks_of(client.get(list_url(week="2027-03-01", status__exact="C")))
    assert list(cancelled.blocks) == ["IV-4"]
    searched = blocks_of(client.get(list_url(week="2027-03-01", q="bmartin")))
    assert list(searched.blocks) == ["IV-4"]
    html = client.get(list_url(week="2027-03-01", status__exact="C")).content.decode()
    # its week links, the .ics and the way back keep the list's filters
    assert "status__exact=C" in link(html, "week-next")
    assert "status__exact=C" in link(html, "calendar-ics")
    assert "status__exact=C" in link(html, "calendar-back")
    assert '<input type="hidden" name="status__exact" value="C">' in html


def test_the_list_calendar_follows_a_teacher_or_a_room(client):
    stored_week()
    assert list(blocks_of(client.get(list_url(week="2027-03-01", teacher="bmartin"))).blocks) == [
        "IV-4"
    ]
    assert list(blocks_of(client.get(list_url(week="2027-03-01", room="R-102"))).blocks) == ["IV-4"]


def test_a_wrong_list_filter_goes_back_to_the_list(client):
    response = client.get(list_url(week="2027-03-01", nonsense="1"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:training_intervention_changelist"))


def test_the_list_calendar_marks_conflicts(client):
    store([make_row()])
    store([make_row(interventionGuid="IV-2", interventionDate="2027-03-01T10:00")])
    page = blocks_of(client.get(list_url(week="2027-03-01", q="IV-1")))  # IV-2 not listed
    block = page.blocks["IV-1"]
    assert block["data-conflict"] == "teacher room"
    assert "Conflict: teacher jdoe is also booked by IV-2" in block["text"]


def test_the_list_calendar_needs_the_view_permission(client):
    stored_week()
    viewer = client_for(make_user("viewer", ("training.view_intervention",)))
    nobody = client_for(make_user("nobody"))
    for name in ("calendar", "ics"):
        assert viewer.get(list_url(name)).status_code == 200
        assert nobody.get(list_url(name)).status_code == 403


def test_the_list_links_its_calendar_and_ics(client):
    html = client.get(reverse("admin:training_intervention_changelist") + "?q=x").content.decode()
    assert f'href="{list_url()}?q=x" id="calendar-link"' in html
    assert f'href="{list_url("ics")}?q=x" id="ics-link"' in html


# iCalendar


def ics_of(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="interventions-')
    return icalendar.Calendar.from_ical(b"".join(response.streaming_content))


def test_the_ics_round_trips_uids_and_times(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    stored_week()
    calendar = ics_of(client.get(list_url("ics")))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    stored = {i.guid: i for i in Intervention.objects.all()}
    assert set(events) == set(stored)
    for guid, intervention in stored.items():
        event = events[guid]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == intervention.start
        assert start.utcoffset() == dt.timedelta(0)  # written in UTC
        assert end - start == dt.timedelta(minutes=intervention.duration_minutes)
        assert event["SUMMARY"] == "Spring 2027"
    assert str(events["IV-4"]["STATUS"]) == "CANCELLED"
    assert str(events["IV-1"]["STATUS"]) == "CONFIRMED"
    assert "Room 101 (R-101)" in str(events["IV-1"]["LOCATION"])
    assert (
        "DTSTART:20270301T080000Z"
        in b"".join(client.get(list_url("ics")).streaming_content).decode()
    )  # 09:00 in Paris is 08:00 UTC


def test_the_ics_holds_what_the_list_shows(client):
    stored_week()
    only = ics_of(client.get(list_url("ics", status__exact="C")))
    assert [str(e["UID"]) for e in only.walk("VEVENT")] == ["IV-4"]
    teacher = ics_of(client.get(list_url("ics", teacher="jdoe")))
    assert [str(e["UID"]) for e in teacher.walk("VEVENT")] == ["IV-1", "IV-2", "IV-3", "IV-5"]
    empty = ics_of(client.get(list_url("ics", q="nothing-matches")))
    assert empty.walk("VEVENT") == []


def test_a_page_draws_at_most_max_blocks_and_says_how_many_more(client, monkeypatch):
    from imports.web import calendar_views

    monkeypatch.setattr(calendar_views, "MAX_BLOCKS", 2)
    rows = [
        make_row(interventionGuid=f"IV-{i}", teacherLogin="bmartin" if i == 3 else "jdoe")
        for i in range(1, 5)
    ]
    job = preview(client, rows, conflicts="ignore")
    response = client.get(calendar_url(job))
    assert sorted(blocks_of(response).blocks) == ["IV-1", "IV-2"]  # the file's first
    assert "2 more interventions of this week are not drawn" in response.content.decode()
    theirs = client.get(calendar_url(job, teacher="bmartin"))
    assert list(blocks_of(theirs).blocks) == ["IV-3"]  # following someone reads every row
    assert 'id="calendar-not-drawn"' not in theirs.content.decode()


def test_the_calendar_in_french(client, settings):
    settings.LANGUAGE_CODE = "fr"
    store()
    job = preview(client)
    with translation.override("fr"):
        response = client.get(calendar_url(job))
    html = response.content.decode()
    page = blocks_of(response)
    assert "Calendrier de interventions.csv" in html
    assert "Semaine suivante" in html
    first_day = re.search(r'role="cell" data-day="([^"]+)"', html)
    assert first_day and first_day.group(1) == "2027-03-01"  # French: Monday first
    assert "déplacée depuis" in page.blocks["IV-1"]["text"]
    assert "créée" in page.blocks["IV-9"]["text"]
