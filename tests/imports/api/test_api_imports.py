"""POST /api/v1/imports/ (a file or JSON rows, always a preview first), the job, its errors
and rows: status codes, counts under the command's --json keys, lines, pagination."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.jobs.models import ImportConfiguration, ImportJob
from imports.jobs.tasks import preview_job_task
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import make_user, sample
from tests.imports.api.api_support import (
    IMPORTS,
    job_path,
    post_rows,
    problem,
    upload,
)
from tests.imports.api.conftest import api_client
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
COMMAND_KEYS = {"new", "updated", "unchanged", "error_rows", "rooms_created", "rooms_updated"}


def test_a_file_is_previewed_in_the_request_201_with_location(api):
    response = upload(api, sample("interventions.csv"))
    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"http://testserver{job_path(body['id'])}"
    assert body["status"] == "previewed" and body["dry_run"] is True
    assert COMMAND_KEYS | {"conflicts", "file", "committed", "strict", "seconds"} <= set(body)
    assert (body["new"], body["updated"], body["error_rows"]) == (5, 0, 0)
    assert body["links"]["errors"].endswith(job_path(body["id"], "errors"))
    assert body["may_confirm"] is True
    assert Intervention.objects.count() == 0  # a preview never writes interventions


def test_json_rows_are_previewed_as_lines_of_a_file(api):
    rows = [make_row(), make_row(interventionGuid="IV-2", teacherLogin="nobody")]
    response = post_rows(api, rows, conflicts="ignore")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["new"], body["error_rows"], body["file"]) == (1, 1, "rows.csv")
    errors = api.get(body["links"]["errors"]).json()["results"]
    assert [(e["line"], e["column"], e["value"], e["code"]) for e in errors] == [
        (3, "teacherLogin", "nobody", "teacher_not_found")
    ]
    assert Intervention.objects.count() == 0


def test_rows_take_numbers_and_nulls_and_keep_a_formula_like_text(api):
    row = make_row(roomLabel="=SUM(A1)", roomCapacity=20, trainingPathCode=None)
    response = post_rows(api, [row], conflicts="ignore")
    assert response.status_code == 201, response.content
    job = api.get(response["Location"]).json()
    assert job["new"] == 1 and job["error_rows"] == 0
    confirmed = api.post(job_path(job["id"], "confirm"), {}, format="json")
    assert confirmed.status_code == 200
    assert Intervention.objects.get(guid="IV-1").room.label == "=SUM(A1)"


def test_a_row_value_with_a_line_break_is_refused_with_its_row(api):
    response = post_rows(api, [make_row(), make_row(roomLabel="two\nlines")])
    body = problem(response, 400, "api_not_valid")
    assert body["errors"][0]["field"] == "rows.1"
    assert "Row 1, roomLabel" in body["errors"][0]["message"]
    assert not ImportJob.objects.exists()


def test_the_upload_forms_choices_are_kept_on_the_job(api):
    configuration = ImportConfiguration.objects.create(
        name="semicolons", xml=(sample("config.xml")).decode()
    )
    response = upload(
        api,
        sample("interventions.csv"),
        configuration="semicolons",
        encoding="utf-8",
        delimiter="comma",
        date_format="YYYY-MM-DD HH:II",
        conflicts="error",
    )
    assert response.status_code == 201, response.content
    options = response.json()["options"]
    assert options["configuration_id"] == configuration.pk
    assert (options["encoding"], options["delimiter"], options["conflicts"]) == (
        "utf-8",
        ",",
        "error",
    )
    by_id = upload(api, sample("interventions.csv"), configuration=str(configuration.pk))
    assert by_id.json()["options"]["configuration"] == "semicolons"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"configuration": "nope"}, "configuration"),
        ({"encoding": "klingon"}, "encoding"),
        ({"delimiter": ";"}, "delimiter"),
        ({"date_format": "QQ"}, "date_format"),
        ({"conflicts": "maybe"}, "conflicts"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_a_choice_not_valid_is_400_with_the_field(api, fields, field):
    body = problem(upload(api, **fields), 400, "api_not_valid")
    assert field in [error["field"] for error in body["errors"]]
    assert not ImportJob.objects.exists()


def test_a_file_name_of_no_known_format_is_400(api):
    body = problem(upload(api, name="schedule.pdf"), 400, "api_not_valid")
    assert body["errors"][0]["field"] == "format"


def test_no_file_and_no_rows_is_400(api):
    assert problem(api.post(IMPORTS, {}, format="multipart"), 400, "api_not_valid")
    assert problem(api.post(IMPORTS, {}, format="json"), 400, "api_not_valid")
    problem(api.post(IMPORTS, {"file": "x", "rows": [{}]}, format="json"), 400, "api_rows_or_file")


def test_another_body_type_is_415(api):
    response = api.post(IMPORTS, "a,b", content_type="text/csv")
    problem(response, 415, "api_unsupported_media_type")


def test_a_body_over_the_upload_limit_is_413_before_it_is_read(api, settings):
    settings.INTERVENTION_IMPORT = {"MAX_FILE_BYTES": 100}
    problem(upload(api, b"x" * 70_000), 413, "api_request_too_large")
    problem(upload(api, csv_bytes([make_row()] * 3)), 413, "file_too_large")
    assert not ImportJob.objects.exists()


def test_an_unreadable_file_is_a_failed_job_with_its_problem(api):
    response = upload(api, b"%PDF-1.4 not a csv")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "failed"
    assert body["file_errors"][0]["code"] == "file_wrong_kind"


def test_a_large_file_with_a_broker_is_queued_202(api, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    settings.INTERVENTION_IMPORT = {"BACKGROUND_MIN_BYTES": 0}
    sent = []
    monkeypatch.setattr(preview_job_task, "apply_async", lambda **kw: sent.append(kw))
    response = upload(api)
    assert response.status_code == 202
    body = response.json()
    assert response["Location"].endswith(job_path(body["id"]))
    assert (body["status"], body["activity"]) == ("queued", "preview")
    assert body["progress"]["rows_done"] == 0 and len(sent) == 1


def test_errors_are_paginated_with_line_column_value_code_and_suggestion(api, settings):
    settings.INTERVENTION_IMPORT = {"API_PAGE_SIZE": 2}
    rows = [make_row(interventionGuid=f"IV-{n}", teacherLogin="jdoee") for n in range(5)]
    job = upload(api, csv_bytes(rows)).json()
    first = api.get(job["links"]["errors"]).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    error = first["results"][0]
    assert error == {
        "line": 2,
        "column": "teacherLogin",
        "value": "jdoee",
        "message": "Teacher with login jdoee is not found.",
        "level": "ERROR",
        "code": "teacher_not_found",
        "suggestion": "jdoe",
        "file_level": False,
        "conflicts_with": "",
        "conflicts_with_line": None,
    }
    last = api.get(first["next"]).json()
    assert [e["line"] for e in last["results"]] == [4, 5]
    assert len(api.get(job["links"]["errors"] + "?page_size=5").json()["results"]) == 5
    assert api.get(job["links"]["errors"] + "?code=nope").json()["count"] == 0
    problem(api.get(job["links"]["errors"] + "?page=9"), 404, "api_not_found")


def test_rows_say_what_a_new_row_writes_and_what_an_update_changes(api):
    api.post(job_path(upload(api).json()["id"], "confirm"), {}, format="json")
    changed = csv_bytes([make_row(interventionDuration="1.5"), make_row(interventionGuid="IV-9")])
    job = upload(api, changed, conflicts="ignore").json()
    rows = api.get(job["links"]["rows"]).json()["results"]
    assert rows[0] == {
        "line": 2,
        "guid": "IV-1",
        "outcome": "updated",
        "writes": {},
        "changes": [{"column": "interventionDuration", "old": "3", "new": "1.5"}],
        "cells": None,
    }
    assert rows[1]["outcome"] == "new"
    assert rows[1]["writes"]["interventionDate"] == "2027-03-01T09:00:00+00:00"
    updated = api.get(job["links"]["rows"] + "?outcome=updated").json()
    assert updated["count"] == 1


def test_a_get_writes_nothing(api):
    job = upload(api, sample("interventions_with_errors.csv")).json()
    with CaptureQueriesContext(connection) as queries:
        for link in ("self", "errors", "rows"):
            assert api.get(job["links"][link]).status_code == 200
        assert api.get("/api/v1/interventions/").status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_an_unknown_job_or_path_is_a_404_problem(api):
    problem(api.get(job_path(999)), 404, "api_not_found")
    problem(api.get("/api/v1/nothing/here/"), 404, "api_not_found")


def test_a_wrong_method_is_405_with_allow(api):
    response = api.delete(IMPORTS)
    problem(response, 405, "api_method_not_allowed")
    assert "POST" in response["Allow"]


def test_reading_a_job_needs_the_view_permission_on_jobs_or_importing(api, db):
    job = upload(api).json()
    outsider = api_client(make_user("outsider", ("training.view_intervention",)))
    problem(outsider.get(job_path(job["id"])), 403, "api_permission_denied")
    viewer = api_client(make_user("viewer", ("imports.view_importjob",)))
    assert viewer.get(job_path(job["id"])).status_code == 200
    problem(upload(viewer), 403, "api_permission_denied")


def test_json_rows_are_not_held_to_djangos_form_limit_only_to_the_upload_limit(api, settings):
    rows = [make_row(interventionGuid=f"IV-{n:05}") for n in range(11_000)]
    response = post_rows(api, rows, conflicts="ignore")
    assert int(response.request["CONTENT_LENGTH"]) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert response.status_code == 201, response.content[:300]
    assert response.json()["new"] == 11_000


def test_a_file_store_that_fails_is_503_and_nothing_is_done(api, monkeypatch):
    from imports.jobs import service

    def unreachable(*args, **kwargs):
        raise service.StoreUnreachable(OSError("connection refused"))

    job = upload(api).json()
    monkeypatch.setattr(service, "create_job", unreachable)
    response = upload(api)
    problem(response, 503, "store_unreachable")
    assert response["Retry-After"]
    monkeypatch.setattr(service, "discard_job", unreachable)
    problem(
        api.post(job_path(job["id"], "discard"), {}, format="json"),
        503,
        "store_unreachable_discard",
    )
    assert ImportJob.objects.filter(pk=job["id"]).exists()


def test_the_reading_choices_of_a_file_do_not_apply_to_rows(api):
    response = post_rows(
        api, [make_row()], delimiter="semicolon", encoding="utf-16", first_row_is_data=True
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["new"], body["error_rows"], body["options"]["delimiter"]) == (1, 0, ",")
