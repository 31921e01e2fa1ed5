"""Schemathesis against /api/v1/schema/, in-process (WSGI): every operation is called with
data generated from the schema, as a superuser with a token, on the demo data and an import
of the sample; no answer is a 5xx, and every answer has a status code, a content type and a
body that the schema documents."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.imports.admin_support import make_user, sample
from tests.imports.api.api_support import job_path, post_json, upload
from tests.imports.api.conftest import api_client, token_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected (Django is set up by then; the schema view reads no
# database). schemathesis's lazy loader (``from_fixture``) needs pytest < 9.2.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def superuser_token(demo, media, settings):
    settings.INTERVENTION_IMPORT = {"API_THROTTLE_RATE": "100000/minute"}
    user = make_user("fuzz", superuser=True)
    client = api_client(user)
    imported = upload(client, sample("interventions.csv")).json()  # job 1: imported
    post_json(client, job_path(imported["id"], "confirm"))
    upload(client, sample("interventions_with_errors.csv"))  # job 2: a preview with errors
    key = token_for(user)
    # As Django's test client does around each of its requests (so not before its requests
    # above): a request in the test's process does not close the test's database connection
    # (in the test's transaction) when it starts and ends.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield key
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_as_its_schema_says(case, superuser_token):
    case.call_and_validate(headers={"Authorization": f"Token {superuser_token}"}, checks=CHECKS)
