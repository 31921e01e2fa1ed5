"""Fixes in the preview: replace a value for every row of an error group, or skip them.

A key not found (a teacher login) is a group of every row with the value: its fix names
every such row. Fixes that name their lines: tests/imports/jobs/test_fixes.py."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.jobs.error_report import error_report_csv
from imports.jobs.models import ImportJob
from imports.parsing.fixes import Fix
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import client_for, make_user, page_messages, post, preview_url
from tests.imports.jobs.test_fixes import CONFLICTS
from tests.imports.jobs.test_fixes import previewed as previewed_with_conflicts
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
MISSPELT = 12


def file_with_misspelt_teacher() -> bytes:
    rows = [make_row(interventionGuid=f"IV-M{n}", teacherLogin="jdoee") for n in range(MISSPELT)]
    rows += [make_row(interventionGuid="IV-OK", teacherLogin="asmith")]
    return csv_bytes(rows)


def previewed(user, content: bytes) -> ImportJob:
    job = jobs.create_job(SimpleUploadedFile("file.csv", content), user)
    jobs.preview_job(job)
    return job


def fix_url(job: ImportJob) -> str:
    return reverse("admin:training_intervention_import_fix", args=[job.pk])


NOT_FOUND = "Teacher with login jdoee is not found."


def fix(client, job, *, replacement="", action="replace", column="teacherLogin", value="jdoee"):
    data = {"column": column, "value": value, "replacement": replacement, "action": action}
    data["message"] = NOT_FOUND
    return post(client, fix_url(job), data)


def test_the_error_group_offers_the_fix_with_the_suggestion(admin_user):
    job = previewed(admin_user, file_with_misspelt_teacher())
    page = client_for(admin_user).get(preview_url(job.pk)).content.decode()
    assert "Teacher with login jdoee is not found." in page
    assert 'name="replacement" value="jdoe"' in page  # "Did you mean jdoe?" pre-filled
    assert f"Replace in {MISSPELT} rows" in page


def test_one_fix_clears_twelve_errors_and_confirm_imports_the_fixed_values(admin_user):
    job = previewed(admin_user, file_with_misspelt_teacher())
    assert job.error_rows == MISSPELT
    client = client_for(admin_user)
    response = fix(client, job, replacement="jdoe")
    assert response.status_code == 302 and response.url == preview_url(job.pk)
    job.refresh_from_db()
    assert (job.new, job.error_rows) == (MISSPELT + 1, 0)
    (entry,) = job.fixes
    assert {k: entry[k] for k in ("column", "value", "replacement", "lines", "rows", "user")} == {
        "column": "teacherLogin",
        "value": "jdoee",
        "replacement": "jdoe",
        "lines": None,  # a key not found: every row with the value (they are the group)
        "rows": MISSPELT,
        "user": admin_user.username,
    }
    page = client.get(preview_url(job.pk)).content.decode()
    assert "Fixes made in the preview" in page and "jdoee" in page
    assert f"{MISSPELT} (every row with this value)" in page
    done = jobs.confirm_job(job, admin_user)
    assert done.verdict is jobs.Verdict.IMPORTED
    teachers = set(Intervention.objects.values_list("teacher__login", flat=True))
    assert teachers == {"jdoe", "asmith"}
    assert Intervention.objects.count() == MISSPELT + 1
    job.refresh_from_db()
    assert job.file.open("rb").read() == file_with_misspelt_teacher()  # the file as uploaded


def test_a_fix_that_is_wrong_in_turn_is_an_error_like_any_other(admin_user):
    job = previewed(admin_user, file_with_misspelt_teacher())
    fix(client_for(admin_user), job, replacement="nobody")
    job.refresh_from_db()
    assert job.error_rows == MISSPELT
    messages = set(job.errors.filter(level="ERROR").values_list("message", flat=True))
    assert messages == {"Teacher with login nobody is not found."}


def test_skip_leaves_the_rows_out_and_says_so(admin_user):
    job = previewed(admin_user, file_with_misspelt_teacher())
    fix(client_for(admin_user), job, action="skip")
    job.refresh_from_db()
    assert (job.new, job.error_rows) == (1, 0)
    warnings = list(job.errors.filter(level="WARNING").values_list("message", flat=True))
    assert f"{MISSPELT} rows whose teacherLogin is jdoee were skipped (a fix)." in warnings
    jobs.confirm_job(job, admin_user)
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["IV-OK"]


def test_the_error_report_lists_only_the_errors_left(admin_user):
    rows = [make_row(interventionGuid=f"IV-M{n}", teacherLogin="jdoee") for n in range(3)]
    rows.append(make_row(interventionGuid="IV-BAD", interventionDuration="x"))
    job = previewed(admin_user, csv_bytes(rows))
    fix(client_for(admin_user), job, replacement="jdoe")
    job.refresh_from_db()
    report = error_report_csv(job).decode("utf-8-sig")
    assert "IV-BAD" in report and "jdoee" not in report


def test_the_four_eyes_reviewer_sees_the_fixes(admin_user, settings):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = previewed(admin_user, file_with_misspelt_teacher())
    fix(client_for(admin_user), job, replacement="jdoe")
    reviewer = client_for(make_user("reviewer", superuser=True))
    page = reviewer.get(preview_url(job.pk)).content.decode()
    assert "Fixes made in the preview" in page and "admin" in page
    assert 'id="confirm-form"' in page


def test_a_fix_needs_an_open_preview_and_a_post(admin_user):
    job = previewed(admin_user, file_with_misspelt_teacher())
    client = client_for(admin_user)
    assert client.get(fix_url(job)).status_code == 405
    jobs.confirm_job(job, admin_user)
    fix(client, job, replacement="jdoe")
    job.refresh_from_db()
    assert job.fixes == []


def test_the_engine_applies_fixes_on_read(demo):
    data = file_with_misspelt_teacher()
    options = ImportOptions(dry_run=True, fixes=(Fix("teacherLogin", "jdoee", "jdoe"),))
    assert run_import(data, "f.csv", options=options).new == MISSPELT + 1
    skip = ImportOptions(dry_run=True, fixes=(Fix("teacherLogin", "jdoee", None),))
    result = run_import(data, "f.csv", options=skip)
    assert (result.new, result.error_rows) == (1, 0)
    unused = ImportOptions(dry_run=True, fixes=(Fix("roomCapacity", "jdoee", "9"),))
    assert run_import(data, "f.csv", options=unused).error_rows == MISSPELT


# A schedule conflict (conflicts as errors): a group of one row among rows of the same room.


def conflict_group(page: str) -> str:
    """The error group of line 2's room conflict (with IV-2), as the page shows it."""
    group = r'<li class="error-group">(?:(?!</li>).)*intervention IV-2 .*?</li>'
    found = re.search(group, page, re.S)
    assert found, "no room conflict group"
    return found.group(0)


def test_a_conflict_group_offers_to_move_or_skip_its_row(admin_user):
    job = previewed_with_conflicts(CONFLICTS)
    page = client_for(admin_user).get(preview_url(job.pk)).content.decode()
    group = conflict_group(page)
    assert "Room with guid R-201 is already booked by intervention IV-2" in group
    assert "Move to room" in group and "Move 1 row" in group and "Skip this row" in group
    assert "Replace in" not in group and "Read R-201 as" not in group


def test_the_move_posted_changes_its_row_only(admin_user):
    job = previewed_with_conflicts(CONFLICTS)
    client = client_for(admin_user)
    message = job.errors.get(line=2, column="roomGuid").message
    data = {"column": "roomGuid", "value": "R-201", "message": message, "replacement": "R-102"}
    post(client, fix_url(job), {**data, "action": "replace"})
    job.refresh_from_db()
    assert (job.new, job.error_rows) == (3, 0)
    assert [room["guid"] for room in job.rooms] == ["R-201"]  # R-102 is not renamed
    response = client.get(preview_url(job.pk))
    assert page_messages(response) == ["roomGuid R-201 is read as R-102 on line 2 only."]
    page = response.content.decode()
    assert "R-102 (label Room 102)" in page and "1 (line 2)" in page


def test_a_fix_stored_before_fixes_named_their_lines_keeps_its_meaning(admin_user):
    job = previewed(admin_user, file_with_misspelt_teacher())
    stored = {"column": "teacherLogin", "value": "jdoee", "replacement": "jdoe", "rows": 12}
    job.fixes = [{**stored, "user": "admin", "at": "2026-01-05T10:00:00+00:00"}]
    job.save(update_fields=["fixes"])
    jobs.preview_job(job)
    assert (job.new, job.error_rows) == (MISSPELT + 1, 0)  # every row with the value
    page = client_for(admin_user).get(preview_url(job.pk)).content.decode()
    assert f"{MISSPELT} (every row with this value)" in page
