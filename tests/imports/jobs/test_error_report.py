"""The error report CSV: the failing rows as they were, with formulas neutralised."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.jobs.error_report import error_report_csv, neutralise
from tests.conftest import HEADER, csv_bytes, make_row


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def read_report(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.usefixtures("demo", "media")
def test_report_has_the_failing_rows_line_and_error():
    rows = [
        make_row(),
        make_row(interventionGuid="IV-2", teacherLogin="=HYPERLINK(1)"),
        make_row(interventionGuid="IV-3", interventionDuration="x", interventionStatus="Q"),
    ]
    job = jobs.create_job(SimpleUploadedFile("f.csv", csv_bytes(rows)), None)
    jobs.preview_job(job)
    report = read_report(error_report_csv(job))
    assert report[0] == HEADER + ["line", "error", "code", "suggestion"]
    assert len(report) == 3
    second, third = report[1], report[2]
    assert second[:2] == ["IV-2", "TR-1"]
    assert second[HEADER.index("teacherLogin")] == "'=HYPERLINK(1)"
    assert second[-4:] == [
        "3",
        "Teacher with login =HYPERLINK(1) is not found.",
        "teacher_not_found",
        "",
    ]
    assert third[-4] == "4"
    assert "Status has invalid value Q, A or C expected." in third[-3]
    assert "Duration x not valid" in third[-3]
    assert third[-2:] == ["duration_not_valid status_not_valid", ""]


@pytest.mark.usefixtures("demo", "media")
def test_report_gives_the_suggestion_of_a_key_not_found():
    job = jobs.create_job(
        SimpleUploadedFile("f.csv", csv_bytes([make_row(teacherLogin="JDoe")])), None
    )
    jobs.preview_job(job)
    report = read_report(error_report_csv(job))
    assert report[1][-3:] == ["Teacher with login JDoe is not found.", "teacher_not_found", "jdoe"]
