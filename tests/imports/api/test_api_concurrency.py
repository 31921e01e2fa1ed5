"""Two clients confirm the same job at once (PostgreSQL, real threads and transactions): one
gets 200, the other 409, and the rows are written once. The same for one idempotency key."""

import threading
import time

import pytest
from django.db import connection

from imports.jobs import confirm
from tests.imports.admin_support import sample
from tests.imports.api.api_support import job_path, post_json, upload
from tests.imports.api.conftest import api_client, client_with, token_for
from training.models import Intervention

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite serialises writers)",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo", "media"),
]


def at_once(calls: dict[str, object]) -> dict[str, object]:
    """Run each call in its own thread (its own connection), started together."""
    barrier = threading.Barrier(len(calls))
    answers: dict[str, object] = {}

    def run(name, call):
        try:
            barrier.wait(timeout=5)
            answers[name] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.fixture
def slow_runs(monkeypatch):
    """Each run takes half a second more, so that the two confirms overlap."""
    original = confirm._run

    def slow(*args, **kwargs):
        time.sleep(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(confirm, "_run", slow)


def test_two_clients_confirming_one_job_one_200_one_409_rows_written_once(
    importer, reviewer, slow_runs
):
    first, second = api_client(importer), api_client(reviewer)
    job = upload(first, sample("interventions.csv")).json()
    path = job_path(job["id"], "confirm")
    answers = at_once(
        {"first": lambda: post_json(first, path), "second": lambda: post_json(second, path)}
    )
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 409]
    refused = next(a for a in answers.values() if a.status_code == 409)
    assert refused.json()["code"] == "not_open"
    assert Intervention.objects.count() == 5


def test_two_retries_with_one_key_at_once_one_runs_the_other_is_409(importer, slow_runs):
    key = token_for(importer)
    one, two = client_with(key), client_with(key)  # one token, two connections
    job = upload(one, sample("interventions.csv")).json()
    path = job_path(job["id"], "confirm")
    same = {"HTTP_IDEMPOTENCY_KEY": "same"}
    answers = at_once(
        {"one": lambda: post_json(one, path, **same), "two": lambda: post_json(two, path, **same)}
    )
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 409]
    refused = next(a for a in answers.values() if a.status_code == 409)
    assert refused.json()["code"] == "api_idempotency_in_progress"
    assert Intervention.objects.count() == 5
