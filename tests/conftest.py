"""Shared fixtures: the demo reference data and small file builders."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

# The S3 server and stores of the storage tests (moto's server mode), for every folder.
from tests.s3_support import (  # noqa: F401
    moto_endpoint,
    refusing_server,
    s3_store,
    silent_server,
)


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts and ends in the site's language: a request through the test client
    activates the browser's (LocaleMiddleware) in this thread and leaves it active."""
    translation.deactivate()
    yield
    translation.deactivate()


HEADER = [
    "interventionGuid",
    "trainingGuid",
    "trainingPathCode",
    "sessionGuid",
    "sessionTitle",
    "interventionDate",
    "interventionDuration",
    "roomGuid",
    "roomLabel",
    "roomCapacity",
    "teacherLogin",
    "interventionStatus",
]
# A valid row for the demo data; tests override single cells by field name.
VALID_ROW = {
    "interventionGuid": "IV-1",
    "trainingGuid": "TR-1",
    "trainingPathCode": "",
    "sessionGuid": "SE-1",
    "sessionTitle": "",
    "interventionDate": "2027-03-01T09:00:00",
    "interventionDuration": "3",
    "roomGuid": "R-101",
    "roomLabel": "Room 101",
    "roomCapacity": "20",
    "teacherLogin": "jdoe",
    "interventionStatus": "A",
}


def make_row(**overrides: str) -> dict[str, str]:
    row = dict(VALID_ROW)
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict[str, str]], header: list[str] = HEADER, sep: str = ";") -> bytes:
    lines = [sep.join(header)]
    lines += [sep.join(str(row.get(name, "")) for name in header) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def demo(db):
    """The demo reference data (trainings, sessions, rooms, teachers) that the samples use."""
    call_command("loaddata", "demo", verbosity=0)
