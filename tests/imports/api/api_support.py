"""Helpers of the API tests: uploads, URLs, and problem bodies."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import csv_bytes, make_row

IMPORTS = "/api/v1/imports/"
PROBLEM = "application/problem+json"


def job_path(job_id: int, action: str = "") -> str:
    return f"{IMPORTS}{job_id}/" + (f"{action}/" if action else "")


def upload(client, content: bytes | None = None, name: str = "interventions.csv", **fields):
    content = csv_bytes([make_row()]) if content is None else content
    data = {"file": SimpleUploadedFile(name, content), **fields}
    headers = {}
    if "idempotency_key" in fields:
        headers["HTTP_IDEMPOTENCY_KEY"] = data.pop("idempotency_key")
    return client.post(IMPORTS, data, format="multipart", **headers)


def post_rows(client, rows: list[dict], **fields):
    return client.post(IMPORTS, {"rows": rows, **fields}, format="json")


def post_json(client, path: str, data: dict | None = None, **headers):
    return client.post(path, data or {}, format="json", **headers)


def problem(response, status: int, code: str) -> dict:
    """The problem body of ``response``, checked: its status, type and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert (body["status"], body["code"]) == (status, code), body
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    return body
