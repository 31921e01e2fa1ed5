"""The command's progress bar: drawn on a terminal, silent otherwise and with --json."""

import io

import pytest
from django.core.management import call_command

from imports.management.progress import ProgressBar
from tests.conftest import csv_bytes, make_row


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class NotATerminal(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("stream", "drawn"),
    [(FakeTerminal(), True), (NotATerminal(), False), (io.StringIO(), False)],
    ids=["terminal", "pipe", "plain-stream"],
)
def test_bar_only_for_terminals(stream, drawn):
    assert (ProgressBar.for_stream(stream, "file.csv") is not None) is drawn


def test_bar_shows_rows_rate_and_time_left():
    stream = FakeTerminal()
    bar = ProgressBar(stream, "file.csv")
    bar(50, 200)
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\rfile.csv [")
    assert "50/200 rows" in text
    assert "rows/s" in text
    assert "s left" in text
    assert text.endswith("\n")


def test_bar_is_throttled_but_always_shows_the_end():
    stream = FakeTerminal()
    bar = ProgressBar(stream, "f.csv")
    for done in range(1, 101):
        bar(done, 100)
    draws = stream.getvalue().count("\r")
    assert 1 <= draws < 100
    assert "100/100 rows" in stream.getvalue().split("\r")[-1]


def test_close_without_drawing_writes_nothing():
    stream = FakeTerminal()
    ProgressBar(stream, "f.csv").close()
    assert stream.getvalue() == ""


@pytest.fixture
def sample(tmp_path, demo):
    path = tmp_path / "interventions.csv"
    path.write_bytes(csv_bytes([make_row(interventionGuid=f"IV-{i}") for i in range(3)]))
    return path


def _run(path, stderr, *flags: str) -> str:
    stdout = io.StringIO()
    call_command("import_interventions", str(path), *flags, stdout=stdout, stderr=stderr)
    return stdout.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stderr", "flags", "drawn"),
    [
        (FakeTerminal(), (), True),
        (FakeTerminal(), ("--dry-run",), True),
        (FakeTerminal(), ("--json",), False),
        (NotATerminal(), (), False),
    ],
    ids=["terminal", "terminal-dry-run", "terminal-json", "not-a-terminal"],
)
def test_command_progress(sample, stderr, flags, drawn):
    stdout = _run(sample, stderr, *flags)
    assert ("rows/s" in stderr.getvalue()) is drawn
    assert "3/3 rows" in stderr.getvalue() if drawn else stderr.getvalue() == ""
    assert "rows/s" not in stdout
