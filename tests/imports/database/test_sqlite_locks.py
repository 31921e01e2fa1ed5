"""SQLite, the embedded default, never answers "database is locked" with a traceback.

Real processes on a real SQLite file (the suite's own database may be in memory or
PostgreSQL): two admin tabs confirming at once, and a write lock held longer than the busy
timeout. Each tab is ``tests/imports/sqlite_tab.py`` in its own process.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 3000  # enough for two confirms to overlap


@pytest.fixture
def sqlite_file(tmp_path):
    """A migrated SQLite file with the demo data, a superuser and two previews."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    for command in (["migrate", "-v0"], ["loaddata", "demo", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    ids = json.loads(tab(env, "setup", str(ROWS)).communicate()[0])
    return env, ids, tmp_path / "go"


def tab(env: dict[str, str], *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "tests.imports.sqlite_tab", *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert process.returncode == 0, err
    return json.loads(out)


def confirm_at_once(env: dict[str, str], job_ids: list[int], go: Path) -> list[dict]:
    tabs = [tab(env, "confirm", str(job_id), str(go)) for job_id in job_ids]
    time.sleep(1.5)  # both processes started and waiting
    go.touch()
    return [finish(process) for process in tabs]


def test_two_tabs_confirming_two_previews_at_once_both_import(sqlite_file):
    env, (first, second), go = sqlite_file
    results = confirm_at_once(env, [first, second], go)
    assert [r["status_code"] for r in results] == [302, 302]
    assert [r["job"] for r in results] == ["imported", "imported"]
    assert all(f": {ROWS} new, 0 updated" in r["messages"][0] for r in results)


def test_two_tabs_confirming_one_preview_at_once_import_it_once(sqlite_file):
    env, (job_id, _), go = sqlite_file
    results = confirm_at_once(env, [job_id, job_id], go)
    assert [r["status_code"] for r in results] == [302, 302]
    texts = sorted(r["messages"][0] for r in results)
    assert texts[0].startswith(f"Imported IV-TAB-A.csv: {ROWS} new")
    assert texts[1] == "This import is imported; nothing was done."


def test_a_lock_held_past_the_busy_timeout_is_a_message_and_the_preview_stays(sqlite_file):
    env, (job_id, _), go = sqlite_file
    confirming = tab({**env, "SQLITE_BUSY_TIMEOUT": "0.5"}, "confirm", str(job_id), str(go))
    wait_for(go.with_suffix(".ready"))
    holder = tab(env, "hold", "4", str(go))  # takes the write lock, then says go
    result = finish(confirming)
    holder.communicate(timeout=30)
    assert result["status_code"] == 302
    assert result["messages"] == [
        "The database is busy with another write, so nothing was written; try again in a moment."
    ]
    assert result["job"] == "previewed"  # still confirmable
