"""cancelMissing through the API (issue 29): the upload's cancel_missing, the job's
cancelled_missing, and above the share allowed the count confirmed (cancel_count) or 409."""

import pytest

from tests.conftest import csv_bytes
from tests.imports.api.api_support import job_path, post_json, post_rows, problem, upload
from tests.imports.engine.test_cancel_missing import FILE_ROWS, many_stored, stored
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")


def test_cancel_missing_cancels_what_the_file_leaves_out(api):
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    job = upload(api, csv_bytes(FILE_ROWS[:2]), cancel_missing=True).json()
    assert (job["options"]["cancel_missing"], job["cancelled_missing"]) == (True, 1)
    assert job["needs_cancel_confirmation"] is False
    done = post_json(api, job_path(job["id"], "confirm"))
    assert done.status_code == 200 and done.json()["cancelled_missing"] == 1
    assert Intervention.objects.get(guid="IV-X").status == "C"


def test_without_it_nothing_is_cancelled(api):
    stored("IV-X", "2027-03-03T15:00:00")
    job = post_rows(api, FILE_ROWS[:2]).json()
    assert (job["options"]["cancel_missing"], job["cancelled_missing"]) == (False, 0)


def test_above_the_share_the_count_is_confirmed_or_409(api):
    many_stored(3)
    job = upload(api, csv_bytes(FILE_ROWS[:2]), cancel_missing=True).json()
    assert (job["cancelled_missing"], job["needs_cancel_confirmation"]) == (3, True)
    path = job_path(job["id"], "confirm")
    problem(post_json(api, path), 409, "cancel_missing_not_confirmed")
    problem(post_json(api, path, {"cancel_count": 2}), 409, "cancel_missing_not_confirmed")
    assert not Intervention.objects.filter(status="C").exists()
    done = post_json(api, path, {"cancel_count": 3})
    assert done.status_code == 200
    assert Intervention.objects.filter(status="C").count() == 3
