"""The OpenAPI document (/api/v1/schema/) and its page (/api/v1/docs/), whose Swagger UI
comes from our own static files: nothing is fetched from outside."""

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_with_every_endpoint_and_the_token_scheme():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/imports/",
        "/api/v1/imports/{job_id}/",
        "/api/v1/imports/{job_id}/errors/",
        "/api/v1/imports/{job_id}/rows/",
        "/api/v1/imports/{job_id}/confirm/",
        "/api/v1/imports/{job_id}/discard/",
        "/api/v1/imports/{job_id}/cancel/",
        "/api/v1/imports/{job_id}/undo/",
        "/api/v1/interventions/",
        "/api/v1/auth/token/",
    } <= set(schema["paths"])
    token = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    confirm = schema["paths"]["/api/v1/imports/{job_id}/confirm/"]["post"]
    assert {"200", "202", "403", "409"} <= set(confirm["responses"])
    assert "application/problem+json" in confirm["responses"]["409"]["content"]
    upload = schema["paths"]["/api/v1/imports/"]["post"]
    assert {"multipart/form-data", "application/json"} <= set(upload["requestBody"]["content"])
    assert any(p["name"] == "Idempotency-Key" for p in upload["parameters"])


def test_the_docs_page_loads_swagger_ui_from_our_static_files_only():
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", page)
    assert external == [], "the page fetches nothing from outside"
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    statics = [s for s in sources if s.startswith("/static/")]
    assert statics
    for path in statics:
        assert finders.find(path.removeprefix("/static/")), path
    assert "cdn" not in page.lower()
