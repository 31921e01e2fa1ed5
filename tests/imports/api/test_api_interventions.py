"""GET /api/v1/interventions/: the export's rows as JSON in the import's column names, its
filters, a cursor; the same rows posted back as rows change nothing."""

import pytest

from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import make_user, sample
from tests.imports.api.api_support import job_path, post_json, post_rows, problem, upload
from tests.imports.api.conftest import api_client
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
URL = "/api/v1/interventions/"


@pytest.fixture
def imported(api):
    job = upload(api, sample("interventions.csv")).json()
    assert post_json(api, job_path(job["id"], "confirm")).status_code == 200
    return job


def all_rows(client, url: str = URL) -> list[dict]:
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def test_rows_in_the_import_column_names_as_the_export_writes_them(api, imported):
    body = api.get(URL).json()
    assert body["columns"][:3] == ["interventionGuid", "trainingGuid", "trainingPathCode"]
    assert len(body["results"]) == 5
    first = body["results"][0]
    assert set(first) == set(body["columns"])
    assert first["interventionDate"] == "2027-03-01T09:00:00"


def test_a_cursor_pages_through_every_row_once(api, imported, settings):
    settings.INTERVENTION_IMPORT = {"API_PAGE_SIZE": 2}
    page = api.get(URL).json()
    assert len(page["results"]) == 2 and page["next"] and page["previous"] is None
    rows = all_rows(api)
    assert len(rows) == 5 == len({row["interventionGuid"] for row in rows})
    problem(api.get(URL + "?cursor=garbage"), 404, "api_not_found")


def test_the_exports_filters(api, imported):
    one = Intervention.objects.order_by("start").first()
    by_training = all_rows(api, f"{URL}?training={one.session.training.guid}")
    assert by_training and {r["trainingGuid"] for r in by_training} == {one.session.training.guid}
    day = one.start.date().isoformat()
    same_day = all_rows(api, f"{URL}?since={day}&until={day}")
    assert one.guid in {r["interventionGuid"] for r in same_day}
    assert all_rows(api, f"{URL}?since=2999-01-01") == []
    assert all_rows(api, f"{URL}?session=NOPE") == []
    body = problem(api.get(f"{URL}?since=yesterday"), 400, "api_not_valid")
    assert body["errors"][0]["field"] == "since"


def test_the_same_rows_posted_back_change_nothing(api, imported):
    Intervention.objects.filter(guid="IV-1001").update(status="C")
    room = Intervention.objects.get(guid="IV-1001").room
    room.label = "=HYPERLINK(1)"  # a formula-like text comes back as it is
    room.save()
    rows = all_rows(api)
    response = post_rows(api, rows)
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["new"], job["updated"], job["unchanged"], job["error_rows"]) == (0, 0, 5, 0)


def test_reading_interventions_needs_their_view_permission(api, imported):
    importer_only = api_client(make_user("jobs", ("imports.view_importjob",)))
    problem(importer_only.get(URL), 403, "api_permission_denied")
    viewer = api_client(make_user("viewer", ("training.view_intervention",)))
    assert len(viewer.get(URL).json()["results"]) == 5


def test_a_new_row_and_an_edited_row_come_back_as_an_import(api, imported):
    rows = all_rows(api)
    rows[0]["interventionDuration"] = "1.5"
    rows.append({**rows[1], "interventionGuid": "IV-NEW", "interventionStatus": "C"})
    job = post_rows(api, rows).json()
    assert (job["new"], job["updated"], job["unchanged"]) == (1, 1, 4)
    assert csv_bytes([make_row()])  # the helpers stay importable
