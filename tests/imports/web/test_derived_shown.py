"""Values the importer derives are shown as derived, with the cells they came from, by every
door: the admin preview lists the notes among its warnings and shows each row's values as they
will be written (the duration in hours as the export writes it); the command prints them and
its ``--json`` lists them among the warnings (issue 27)."""

import json

import pytest

from imports.jobs.models import ImportJob
from tests.imports.admin_support import confirm_url, post, preview_url, upload
from tests.imports.command_support import run_command
from training.models import Room

pytestmark = pytest.mark.usefixtures("demo", "media")
HEADER = (
    "interventionGuid;trainingGuid;sessionGuid;Date;Heure;Fin;interventionDuration;roomGuid;"
    "roomLabel;teacherLogin;interventionStatus"
)
SPLIT = (
    HEADER.replace("Date;Heure;Fin", "interventionDate;interventionStartTime;interventionEndTime")
    + "\nIV-1;TR-1;SE-1;2027-03-01;09:00;10:30;;R-101;Room 101;jdoe;A"
    + "\nIV-2;TR-1;SE-1;2027-03-02;9h;10h;90;R-101;Room 101;jdoe;A"
    + "\nIV-3;TR-1;SE-1;2027-03-03;14:00;;1.5;R-101;Room 101;jdoe;A\n"
).encode()
JOINED = "Starts joined from interventionDate and interventionStartTime on 2 rows (line 2:"
FROM_END = "Durations derived from the end (interventionEndTime) minus the start on 1 rows"


def test_the_preview_shows_the_notes_and_each_row_s_values(client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    response = upload(client, SPLIT, name="planning.csv")
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert (job.new, job.error_rows) == (2, 1)
    html = client.get(preview_url(job.pk)).content.decode()
    assert JOINED in html.replace("&quot;", '"')
    assert FROM_END in html
    assert "Duration 90 does not agree with the end: 03/02/2027 09:00 to 10h is 1:00." in html
    rows = client.get(preview_url(job.pk), {"view": "rows"}).content.decode()
    assert "<strong>interventionDuration</strong>: 1.5</div>" in rows
    assert "<strong>interventionDate</strong>: 03/01/2027 09:00</div>" in rows


def test_the_notes_are_said_in_french_their_moments_the_french_way(client, settings):
    """Issue 28: no English word and no ISO date-time inside a French note."""
    settings.TIME_ZONE = "Europe/Paris"
    upload(client, SPLIT, name="planning.csv")
    job = ImportJob.objects.latest("pk")
    html = client.get(preview_url(job.pk), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    text = html.replace("&quot;", '"')
    notes = text.split('id="warnings"')[1].split("</ul>")[0]
    assert '(ligne 2\xa0: "2027-03-01" et "09:00" donnent 01/03/2027 09:00)' in notes
    assert '(ligne 2\xa0: début 01/03/2027 09:00 et fin "10:30" donnent 1:30' in notes
    assert "de 02/03/2027 09:00 à 10h, cela fait 1:00." in text
    assert " and " not in notes and " start " not in notes


def test_the_command_prints_the_notes_and_lists_them_in_json(tmp_path):
    path = tmp_path / "planning.csv"
    path.write_bytes(SPLIT)
    status, out, err = run_command("import_interventions", str(path), "--dry-run")
    assert status == 1
    assert JOINED in out and FROM_END in out
    status, out, err = run_command("import_interventions", str(path), "--dry-run", "--json")
    [result] = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    notes = {w["code"]: w for w in result["warnings"]}
    assert notes["starts_joined"]["value"] == '"2027-03-01" and "09:00"'
    assert notes["starts_joined"]["line"] is None
    assert notes["durations_from_end"]["column"] == "interventionEndTime"
    assert [e["code"] for e in result["errors"]] == ["duration_disagrees"]


NO_KEYS = (
    b"trainingGuid;sessionGuid;interventionDate;interventionStartTime;interventionEndTime;"
    b"roomGuid;teacherLogin;interventionStatus"
    b"\nTR-1;SE-1;2027-03-01;09:00;10:30;R-NEW;jdoe;A"
    b"\nTR-1;SE-1;2027-03-02;09:00;10:30;R-101;jdoe;A\n"
)


def test_the_preview_of_a_file_without_guid_and_label_says_what_it_derives(client):
    upload(client, NO_KEYS, name="planning.csv")
    job = ImportJob.objects.latest("pk")
    assert (job.new, job.error_rows, job.rooms_created) == (2, 0, 1)
    html = client.get(preview_url(job.pk)).content.decode().replace("&quot;", '"')
    assert "Intervention GUIDs derived from trainingGuid, sessionGuid, interventionDate," in html
    assert '(line 2: "TR-1", "SE-1", "2027-03-01", "09:00", "R-NEW" give slot-' in html
    assert "The file has no roomLabel column: a room created takes its roomGuid" in html
    assert "R-NEW" in html
    post(client, confirm_url(job.pk))
    assert Room.objects.get(guid="R-NEW").label == "R-NEW"
    upload(client, NO_KEYS, name="planning.csv")
    again = ImportJob.objects.latest("pk")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
