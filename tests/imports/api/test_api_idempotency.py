"""Idempotency-Key on every POST: a retry gets the first answer (no second job), another body
with the same key is 422, a retry while the first runs is 409, keys are kept 24 hours."""

import datetime as dt

import pytest
from django.utils import timezone

from imports.api.models import IdempotencyKey
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.api.api_support import IMPORTS, job_path, post_json, problem, upload
from tests.imports.api.conftest import api_client
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")


def keyed(key: str) -> dict[str, str]:
    return {"HTTP_IDEMPOTENCY_KEY": key}


def test_a_retried_upload_gets_the_first_answer_and_no_second_job(api):
    first = upload(api, idempotency_key="upload-1")
    again = upload(api, idempotency_key="upload-1")  # another multipart boundary, same file
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert ImportJob.objects.count() == 1


def test_the_same_key_with_another_body_is_422(api):
    upload(api, idempotency_key="k")
    other = upload(api, csv_bytes([make_row(interventionGuid="IV-9")]), idempotency_key="k")
    problem(other, 422, "api_idempotency_key_reused")
    assert ImportJob.objects.count() == 1
    rows = api.post(IMPORTS, {"rows": [make_row()]}, format="json", **keyed("k"))
    problem(rows, 422, "api_idempotency_key_reused")


def test_a_retry_while_the_first_request_runs_is_409(api, importer):
    job = upload(api).json()
    path = job_path(job["id"], "confirm")
    first = post_json(api, path, **keyed("confirm-1"))
    assert first.status_code == 200
    record = IdempotencyKey.objects.get(key="confirm-1")
    IdempotencyKey.objects.filter(pk=record.pk).update(done=False)  # as while it runs
    response = post_json(api, path, **keyed("confirm-1"))
    problem(response, 409, "api_idempotency_in_progress")
    assert response["Retry-After"] == "1"


def test_a_retried_confirm_returns_the_first_200_and_writes_once(api):
    job = upload(api).json()
    path = job_path(job["id"], "confirm")
    first = post_json(api, path, **keyed("c"))
    again = post_json(api, path, **keyed("c"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["status"] == "imported" and Intervention.objects.count() == 1
    problem(post_json(api, path, **keyed("c2")), 409, "not_open")  # a new key: a new request


def test_a_refusal_of_the_service_is_kept_a_request_not_valid_is_not(api, settings):
    job = upload(api).json()
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    path = job_path(job["id"], "confirm")
    problem(post_json(api, path, **keyed("four")), 403, "four_eyes")
    settings.INTERVENTION_IMPORT = {}
    replayed = post_json(api, path, **keyed("four"))
    problem(replayed, 403, "four_eyes")  # the first answer
    assert replayed["Idempotent-Replayed"] == "true"
    problem(post_json(api, path, {"strict": "x"}, **keyed("bad")), 400, "api_not_valid")
    assert not IdempotencyKey.objects.filter(key="bad").exists()
    assert post_json(api, path, **keyed("bad")).status_code == 200  # the key is free again


def test_keys_belong_to_their_user(api, reviewer):
    upload(api, idempotency_key="shared")
    assert upload(api_client(reviewer), idempotency_key="shared").status_code == 201
    assert ImportJob.objects.count() == 2


def test_a_key_is_forgotten_after_24_hours(api):
    upload(api, idempotency_key="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    again = upload(api, idempotency_key="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert ImportJob.objects.count() == 2 and IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_a_key_not_valid_is_400(api, key):
    problem(upload(api, idempotency_key=key), 400, "api_idempotency_key_not_valid")
    assert not ImportJob.objects.exists()


def test_discard_cancel_and_undo_take_a_key_too(api):
    job = upload(api).json()
    discard = job_path(job["id"], "discard")
    assert post_json(api, discard, **keyed("d")).status_code == 204
    assert post_json(api, discard, **keyed("d")).status_code == 204  # the first answer
    problem(post_json(api, discard, **keyed("d2")), 404, "api_not_found")
    job = upload(api).json()
    post_json(api, job_path(job["id"], "confirm"))
    undo = job_path(job["id"], "undo")
    first = post_json(api, undo, **keyed("u"))
    assert first.status_code == 200
    assert post_json(api, undo, **keyed("u")).json() == first.json()
    cancel = job_path(job["id"], "cancel")
    problem(post_json(api, cancel, **keyed("x")), 409, "api_cancel_not_in_background")
    problem(post_json(api, cancel, **keyed("x")), 409, "api_cancel_not_in_background")
