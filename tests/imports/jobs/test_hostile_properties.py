"""Any text in any cell (hypothesis, issue 25), on both databases: the preview, the job's stored
rows and errors, the error report and the confirm never raise, and the file's other rows come
out as they do without that cell.

A file can hold any text but a lone surrogate (no UTF-8 file encodes one): those reach the
engine only from a door that hands it Python strings (django-import-export's Dataset), and the
job's storing is checked with them here too. Each example runs in a transaction rolled back at
its end, so examples do not see each other.
"""

import csv
import datetime as dt
import io
from contextlib import contextmanager

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from imports import jobs
from imports.engine import ImportOptions, import_table
from imports.jobs.error_report import error_report_csv
from imports.jobs.models import ImportJob
from imports.parsing.storable import storable_text
from imports.resource import InterventionResource, table_from_dataset
from tests.conftest import HEADER, make_row

from .test_hostile_storing import BASE as HOSTILE_BASE  # the hostile row, a cell replaced

pytestmark = pytest.mark.usefixtures("demo", "media")

PROPERTY = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BEFORE = make_row(interventionGuid="IV-BEFORE")
AFTER = make_row(interventionGuid="IV-AFTER", interventionDate="2027-03-03T09:00:00")
ODD = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\t\r\n;\"'=@ aé"
FILE_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),  # any text a UTF-8 file holds
    st.text(alphabet=ODD, max_size=30),  # NUL, control characters, separators, quotes
    st.text(alphabet=ODD, min_size=1, max_size=4).map(lambda unit: unit * (10_000 // len(unit))),
)
ANY_TEXT = FILE_TEXT | st.text(st.characters(codec=None, categories=None), max_size=30)
# A whole file refused for its NULs (it looks like UTF-16 or binary: readers/csv_reader.py),
# or, when one cell is thousands of control characters, as not a text file (readers/sniff.py)
FILE_REFUSALS = {"file_binary", "file_utf16_without_bom", "file_not_text"}


def quoted_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows([[row[name] for name in HEADER] for row in rows])
    return buffer.getvalue().encode("utf-8")


def report_errors(job: ImportJob) -> str:
    """The messages of the job's error report (its ``error`` column), read as CSV."""
    text = error_report_csv(job).decode("utf-8").removeprefix("\ufeff")
    header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    at = header.index("error", len(header) - 4)
    return " ".join(row[at] for row in rows)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def others(job: ImportJob) -> dict[str, tuple]:
    """The other rows' outcomes, changes and messages, by GUID (a cell's line breaks move
    the lines after it)."""
    messages = {}
    for row in job.rows.exclude(guid__in=["IV-HOSTILE"]).filter(guid__startswith="IV-"):
        found = job.errors.filter(line=row.line).order_by("message").values_list("message")
        messages[row.guid] = (row.outcome, row.changes, [text for (text,) in found])
    return messages


def preview(field: str, value: str) -> ImportJob:
    content = quoted_csv([BEFORE, {**HOSTILE_BASE, field: value}, AFTER])
    job = jobs.create_job(SimpleUploadedFile("any.csv", content), None)
    jobs.preview_job(job)
    job.refresh_from_db()
    return job


@pytest.fixture
def without_the_cell() -> dict[str, tuple]:
    with rolled_back():
        return others(preview("roomLabel", "Room 900"))


@PROPERTY
@given(field=st.sampled_from(HEADER), value=FILE_TEXT)
def test_any_cell_of_a_file_is_stored_and_leaves_the_other_rows_alone(
    without_the_cell, field, value
):
    with rolled_back():
        job = preview(field, value)
        report = report_errors(job)
        refused = set(job.errors.filter(file_level=True).values_list("code", flat=True))
        if refused:
            event("the file refused for its NULs")
            assert refused <= FILE_REFUSALS
            return
        assert others(job) == without_the_cell
        for error in job.errors.filter(level="ERROR", line__isnull=False):
            assert "\x00" not in error.value + error.message
            assert error.message in report
        confirmation = jobs.confirm_job(job, None)
        assert confirmation.verdict is jobs.Verdict.IMPORTED
        job.refresh_from_db()
        assert job.new == 2 + (job.error_rows == 0)


@PROPERTY
@given(field=st.sampled_from(HEADER), value=ANY_TEXT)
def test_any_text_from_a_dataset_is_imported_or_refused_and_its_job_stored(field, value):
    rows = [BEFORE, {**HOSTILE_BASE, field: value}, AFTER]
    data = [[row[name] for name in HEADER] for row in rows]
    with rolled_back():
        dataset = tablib.Dataset(*data, headers=HEADER)
        result = import_table(table_from_dataset(dataset), None, ImportOptions(keep_rows=True))
        assert result.new >= 2
        job = ImportJob.objects.create(file_name="any", sha256="0" * 64)
        jobs.store_details(job, result)
        stored = set(job.errors.values_list("value", flat=True))
        assert stored == {storable_text(e.value or "") for e in result.errors + result.warnings}
        report_errors(job)
    with rolled_back():
        outcome = InterventionResource().import_data(dataset, dry_run=True)
        assert outcome.totals["new"] >= 2
