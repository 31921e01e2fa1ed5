"""Confirm, discard, cancel and undo: the job service's verdicts as status codes (409 when the
job cannot do that now, 403 for permissions and four-eyes), the admin's permissions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.jobs import live
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import IMPORTER_PERMS, make_user, sample
from tests.imports.api.api_support import job_path, post_json, problem, upload
from tests.imports.api.conftest import api_client
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
CONFLICTING = csv_bytes([make_row(), make_row(interventionGuid="IV-2")])


def previewed(api, content: bytes | None = None, **fields) -> dict:
    response = upload(api, content, **fields)
    assert response.status_code == 201, response.content
    return response.json()


def test_confirm_imports_200_and_a_second_confirm_is_409(api):
    job = previewed(api, sample("interventions.csv"))
    response = post_json(api, job_path(job["id"], "confirm"))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["committed"], body["new"]) == ("imported", True, 5)
    assert body["confirmed_by"] == "importer"
    assert Intervention.objects.count() == 5
    again = problem(post_json(api, job_path(job["id"], "confirm")), 409, "not_open")
    assert again["job"].endswith(job_path(job["id"]))
    assert Intervention.objects.count() == 5


def test_conflict_warnings_need_the_acknowledgement_409_then_200(api):
    job = previewed(api, CONFLICTING)
    assert job["needs_acknowledgement"] is True and job["conflicts"] == 4
    problem(post_json(api, job_path(job["id"], "confirm")), 409, "conflicts_not_acknowledged")
    assert not Intervention.objects.exists()
    done = post_json(api, job_path(job["id"], "confirm"), {"acknowledge_conflicts": True})
    assert done.status_code == 200 and done.json()["new"] == 2
    stored = ImportJob.objects.get(pk=job["id"])
    assert stored.conflicts_acknowledged_by.username == "importer"


def test_data_changed_since_the_preview_is_409_and_writes_nothing(api):
    job = previewed(api, csv_bytes([make_row(interventionDuration="2")]))
    other = previewed(api, csv_bytes([make_row(interventionDuration="7")]))
    assert post_json(api, job_path(other["id"], "confirm")).status_code == 200
    problem(post_json(api, job_path(job["id"], "confirm")), 409, "outcome_changed")
    assert Intervention.objects.get(guid="IV-1").duration_minutes == 420
    fresh = api.get(job_path(job["id"])).json()
    assert (fresh["status"], fresh["updated"]) == ("previewed", 1)  # the new preview


def test_strict_with_row_errors_is_422_and_writes_nothing(api):
    job = previewed(api, sample("interventions_with_errors.csv"))
    body = problem(
        post_json(api, job_path(job["id"], "confirm"), {"strict": True}), 422, "strict_failed"
    )
    assert "nothing was imported" in body["detail"]
    assert not Intervention.objects.exists()


def test_four_eyes_the_uploader_gets_403_another_importer_confirms(api, reviewer, settings):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = previewed(api)
    assert (job["may_confirm"], job["four_eyes_blocked"]) == (False, True)
    problem(post_json(api, job_path(job["id"], "confirm")), 403, "four_eyes")
    assert not Intervention.objects.exists()
    other = api_client(reviewer)
    assert other.get(job_path(job["id"])).json()["may_confirm"] is True
    done = post_json(other, job_path(job["id"], "confirm"))
    assert done.status_code == 200 and done.json()["confirmed_by"] == "reviewer"


@pytest.mark.parametrize("action", ["confirm", "discard", "cancel"])
def test_importing_actions_need_add_and_change_on_interventions(api, action):
    job = previewed(api)
    viewer = api_client(make_user("viewer", ("imports.view_importjob",)))
    body = problem(post_json(viewer, job_path(job["id"], action)), 403, "api_permission_denied")
    assert "add and change permissions" in body["detail"]
    assert ImportJob.objects.get(pk=job["id"]).status == "previewed"


def test_discard_forgets_a_preview_204_then_404(api):
    job = previewed(api)
    response = post_json(api, job_path(job["id"], "discard"))
    assert response.status_code == 204 and not response.content
    assert not ImportJob.objects.filter(pk=job["id"]).exists()
    problem(api.get(job_path(job["id"])), 404, "api_not_found")


def test_discarding_an_imported_job_is_409(api):
    job = previewed(api)
    post_json(api, job_path(job["id"], "confirm"))
    problem(post_json(api, job_path(job["id"], "discard")), 409, "api_discard_not_open")
    assert Intervention.objects.count() == 1


def test_cancel_stops_a_queued_job_202_and_a_preview_is_409(api):
    job = previewed(api)
    problem(post_json(api, job_path(job["id"], "cancel")), 409, "api_cancel_not_in_background")
    ImportJob.objects.filter(pk=job["id"]).update(status="queued", activity="preview")
    response = post_json(api, job_path(job["id"], "cancel"))
    assert response.status_code == 202
    assert response.json()["status"] == "cancelled"
    problem(post_json(api, job_path(job["id"], "confirm")), 409, "not_open")


def test_cancel_asks_a_running_job_through_the_cache_and_progress_shows(api):
    job = jobs.create_job(SimpleUploadedFile("big.csv", csv_bytes([make_row()])), None)
    ImportJob.objects.filter(pk=job.pk).update(status="running", activity="import")
    import time

    now = time.time()
    live.publish(
        job.pk,
        live.LiveProgress(
            started=now - 10,
            heartbeat=now,
            rows_done=50,
            rows_total=200,
            new=40,
            updated=10,
            unchanged=0,
            error_rows=0,
        ),
    )
    body = api.get(job_path(job.pk)).json()
    assert (body["status"], body["new"]) == ("running", 40)
    assert body["progress"]["rows_done"] == 50 and body["progress"]["seconds_left"] > 0
    assert post_json(api, job_path(job.pk, "cancel")).status_code == 202
    assert live.cancelled_by(job.pk) == "importer"
    assert api.get(job_path(job.pk)).json()["progress"]["cancel_requested"] is True
    live.clear(job.pk)


def test_undo_dry_run_says_what_it_would_do_and_changes_nothing(api):
    job = previewed(api, sample("interventions.csv"))
    post_json(api, job_path(job["id"], "confirm"))
    response = post_json(api, job_path(job["id"], "undo"), {"dry_run": True})
    assert response.status_code == 200
    body = response.json()
    assert (body["job"], body["dry_run"], body["deleted"], body["code"]) == (
        job["id"],
        True,
        5,
        "undo_summary",
    )
    assert "undo_job" not in body
    assert Intervention.objects.count() == 5


def test_undo_200_then_a_second_undo_is_409(api):
    job = previewed(api, sample("interventions.csv"))
    post_json(api, job_path(job["id"], "confirm"))
    response = post_json(api, job_path(job["id"], "undo"))
    assert response.status_code == 200
    body = response.json()
    assert (body["dry_run"], body["deleted"]) == (False, 5) and body["undo_job"]
    assert not Intervention.objects.exists()
    problem(post_json(api, job_path(job["id"], "undo")), 409, "undo_already_undone")
    undo = api.get(job_path(body["undo_job"])).json()
    assert undo["undoes"] == job["id"] and undo["undo_counts"]["deleted"] == 5


def test_undo_of_a_preview_is_409(api):
    job = previewed(api)
    problem(
        post_json(api, job_path(job["id"], "undo"), {"dry_run": True}), 409, "undo_not_committed"
    )


def test_undo_needs_change_and_delete_on_interventions(api):
    job = previewed(api)
    post_json(api, job_path(job["id"], "confirm"))
    importer_only = api_client(make_user("only", IMPORTER_PERMS))
    body = problem(
        post_json(importer_only, job_path(job["id"], "undo")), 403, "api_permission_denied"
    )
    assert "change and delete" in body["detail"]
    assert Intervention.objects.count() == 1


def test_four_eyes_undo_asked_202_same_person_403_another_confirms(api, reviewer, settings):
    job = previewed(api)
    post_json(api, job_path(job["id"], "confirm"))
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    asked = post_json(api, job_path(job["id"], "undo"))
    assert asked.status_code == 202
    body = asked.json()
    assert body["code"] == "undo_asked" and asked["Location"].endswith(job_path(body["undo_job"]))
    assert Intervention.objects.count() == 1
    problem(post_json(api, job_path(job["id"], "undo")), 403, "undo_same_person")
    dry = post_json(api, job_path(job["id"], "undo"), {"dry_run": True})
    assert dry.status_code == 200 and dry.json()["deleted"] == 1  # the waiting undo is not another
    done = post_json(api_client(reviewer), job_path(job["id"], "undo"))
    assert done.status_code == 200 and done.json()["undo_job"] == body["undo_job"]
    assert not Intervention.objects.exists()


def test_a_waiting_undo_can_be_discarded(api, settings):
    job = previewed(api)
    post_json(api, job_path(job["id"], "confirm"))
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    undo_job = post_json(api, job_path(job["id"], "undo")).json()["undo_job"]
    assert post_json(api, job_path(undo_job, "discard")).status_code == 204
    assert not ImportJob.objects.filter(pk=undo_job).exists()
    assert Intervention.objects.count() == 1


def test_a_body_not_valid_is_400(api):
    job = previewed(api)
    body = problem(
        post_json(api, job_path(job["id"], "confirm"), {"strict": "perhaps"}), 400, "api_not_valid"
    )
    assert body["errors"][0]["field"] == "strict"
    response = api.post(
        job_path(job["id"], "confirm"), "{not json", content_type="application/json"
    )
    problem(response, 400, "api_body_not_valid")
