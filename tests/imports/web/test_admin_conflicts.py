"""Schedule conflicts in the admin (issue 12): what a job stores of them, the upload's policy,
the preview's section, and the acknowledgement that confirming conflict warnings needs."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.jobs import service
from imports.jobs.models import ImportJob, ImportJobError
from imports.web import conflicts as admin_conflicts
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    confirm_url,
    import_url,
    job_url,
    make_user,
    page_messages,
    post,
    preview_url,
    upload,
)
from tests.imports.background_support import background_settings, eager  # noqa: F401
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")

# Two rows booking the same teacher (jdoe) and room at the same time: lines 2 and 3.
CONFLICTING = csv_bytes([make_row(), make_row(interventionGuid="IV-2")])
STORED = ("line", "column", "value", "level", "code", "conflicts_with", "conflicts_with_line")


def new_job(content: bytes = CONFLICTING, conflicts: str = "") -> ImportJob:
    upload = SimpleUploadedFile("interventions.csv", content)
    return jobs.create_job(upload, None, conflicts=conflicts)


def conflicts_of(job: ImportJob) -> list[tuple]:
    errors = job.errors.filter(code__in=["teacher_booked", "room_booked"])
    return list(errors.order_by("line", "code").values_list(*STORED))


def test_a_preview_stores_the_other_intervention_and_its_line():
    job = new_job()
    jobs.preview_job(job)
    assert conflicts_of(job) == [
        (2, "roomGuid", "R-101", "WARNING", "room_booked", "IV-2", 3),
        (2, "teacherLogin", "jdoe", "WARNING", "teacher_booked", "IV-2", 3),
        (3, "roomGuid", "R-101", "WARNING", "room_booked", "IV-1", 2),
        (3, "teacherLogin", "jdoe", "WARNING", "teacher_booked", "IV-1", 2),
    ]


def test_a_conflict_with_the_database_stores_no_line():
    run_import(csv_bytes([make_row()]), "first.csv", options=ImportOptions())
    job = new_job(csv_bytes([make_row(interventionGuid="IV-2")]))
    jobs.preview_job(job)
    assert conflicts_of(job) == [
        (2, "roomGuid", "R-101", "WARNING", "room_booked", "IV-1", None),
        (2, "teacherLogin", "jdoe", "WARNING", "teacher_booked", "IV-1", None),
    ]


def test_other_problems_store_no_conflict():
    job = new_job(csv_bytes([make_row(teacherLogin="nobody")]))
    jobs.preview_job(job)
    assert list(ImportJobError.objects.values_list("conflicts_with", "conflicts_with_line")) == [
        ("", None)
    ]


def test_the_preview_and_the_confirm_use_the_policy_of_the_job(settings, admin_user):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "warn"}
    job = new_job(conflicts="error")
    jobs.preview_job(job)
    assert (job.new, job.error_rows) == (0, 2)
    done = jobs.confirm_job(job, admin_user)
    # Run with the setting's "warn", the confirm would find two new rows: CHANGED.
    assert (done.verdict, done.job.status, done.job.new) == (jobs.Verdict.IMPORTED, "imported", 0)


def test_a_job_without_a_policy_follows_the_setting(settings):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "ignore"}
    job = new_job()
    jobs.preview_job(job)
    assert (job.conflicts, job.new, job.errors.count()) == ("", 2, 0)


def upload_conflicting(client, content: bytes = CONFLICTING, **fields: str) -> ImportJob:
    response = upload(client, content, **fields)
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == preview_url(job.pk)
    return job


# The upload's choice


@pytest.mark.parametrize("setting", ["warn", "error", "ignore"])
def test_the_upload_form_offers_the_policies_the_setting_first(client, settings, setting):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": setting}
    html = client.get(import_url()).content.decode()
    assert f'<option value="{setting}" selected>{setting.capitalize()}</option>' in html
    assert [name for name in ("warn", "error", "ignore") if f'value="{name}"' not in html] == []


def test_error_makes_both_rows_errors(client):
    job = upload_conflicting(client, conflicts="error")
    assert (job.conflicts, job.new, job.error_rows) == ("error", 0, 2)
    assert set(job.errors.values_list("level", flat=True)) == {"ERROR"}
    errors = client.get(preview_url(job.pk)).context["page_obj"]
    assert [e.code for e in errors] == ["teacher_booked", "room_booked"] * 2


def test_ignore_checks_nothing(client, settings):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "error"}
    job = upload_conflicting(client, conflicts="ignore")
    assert (job.conflicts, job.new, job.error_rows, job.errors.count()) == ("ignore", 2, 0, 0)


def test_an_upload_without_the_choice_follows_the_setting(client, settings):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "error"}
    job = upload_conflicting(client)
    assert (job.conflicts, job.error_rows) == ("", 2)


def test_an_unknown_policy_is_a_form_error(client):
    response = upload(client, CONFLICTING, conflicts="maybe")
    assert response.status_code == 200
    assert "conflicts" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_uploading_again_keeps_the_policy(client):
    job = upload_conflicting(client, conflicts="ignore")
    html = client.get(job_url(job.pk)).content.decode()
    assert f"{import_url()}?conflicts=ignore" in html
    form = client.get(f"{import_url()}?conflicts=ignore").context["form"]
    assert form.initial["conflicts"] == "ignore"


# The section


def section_text(client, url: str) -> str:
    """The text of the page's schedule conflicts section, tags removed, spaces collapsed."""
    html = client.get(url).content.decode()
    found = re.search(r'<div class="module" id="schedule-conflicts">(.*?)</div>', html, re.S)
    assert found, "no schedule conflicts section"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def entries(client, url: str, resource: str) -> list[str]:
    html = client.get(url).content.decode()
    found = re.search(rf'<ul id="conflicts-by-{resource}".*?</ul>\s*</li>\s*</ul>', html, re.S)
    assert found, f"no {resource} list"
    items = re.findall(r'<li class="conflict">(.*?)</li>', found.group(0), re.S)
    return [" ".join(item.split()) for item in items]


TEACHER_IV2 = "Teacher with login jdoe is already booked by intervention IV-2"
TIMES = "(03/01/2027 09:00 to 03/01/2027 12:00)."  # as English writes date-times


def test_the_preview_lists_the_conflicts_by_teacher_and_by_room(client):
    job = upload_conflicting(client)
    url = preview_url(job.pk)
    text = section_text(client, url)
    assert text.startswith(
        "Schedule conflicts 2 rows with a schedule conflict, 2 conflicts. These are warnings:"
    )
    assert "By teacher (1) jdoe" in text
    assert "By room (1) R-101" in text
    assert entries(client, url, "teacher") == [  # the pair once, not once per direction
        f"Line 2 (IV-1) and line 3 (IV-2): {TEACHER_IV2} {TIMES}",
    ]
    assert entries(client, url, "room")[0] == (
        f"Line 2 (IV-1) and line 3 (IV-2): Room with guid R-101 is already booked by"
        f" intervention IV-2 {TIMES}"
    )


def test_the_conflicts_are_not_repeated_among_the_warnings(client):
    later = make_row(interventionGuid="IV-3", interventionDate="2027-04-01T09:00:00")
    too_long = csv_bytes([later]).splitlines()[1] + b";one cell too many\n"
    job = upload_conflicting(client, CONFLICTING + too_long)
    response = client.get(preview_url(job.pk))
    assert [w.code for w in response.context["warnings"]] == ["row_too_long"]
    assert response.context["schedule_conflicts"].rows == 2


def test_a_teacher_in_two_rooms_and_two_teachers_in_one_room_are_grouped_apart(client):
    rows = [
        make_row(),
        make_row(
            interventionGuid="IV-2", roomGuid="R-102", roomLabel="Room 102", roomCapacity="12"
        ),
        make_row(
            interventionGuid="IV-3", teacherLogin="asmith", interventionDate="2027-03-02T09:00:00"
        ),
        make_row(
            interventionGuid="IV-4", teacherLogin="bmartin", interventionDate="2027-03-02T10:00:00"
        ),
    ]
    job = upload_conflicting(client, csv_bytes(rows))
    url = preview_url(job.pk)
    text = section_text(client, url)
    assert text.startswith("Schedule conflicts 4 rows with a schedule conflict, 2 conflicts.")
    assert "By teacher (1) jdoe Line 2 (IV-1) and line 3 (IV-2)" in text
    assert "By room (1) R-101 Line 4 (IV-3) and line 5 (IV-4)" in text
    assert [e.split(":")[0] for e in entries(client, url, "teacher")] == [
        "Line 2 (IV-1) and line 3 (IV-2)",
    ]


def test_a_conflict_with_the_database_names_the_stored_intervention(client):
    run_import(csv_bytes([make_row()]), "first.csv", options=ImportOptions())
    job = upload_conflicting(client, csv_bytes([make_row(interventionGuid="IV-2")]))
    assert entries(client, preview_url(job.pk), "teacher") == [
        "Line 2 (IV-2) and IV-1 (in the database): Teacher with login jdoe is already booked by"
        f" intervention IV-1 {TIMES}"
    ]
    assert "1 row with a schedule conflict, 2 conflicts." in section_text(
        client, preview_url(job.pk)
    )


# The rows table marks the rows in conflict (issue 28)


def row_marks(html: str) -> dict[int, tuple[str, str] | None]:
    """Each row of the rows table: its conflict mark (the section it links to, its words)."""
    marks: dict[int, tuple[str, str] | None] = {}
    for line, cells in re.findall(r'<tr class="[^"]*" id="row-(\d+)">(.*?)</tr>', html, re.S):
        mark = re.search(r'<a class="conflict-mark" href="#([\w-]+)">(.*?)</a>', cells, re.S)
        marks[int(line)] = (mark.group(1), mark.group(2)) if mark else None
    return marks


def test_the_rows_table_marks_the_rows_in_conflict_and_only_them(client):
    later = make_row(interventionGuid="IV-3", interventionDate="2027-04-01T09:00:00")
    job = upload_conflicting(
        client, csv_bytes([make_row(), make_row(interventionGuid="IV-2"), later])
    )
    html = client.get(preview_url(job.pk) + "?view=rows").content.decode()
    own = ("schedule-conflicts", "⚠ schedule conflict (teacher, room)")
    assert row_marks(html) == {2: own, 3: own, 4: None}
    assert 'id="schedule-conflicts"' in html  # the section the marks link to


def test_a_row_in_conflict_by_its_teacher_only_names_the_teacher(client):
    other_room = make_row(
        interventionGuid="IV-2", roomGuid="R-102", roomLabel="Room 102", roomCapacity="12"
    )
    job = upload_conflicting(client, csv_bytes([make_row(), other_room]))
    html = client.get(preview_url(job.pk) + "?view=rows").content.decode()
    assert row_marks(html)[3] == ("schedule-conflicts", "⚠ schedule conflict (teacher)")


def test_the_marks_are_in_the_page_s_language(client):
    job = upload_conflicting(client)
    html = client.get(preview_url(job.pk) + "?view=rows", HTTP_ACCEPT_LANGUAGE="fr").content
    marks = row_marks(html.decode())
    assert marks[2] == ("schedule-conflicts", "⚠ conflit de planning (formateur, salle)")


def test_a_conflict_already_in_the_schedule_is_marked_as_such(client):
    run_import(CONFLICTING, "first.csv", options=ImportOptions())
    job = upload_conflicting(client)  # the same two rows: unchanged, their conflict standing
    html = client.get(preview_url(job.pk) + "?view=rows").content.decode()
    standing = ("standing-conflicts", "conflict already in the schedule (teacher, room)")
    assert row_marks(html) == {2: standing, 3: standing}
    assert 'id="standing-conflicts"' in html


def test_the_marks_cost_one_query_whatever_the_rows(client):
    job = upload_conflicting(client)
    url = preview_url(job.pk) + "?view=rows"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    rows = [make_row(interventionGuid=f"IV-{n}") for n in range(1, 30)]
    many = upload_conflicting(client, csv_bytes(rows))
    client.get(preview_url(many.pk) + "?view=rows")
    with CaptureQueriesContext(connection) as more:
        client.get(preview_url(many.pk) + "?view=rows")
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_history_page_shows_the_section_too(client):
    job = upload_conflicting(client)
    assert "2 rows with a schedule conflict" in section_text(client, job_url(job.pk))


def test_with_the_error_policy_the_section_says_the_rows_are_skipped(client):
    job = upload_conflicting(client, conflicts="error")
    assert "These rows are errors: they will be skipped." in section_text(
        client, preview_url(job.pk)
    )


def test_ignore_shows_no_section(client):
    job = upload_conflicting(client, conflicts="ignore")
    for url in (preview_url(job.pk), job_url(job.pk)):
        assert 'id="schedule-conflicts"' not in client.get(url).content.decode()


def test_a_long_list_is_cut_and_counted(client, monkeypatch):
    monkeypatch.setattr(admin_conflicts, "SHOWN", 3)
    rows = [make_row(interventionGuid=f"IV-{n}") for n in range(1, 5)]  # four at once
    job = upload_conflicting(client, csv_bytes(rows))
    url = preview_url(job.pk)
    text = section_text(client, url)
    # each row names the other three: 6 pairs per resource, each listed once
    assert text.startswith("Schedule conflicts 4 rows with a schedule conflict, 12 conflicts.")
    assert len(entries(client, url, "teacher")) == 3
    assert "… and 3 more not shown." in text


def test_rows_with_more_conflicts_than_listed(client):
    rows = [make_row(interventionGuid=f"IV-{n}") for n in range(1, 9)]  # eight at once
    job = upload_conflicting(client, csv_bytes(rows))
    url = preview_url(job.pk)
    text = section_text(client, url)
    # 28 pairs per resource; each row lists the first five others by GUID, then "2 more":
    # the pairs of IV-6, IV-7 and IV-8 among themselves are listed by none (25 per resource)
    assert text.startswith(
        "Schedule conflicts 8 rows with a schedule conflict, 50 conflicts listed (some rows"
        " have more, not listed)."
    )
    more = [e for e in entries(client, url, "teacher") if "more conflicts" in e]
    assert more[0] == "Line 2 (IV-1): 2 more conflicts of this row (teacher) are not listed."
    assert len(more) == 8


def test_the_section_costs_the_same_queries_for_few_or_many_conflicts(client):
    few = upload_conflicting(client)
    many = upload_conflicting(
        client, csv_bytes([make_row(interventionGuid=f"IV-{n}") for n in range(1, 30)])
    )
    counted = []
    for job in (few, many):
        with CaptureQueriesContext(connection) as queries:
            admin_conflicts.conflict_section(job)
        counted.append(len(queries))
    assert counted[0] == counted[1] <= 10


# The acknowledgement

ACKNOWLEDGED = {"acknowledge_conflicts": "on"}
REFUSED = (
    "This preview has schedule conflict warnings: acknowledge that you have checked them to"
    " confirm the import; nothing was imported."
)


def confirm(client, job: ImportJob, form: dict[str, str]):
    response = post(client, confirm_url(job.pk), form)
    job.refresh_from_db()
    return response


def test_the_preview_asks_to_acknowledge_conflict_warnings(client):
    job = upload_conflicting(client)
    html = client.get(preview_url(job.pk)).content.decode()
    assert 'name="acknowledge_conflicts"' in html
    assert "I have checked the schedule conflicts listed above" in html


@pytest.mark.parametrize(
    "content, policy",
    [(CONFLICTING, "error"), (CONFLICTING, "ignore"), (csv_bytes([make_row()]), "warn")],
)
def test_no_acknowledgement_without_conflict_warnings(client, content, policy):
    job = upload_conflicting(client, content, conflicts=policy)
    assert 'name="acknowledge_conflicts"' not in client.get(preview_url(job.pk)).content.decode()
    confirm(client, job, {})
    assert (job.status, job.conflicts_acknowledged_by) == ("imported", None)


def test_confirming_without_the_acknowledgement_is_refused_and_writes_nothing(client):
    job = upload_conflicting(client)
    client.get(preview_url(job.pk))  # shows (and so consumes) the upload's message
    response = confirm(client, job, {"strict": ""})
    assert response["Location"] == preview_url(job.pk) + "?acknowledge=1#acknowledge-conflicts"
    assert page_messages(client.get(preview_url(job.pk))) == [REFUSED]
    assert (job.status, job.confirmed_by, job.conflicts_acknowledged_at) == (
        "previewed",
        None,
        None,
    )
    assert not Intervention.objects.exists()


def test_confirming_with_the_acknowledgement_imports_and_records_who_and_when(client, admin_user):
    job = upload_conflicting(client)
    response = confirm(client, job, ACKNOWLEDGED)
    assert response["Location"] == job_url(job.pk)
    assert (job.status, job.new, job.conflicts_acknowledged_by) == ("imported", 2, admin_user)
    assert job.conflicts_acknowledged_at is not None
    assert Intervention.objects.count() == 2
    html = client.get(job_url(job.pk)).content.decode()
    acknowledged = re.search(r'<span id="conflicts-acknowledged">(.*?)</span>', html).group(1)
    assert acknowledged.startswith("Schedule conflicts acknowledged by admin at ")
    assert 'name="acknowledge_conflicts"' not in html  # nothing left to confirm
    assert "These are warnings: the rows were imported as they are." in section_text(
        client, job_url(job.pk)
    )


def test_the_service_refuses_conflict_warnings_not_acknowledged(admin_user):
    job = new_job()
    jobs.preview_job(job)
    done = service.start_confirm(job, admin_user, None)
    assert (done.verdict, service.verdict_text(done).code) == (
        service.Verdict.NOT_ACKNOWLEDGED,
        "conflicts_not_acknowledged",
    )
    done = service.start_confirm(job, admin_user, None, acknowledged=True)
    assert (done.verdict, done.job.conflicts_acknowledged_by) == (
        service.Verdict.IMPORTED,
        admin_user,
    )


def test_four_eyes_comes_first(settings, admin_user):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = jobs.create_job(SimpleUploadedFile("a.csv", CONFLICTING), admin_user)
    jobs.preview_job(job)
    done = service.start_confirm(job, admin_user, None, acknowledged=True)
    assert (done.verdict, done.job.conflicts_acknowledged_by) == (service.Verdict.SAME_USER, None)


def test_an_imported_job_is_not_acknowledged_again(admin_user):
    job = new_job(csv_bytes([make_row()]))
    jobs.preview_job(job)
    jobs.confirm_job(job, admin_user)
    assert jobs.acknowledge_conflicts(job, admin_user) is False
    job.refresh_from_db()
    assert job.conflicts_acknowledged_at is None


def test_a_new_preview_asks_for_a_new_acknowledgement(client):
    job = upload_conflicting(client)
    run_import(csv_bytes([make_row(interventionDuration="2")]), "meanwhile.csv")
    confirm(client, job, ACKNOWLEDGED)  # IV-1 is now an update: the outcome changed
    assert (job.status, job.updated, job.conflicts_acknowledged_at) == ("previewed", 1, None)
    assert job.errors.filter(code="teacher_booked").exists()
    confirm(client, job, {})
    assert job.status == "previewed"
    confirm(client, job, ACKNOWLEDGED)
    assert (job.status, job.conflicts_acknowledged_at is not None) == ("imported", True)


@pytest.mark.usefixtures("eager")
def test_a_confirm_queued_on_a_worker_keeps_the_acknowledgement(client, admin_user):
    job = upload_conflicting(client)
    assert (job.status, job.activity) == ("previewed", "preview")
    confirm(client, job, {})
    assert (job.status, job.activity) == ("previewed", "preview")  # not queued
    confirm(client, job, ACKNOWLEDGED)
    assert (job.status, job.activity, job.failure_reason) == ("imported", "import", "")
    assert job.conflicts_acknowledged_by == admin_user
    assert Intervention.objects.count() == 2


@pytest.mark.usefixtures("background_settings")
def test_a_queued_confirm_was_acknowledged_before_it_was_sent(admin_user, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "imports.jobs.tasks.confirm_job_task.apply_async",
        lambda args, task_id: sent.append(ImportJob.objects.get(pk=args[0])),
    )
    job = new_job()
    jobs.preview_job(job)
    done = service.start_confirm(job, make_user("other"), None, acknowledged=True)
    assert done.verdict is service.Verdict.QUEUED
    assert [(j.status, j.conflicts_acknowledged_by.username) for j in sent] == [("queued", "other")]


def test_the_banner_of_a_preview_with_conflicts_says_so(client):
    response = upload(client, CONFLICTING)
    page = client.get(response["Location"])
    [message] = list(page.context["messages"])
    assert message.level_tag == "warning"  # not a green tick
    assert "It has schedule conflicts: check them below, and acknowledge them" in str(message)


def test_a_confirm_refused_for_want_of_the_acknowledgement_marks_the_checkbox(client):
    job = upload_conflicting(client)
    response = post(client, confirm_url(job.pk))
    assert response["Location"] == preview_url(job.pk) + "?acknowledge=1#acknowledge-conflicts"
    page = client.get(response["Location"]).content.decode()
    box = re.search(
        r'<div class="form-row errors" id="acknowledge-conflicts">.*?</div>', page, re.S
    )
    assert box and "Acknowledge the schedule conflicts to confirm the import." in box.group(0)
    plain = client.get(preview_url(job.pk)).content.decode()
    assert '<div class="form-row" id="acknowledge-conflicts">' in plain  # marked only then
