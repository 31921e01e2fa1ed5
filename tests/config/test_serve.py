"""The production recipe runs as written: ``make serve`` (migrate, collectstatic, gunicorn)
starts a server that answers the admin's login page, with DEBUG unset.

It runs the Makefile's own target with this test's virtualenv, against a new SQLite database
and static folder in a temporary directory, on a free port; then stops it.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
STARTUP = 60  # seconds: migrate, collectstatic and gunicorn's boot on a busy machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(url: str, server: subprocess.Popen) -> int:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make serve stopped with status {server.returncode}")
        try:
            return get(url)
        except OSError:  # not listening yet
            time.sleep(0.3)
    pytest.fail(f"no answer from {url} within {STARTUP} s")


def stop(server: subprocess.Popen) -> None:
    """Stop make and gunicorn (the process group this test started)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_prod_and_s3_extras_are_what_the_makefile_installs():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert any(requirement.startswith("gunicorn") for requirement in extras["prod"])
    assert any(requirement.startswith("django-storages[s3]") for requirement in extras["s3"])
    assert any(requirement.startswith("moto[server]") for requirement in extras["test"])
    # make test (CI) installs the s3 extra, so that the S3 tests run there
    assert "-e '.[test,prod,s3]'" in (ROOT / "Makefile").read_text()


def test_make_serve_answers_the_login_page(tmp_path):
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make installs nothing
    port = free_port()
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    environ.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SECRET_KEY="a-test-secret-key-that-is-long-enough-for-the-recipe",
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    command = [
        "make",
        "--no-print-directory",
        "serve",
        f"VENV={sys.prefix}",
        f"STAMP={stamp}",
        "WORKERS=2",
        f"HOST_PROD=127.0.0.1:{port}",
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: stopped with gunicorn's workers
    )
    try:
        status = wait_for(f"http://127.0.0.1:{port}{reverse('admin:login')}", server)
        root = get(f"http://127.0.0.1:{port}/")
    finally:
        stop(server)
    assert status == 200
    assert root == 200  # the root redirects to the admin, which redirects to the login page
    assert (tmp_path / "db.sqlite3").stat().st_size > 0  # migrated
    assert (tmp_path / "static" / "admin").is_dir()  # collected
