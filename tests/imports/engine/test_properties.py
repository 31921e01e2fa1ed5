"""Property: any bytes given as a file give a result or one of our own errors, quickly.

``run_import`` must never let an exception escape, whatever the bytes: random bytes, and
valid CSV/XLSX/ODS files that are truncated or have bytes overwritten.
"""

import datetime as dt

import pytest
import tablib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.engine import ImportOptions, run_import
from imports.parsing.results import ImportResult
from tests.conftest import HEADER, csv_bytes, make_row, xlsx_bytes
from training.models import Intervention, Room

ROWS = [make_row(interventionGuid=f"IV-{n}") for n in range(3)]
VALID = {
    "csv": csv_bytes(ROWS),
    "xlsx": xlsx_bytes([[row[name] for name in HEADER] for row in ROWS]),
    "ods": tablib.Dataset(*[[r[n] for n in HEADER] for r in ROWS], headers=HEADER).export("ods"),
}
FORMATS = sorted(VALID)
PROPERTY = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=2),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check(result: ImportResult) -> None:
    """What every outcome must look like: counts that add up, errors that are ours."""
    assert isinstance(result, ImportResult)
    if result.file_errors:
        assert result.committed is False
        assert all(isinstance(e.message, str) and e.message for e in result.file_errors)
        assert not any("Traceback" in e.message for e in result.file_errors)
    assert result.total_rows == result.new + result.updated + result.unchanged + result.error_rows
    assert len({e.line for e in result.errors}) <= result.error_rows
    for error in result.errors:
        assert error.line is not None and error.message


@st.composite
def damaged(draw, file_format: str) -> bytes:
    """A valid file of ``file_format`` with some bytes overwritten, then maybe truncated."""
    data = bytearray(VALID[file_format])
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    end = draw(st.integers(1, len(data)))
    return bytes(data[:end])


@pytest.mark.parametrize("file_format", FORMATS)
@PROPERTY
@given(data=st.binary(max_size=4096))
def test_random_bytes_give_a_result_or_our_error(demo, file_format, data):
    check(run_import(data, f"random.{file_format}", None, ImportOptions()))


@pytest.mark.parametrize("file_format", FORMATS)
@PROPERTY
@given(data=st.data())
def test_damaged_files_give_a_result_or_our_error(demo, file_format, data):
    before = (Intervention.objects.count(), Room.objects.count())
    result = run_import(data.draw(damaged(file_format)), f"damaged.{file_format}")
    check(result)
    if result.file_errors:
        assert (Intervention.objects.count(), Room.objects.count()) == before


@PROPERTY
@given(text=st.text(max_size=400), encoding=st.sampled_from([None, "cp1252", "utf-16", "latin-1"]))
def test_any_text_as_csv_gives_a_result_or_our_error(demo, text, encoding):
    data = text.encode(encoding or "utf-8", errors="replace")
    check(run_import(data, "text.csv", None, ImportOptions(encoding=encoding, dry_run=True)))


@PROPERTY
@given(
    cells=st.lists(
        st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.booleans()),
        min_size=0,
        max_size=len(HEADER) + 3,
    )
)
def test_any_spreadsheet_cells_give_a_result_or_our_error(demo, cells):
    """Typed cells (numbers, NaN, infinities, booleans, any text) through the XLSX reader."""
    printable = [c for c in cells if not isinstance(c, str) or c.isprintable()]
    try:
        data = xlsx_bytes([printable])
    except ValueError:  # openpyxl refuses some values itself (e.g. control characters)
        return
    check(run_import(data, "cells.xlsx", None, ImportOptions(dry_run=True)))
