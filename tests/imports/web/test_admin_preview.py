"""The preview you can check (issue 11): what each row writes, the rooms, errors by message,
honest signals. Test client, CSRF enforced."""

import re

import pytest

from imports.jobs import service
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    confirm_url,
    import_url,
    job_url,
    page_messages,
    post,
    preview_url,
    sample,
    upload,
)
from training.models import Room

pytestmark = pytest.mark.usefixtures("demo", "media")


def previewed(client, content: bytes, name: str = "interventions.csv") -> ImportJob:
    response = upload(client, content, name=name)
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def row_cell(html: str, line: int) -> str:
    match = re.search(rf'<tr class="outcome-\w+" id="row-{line}">(.*?)</tr>', html, re.S)
    assert match, f"no row for line {line}"
    return match.group(1)


# 1. Every row shows what it will write


def test_a_new_row_shows_what_it_writes_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    row = make_row(interventionDate="2027-03-10T09:00:00", interventionDuration="4")
    job = previewed(client, csv_bytes([row]))
    html = client.get(preview_url(job.pk), {"view": "rows"}).content.decode()
    cell = row_cell(html, 2)
    for column, value in [
        ("sessionGuid", "SE-1"),
        ("interventionDate", "03/10/2027 09:00"),  # in English, month first
        ("interventionDuration", "4"),
        ("roomGuid", "R-101"),
        ("teacherLogin", "jdoe"),
        ("interventionStatus", "A"),
    ]:
        assert f"<strong>{column}</strong>: {value}</div>" in cell
    assert "Times in Europe/Paris." in html


def test_a_session_given_by_title_shows_its_guid(client):
    job = previewed(client, csv_bytes([make_row(sessionGuid="", sessionTitle="Spring 2027")]))
    html = client.get(preview_url(job.pk), {"view": "rows"}).content.decode()
    assert "<strong>sessionGuid</strong>: SE-1</div>" in row_cell(html, 2)


def test_an_update_shows_only_what_changes_with_the_file_s_column_names(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    post(client, confirm_url(previewed(client, csv_bytes([make_row()])).pk))
    changed = make_row(interventionDate="2027-03-01T10:30:00", teacherLogin="asmith")
    job = previewed(client, csv_bytes([changed]))
    assert job.updated == 1
    cell = row_cell(client.get(preview_url(job.pk), {"view": "rows"}).content.decode(), 2)
    assert "<strong>interventionDate</strong>: 03/01/2027 09:00 → 03/01/2027 10:30" in cell
    assert "<strong>teacherLogin</strong>: jdoe → asmith" in cell
    assert "interventionDuration" not in cell
    assert "teacher</strong>" not in cell


def test_rows_that_write_nothing_say_so(client):
    post(client, confirm_url(previewed(client, csv_bytes([make_row()])).pk))
    rows = [make_row(), make_row(interventionGuid="IV-2", teacherLogin="nobody")]
    job = previewed(client, csv_bytes(rows))
    html = client.get(preview_url(job.pk), {"view": "rows"}).content.decode()
    assert "Nothing changes." in row_cell(html, 2)
    assert "Skipped: it has errors" in row_cell(html, 3)
    assert "<strong>" not in row_cell(html, 3)


def test_a_new_row_s_values_are_escaped(client):
    hostile = "R-<b>x</b>"
    job = previewed(client, csv_bytes([make_row(roomGuid=hostile)]))
    html = client.get(preview_url(job.pk), {"view": "rows"}).content.decode()
    assert hostile not in html
    assert "R-&lt;b&gt;x&lt;/b&gt;" in html


def test_the_confirm_still_compares_what_new_rows_write(client):
    job = previewed(client, csv_bytes([make_row()]))
    Room.objects.filter(guid="R-101").update(guid="R-OLD")  # the room is new now, not the row
    post(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert job.status == "imported"  # the row writes the same values: the same outcome


def test_a_page_of_a_large_preview_stays_small(client, settings):
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": 100}
    rows = [make_row(interventionGuid=f"IV-{n}") for n in range(1500)]
    job = previewed(client, csv_bytes(rows))
    response = client.get(preview_url(job.pk), {"view": "rows"})
    assert len(response.context["shown_rows"]) == 100
    # 100 rows, each with its six values: far below 300 KB whatever the file's size
    assert len(response.content) < 150_000


# 2. Rooms


def rooms_file() -> bytes:
    rooms = [
        ("R-NEW", "Lab", "8"),
        ("R-101", "Room 101 (big)", "20"),
        ("R-101", "Room 101 (big)", "20"),
        ("R-102", "Room 102", "12"),
        ("R-NEW2", "Annex", ""),
    ]
    rows = [
        make_row(
            interventionGuid=f"IV-{n}",
            interventionDate=f"2027-03-0{n}T09:00:00",  # one a day: no schedule conflict
            roomGuid=guid,
            roomLabel=label,
            roomCapacity=capacity,
        )
        for n, (guid, label, capacity) in enumerate(rooms, start=1)
    ]
    return csv_bytes(rows)


def test_the_preview_lists_rooms_created_and_changed_with_their_lines(client):
    job = previewed(client, rooms_file())
    assert (job.rooms_created, job.rooms_updated) == (2, 1)
    html = client.get(preview_url(job.pk)).content.decode()
    assert '<td id="count-rooms-created">2</td>' in html
    assert '<td id="count-rooms-updated">1</td>' in html
    created = re.search(r'<table id="rooms-created".*?</table>', html, re.S).group(0)
    assert "<td>R-NEW</td><td>Lab</td><td>8</td><td>2</td>" in created
    assert "<td>R-NEW2</td><td>Annex</td><td></td><td>6</td>" in created
    updated = re.search(r'<table id="rooms-updated".*?</table>', html, re.S).group(0)
    assert "Room 101 → Room 101 (big)" in updated
    assert "20 (unchanged)" in updated
    assert "<td>3, 4</td>" in updated
    assert "R-102" not in updated  # described as it is: no change
    assert Room.objects.get(guid="R-101").label == "Room 101"  # a preview writes nothing


def test_a_room_s_capacity_change_shows_old_and_new(client):
    job = previewed(client, csv_bytes([make_row(roomCapacity="35")]))
    html = client.get(preview_url(job.pk)).content.decode()
    updated = re.search(r'<table id="rooms-updated".*?</table>', html, re.S).group(0)
    assert "Room 101 (unchanged)" in updated
    assert "20 → 35" in updated


def test_no_rooms_section_when_no_room_changes(client):
    job = previewed(client, csv_bytes([make_row()]))
    html = client.get(preview_url(job.pk)).content.decode()
    assert 'id="rooms"' not in html
    assert '<td id="count-rooms-created">0</td>' in html


def test_the_success_message_names_the_rooms(client):
    job = previewed(client, rooms_file())
    response = post(client, confirm_url(job.pk))
    messages = page_messages(client.get(response["Location"]))
    (text,) = [m for m in messages if m.startswith("Imported")]
    assert "5 new, 0 updated, 0 unchanged, 2 rooms created, 1 room updated." in text
    assert Room.objects.get(guid="R-101").label == "Room 101 (big)"
    job.refresh_from_db()
    assert (job.rooms_created, job.rooms_updated) == (2, 1)
    assert "2 rooms created" in client.get(job_url(job.pk)).content.decode()


def test_a_rooms_section_is_escaped(client):
    hostile = "<img src=x onerror=alert(1)>"
    job = previewed(client, csv_bytes([make_row(roomGuid="R-X", roomLabel=hostile)]))
    html = client.get(preview_url(job.pk)).content.decode()
    assert hostile not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# 3. Errors summarised


def many_errors() -> bytes:
    rows = [make_row(interventionGuid=f"IV-{n}", teacherLogin="nobody") for n in range(7)]
    rows += [make_row(interventionGuid=f"IV-D{n}", interventionDuration="x") for n in range(3)]
    rows += [make_row(interventionGuid="IV-OK")]
    return csv_bytes(rows)


def test_errors_are_grouped_by_message_and_column_with_counts(client):
    job = previewed(client, many_errors())
    html = client.get(preview_url(job.pk)).content.decode()
    groups = re.findall(
        r'<li class="error-group"><a href="\?([^"]*)">(.*?)</a>(.*?)\s*(?:<form|</li>)', html, re.S
    )
    assert [(text, rest) for _, text, rest in groups] == [
        (
            "Teacher with login nobody is not found.",
            ' <span class="column">(teacherLogin)</span> — 7 rows',
        ),
        (
            "Duration x not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected.",
            ' <span class="column">(interventionDuration)</span> — 3 rows',
        ),
    ]


def test_a_group_s_link_filters_the_error_list(client, settings):
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": 5}
    job = previewed(client, many_errors())
    html = client.get(preview_url(job.pk)).content.decode()
    query = re.search(r'<li class="error-group"><a href="\?([^"]*)">', html).group(1)
    response = client.get(preview_url(job.pk) + "?" + query.replace("&amp;", "&"))
    listed = [(e.line, e.column) for e in response.context["page_obj"]]
    assert listed == [(line, "teacherLogin") for line in range(2, 7)]
    page_two = re.search(r'href="\?([^"]*)" id="next-page"', response.content.decode())
    response = client.get(preview_url(job.pk) + "?" + page_two.group(1).replace("&amp;", "&"))
    assert [e.line for e in response.context["page_obj"]] == [7, 8]


def test_jump_to_page_keeps_the_filters(client, settings):
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": 2}
    job = previewed(client, many_errors())
    html = client.get(preview_url(job.pk), {"view": "errors", "q": "teacher"}).content.decode()
    form = re.search(r'<form method="get" class="paginator" id="pages">.*?</form>', html, re.S)
    assert 'name="q" value="teacher"' in form.group(0)
    assert 'id="jump-page" min="1" max="4"' in form.group(0)
    response = client.get(preview_url(job.pk), {"view": "errors", "q": "teacher", "page": "4"})
    assert [e.line for e in response.context["page_obj"]] == [8]


def test_the_error_report_is_still_offered(client):
    job = previewed(client, many_errors())
    html = client.get(preview_url(job.pk)).content.decode()
    assert 'id="error-report"' in html


# 4. Honest signals


def test_a_background_import_that_finishes_says_what_an_in_process_one_says(client):
    job = previewed(client, rooms_file())
    post(client, confirm_url(job.pk))
    job.refresh_from_db()
    (in_process,) = [m for m in page_messages(client.get(job_url(job.pk))) if "Imported" in m]
    # The progress page of a background job reloads with finished=1 (_progress.html).
    html = client.get(preview_url(job.pk), {"finished": "1"}).content.decode()
    banner = re.search(r'<ul class="messagelist" id="finished"><li class="success">(.*?) <a', html)
    assert banner.group(1) == str(service.imported_text(job))
    assert in_process.startswith(banner.group(1) + " <a href=")
    assert banner.group(1).endswith("2 rooms created, 1 room updated.")


def test_the_finished_banner_only_after_a_background_run(client):
    job = previewed(client, csv_bytes([make_row()]))
    assert 'id="finished"' not in client.get(preview_url(job.pk)).content.decode()
    html = client.get(preview_url(job.pk), {"finished": "1"}).content.decode()
    assert "Preview of interventions.csv: 1 new, 0 updated" in html


def test_a_job_page_never_writes_on_get(client):
    job = previewed(client, csv_bytes([make_row()]))
    before = ImportJob.objects.values().get(pk=job.pk)
    client.get(preview_url(job.pk), {"finished": "1", "view": "rows"})
    assert ImportJob.objects.values().get(pk=job.pk) == before


@pytest.mark.parametrize(
    "name",
    [
        "planning mars 2027.csv",
        "Séances d’été – Zoë.csv",
        ("x" * 240) + " é.csv",
        ("é" * 200) + ".csv",  # 204 characters, 404 bytes: more than a file system allows
    ],
)
def test_file_names_appear_exactly_as_uploaded(client, name):
    job = previewed(client, csv_bytes([make_row()]), name=name)
    assert job.file_name == name
    response = client.get(preview_url(job.pk))
    assert f"<td>{name} (" in response.content.decode()
    assert any(f"Preview of {name}:" in m for m in page_messages(response))
    assert f"<title>Import preview: {name} |" in response.content.decode()
    history = client.get(job_url(job.pk)).content.decode()
    assert f"#{job.pk} {name}" in history


def test_a_name_over_255_characters_is_cut_by_django_keeping_its_extension(client):
    job = previewed(client, csv_bytes([make_row()]), name="n" * 300 + ".csv")
    assert job.file_name == "n" * 251 + ".csv"
    assert job.status == "previewed"
    assert len(job.file.name.rsplit("/", 1)[1].encode()) <= 120


def test_a_file_already_imported_says_so_and_links_the_earlier_job(client):
    first = previewed(client, csv_bytes([make_row()]))
    post(client, confirm_url(first.pk))
    again = previewed(client, csv_bytes([make_row()]), name="copy.csv")
    html = client.get(preview_url(again.pk)).content.decode()
    assert re.search(
        rf"Already imported on \d\d/\d\d/\d{{4}} \d\d:\d\d \(job #{first.pk}\)\.", html
    )
    assert f'href="{job_url(first.pk)}" id="earlier-job"' in html
    assert 'id="confirm-form"' in html  # it can still be imported, knowingly


def test_a_file_never_imported_says_nothing_of_it(client):
    first = previewed(client, csv_bytes([make_row()]))  # previewed, not imported
    again = previewed(client, csv_bytes([make_row()]))
    assert first.sha256 == again.sha256
    assert 'id="already-imported"' not in client.get(preview_url(again.pk)).content.decode()


def test_an_unreadable_file_shows_its_message_and_a_way_to_upload_again(client):
    job = previewed(client, b"interventionGuid;trainingGuid\n", name="header-only.csv")
    assert job.status == "failed"
    html = client.get(preview_url(job.pk)).content.decode()
    assert 'id="unreadable"' in html
    assert f'href="{import_url()}" id="upload-again"' in html
    assert 'id="counts"' not in html
    assert 'id="error-table"' not in html
    assert 'id="row-table"' not in html
    assert "No errors." not in html


def test_the_sample_with_errors_is_not_unreadable(client):
    job = previewed(client, sample("interventions_with_errors.csv"))
    html = client.get(preview_url(job.pk)).content.decode()
    assert 'id="unreadable"' not in html
    assert 'id="counts"' in html
