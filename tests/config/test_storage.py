"""The uploads' store and the logs from the environment (config/storage.py, config/logs.py),
the documented settings run as written, and two web servers sharing one S3 bucket: an upload
on one, its confirm on the other (README "Production")."""

import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import logs, storage
from tests.config.test_serve import ROOT, free_port, stop, wait_for
from tests.conftest import csv_bytes, make_row
from tests.s3_support import CREDENTIALS, PREFIX, environment, keys, new_bucket

SECRET = "the-same-secret-key-on-every-host-of-the-recipe-0123456789"


def test_without_storage_url_uploads_go_to_media_root():
    assert storage.storages("", {}) == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_storage_url_names_the_bucket_and_prefix_the_aws_variables_the_rest():
    pytest.importorskip("botocore")
    env = {
        "AWS_S3_ENDPOINT_URL": "https://minio.example.org:9000",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_S3_CONNECT_TIMEOUT": "2",
        "AWS_S3_MAX_ATTEMPTS": "4",
    }
    default = storage.storages("s3://imports-bucket/prod/uploads/", env)["default"]
    options = default["OPTIONS"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["location"]) == ("imports-bucket", "prod/uploads")
    assert (options["endpoint_url"], options["region_name"]) == (
        "https://minio.example.org:9000",
        "eu-west-3",
    )
    assert (options["file_overwrite"], options["default_acl"]) == (False, None)
    config = options["client_config"]
    assert (config.connect_timeout, config.read_timeout) == (2.0, 60)
    assert config.retries == {"mode": "standard", "total_max_attempts": 4}


@pytest.mark.parametrize(
    "url, said",
    [
        ("file:///srv/media", "only s3://bucket/prefix is known"),
        ("s3:///prefix", "names no bucket"),
    ],
)
def test_a_storage_url_that_is_not_one_is_refused(url, said):
    with pytest.raises(ImproperlyConfigured, match=said):
        storage.storages(url, {})


def test_without_the_s3_extra_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "botocore.config", None)  # import fails
    with pytest.raises(ImproperlyConfigured, match=r"install the extra s3 \(pip install"):
        storage.storages("s3://bucket", {})


def record(name: str, level: int, message: str, **extra) -> logging.LogRecord:
    made = logging.LogRecord(name, level, __file__, 1, message, (), None)
    made.__dict__.update(extra)
    return made


def test_log_lines_are_json_with_the_job_id():
    line = json.loads(logs.JsonLines().format(record("imports.jobs.runs", 30, "late", job=7)))
    assert {key: line[key] for key in ("level", "logger", "message", "job")} == {
        "level": "WARNING",
        "logger": "imports.jobs.runs",
        "message": "late",
        "job": 7,
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])
    text = logs.TextLines(logs.TEXT_FORMAT).format(record("django.request", 40, "boom"))
    assert text.endswith("ERROR django.request job=- boom")


def test_errors_and_the_import_services_warnings_pass_the_rest_does_not():
    passes = logs.ErrorsAndImports().filter
    assert passes(record("django.request", logging.ERROR, "500"))
    assert passes(record("imports.jobs.file_store", logging.WARNING, "store"))
    assert not passes(record("django.request", logging.WARNING, "404"))
    assert not passes(record("celery.worker", logging.INFO, "ready"))


def host_environment(tmp_path: Path, name: str, endpoint: str, bucket: str) -> dict[str, str]:
    """A host of the recipe: its own temporary and media folders; the shared database, S3
    bucket and SECRET_KEY."""
    own = tmp_path / name
    (own / "tmp").mkdir(parents=True)
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "STORAGE_URL")
    }
    environ.update(
        environment(endpoint, bucket),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(own / "media"),
        TMPDIR=str(own / "tmp"),
        STATIC_ROOT=str(own / "static"),
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
        LOG_FORMAT="json",
    )
    return environ


def manage(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_settings_store_uploads_in_the_bucket(moto_endpoint, tmp_path):
    """The README's environment, as a new host reads it: default_storage is the bucket."""
    bucket = new_bucket(moto_endpoint)
    environ = host_environment(tmp_path, "host", moto_endpoint, bucket)
    script = (
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "print(type(s._wrapped).__name__ if s.save('imports/1/a.csv', ContentFile(b'x'))"
        " else '')"
    )
    done = manage(environ, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "S3Storage"
    assert keys(moto_endpoint, bucket) == [f"{PREFIX}/imports/1/a.csv"]
    # without STORAGE_URL: MEDIA_ROOT, as before
    local = {k: v for k, v in environ.items() if k != "STORAGE_URL"}
    done = manage(local, "shell", "-c", script)
    assert done.stdout.split()[-1] == "FileSystemStorage"


def test_a_warning_of_the_import_service_is_a_json_line_on_stderr(tmp_path):
    environ = host_environment(tmp_path, "host", "http://unused", "unused")
    environ.pop("STORAGE_URL")
    script = (
        "import logging;"
        "logging.getLogger('imports.jobs.runs').warning('late %s', 3, extra={'job': 3});"
        "logging.getLogger('django.request').warning('Not Found: /x')"
    )
    done = manage(environ, "shell", "-c", script)
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [(line["logger"], line["message"], line.get("job")) for line in lines] == [
        ("imports.jobs.runs", "late 3", 3)
    ]


def gunicorn(environ: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def csrf_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_upload_on_one_server_and_confirm_on_the_other(moto_endpoint, tmp_path):
    requests = pytest.importorskip("requests")
    bucket = new_bucket(moto_endpoint)
    one = host_environment(tmp_path, "one", moto_endpoint, bucket)
    other = host_environment(tmp_path, "other", moto_endpoint, bucket)
    for args in (["migrate", "--no-input", "-v0"], ["loaddata", "demo", "-v0"]):
        done = manage(one, *args)
        assert done.returncode == 0, done.stderr
    done = manage(one, "ensure_superuser", "--username", "admin", "--password", "pw-12345678")
    assert done.returncode == 0, done.stderr
    ports = free_port(), free_port()
    servers = [gunicorn(one, ports[0]), gunicorn(other, ports[1])]
    first, second = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        for base, server in zip((first, second), servers, strict=True):
            wait_for(f"{base}/admin/login/", server)
        browser = requests.Session()
        login = browser.get(f"{first}/admin/login/", timeout=10)
        browser.post(
            f"{first}/admin/login/",
            data={
                "csrfmiddlewaretoken": csrf_of(login.text),
                "username": "admin",
                "password": "pw-12345678",
                "next": "/admin/",
            },
            timeout=10,
        )
        page = browser.get(f"{first}/admin/training/intervention/import/", timeout=10)
        content = csv_bytes([make_row(interventionGuid="IV-TWO-HOSTS")])
        uploaded = browser.post(
            f"{first}/admin/training/intervention/import/",
            data={"csrfmiddlewaretoken": csrf_of(page.text), "format": "", "configuration": ""},
            files={"file": ("week.csv", content, "text/csv")},
            timeout=30,
            allow_redirects=False,
        )
        assert uploaded.status_code == 302, uploaded.text[:2000]
        preview = uploaded.headers["Location"]
        job_id = int(re.search(r"/import/(\d+)/", preview).group(1))
        # the other server: the same session (same SECRET_KEY, database), its own folders
        shown = browser.get(f"{second}{preview}", timeout=10)
        assert "1 new" in shown.text
        confirmed = browser.post(
            f"{second}/admin/training/intervention/import/{job_id}/confirm/",
            data={"csrfmiddlewaretoken": csrf_of(shown.text)},
            timeout=30,
            allow_redirects=False,
        )
        assert confirmed.status_code == 302
    finally:
        for server in servers:
            stop(server)
    errors = b"".join(server.stderr.read() for server in servers if server.stderr)
    assert b'"level": "ERROR"' not in errors
    database = sqlite3.connect(tmp_path / "db.sqlite3")
    status = database.execute("SELECT status FROM imports_importjob WHERE id = ?", (job_id,))
    assert status.fetchone() == ("imported",)
    written = database.execute(
        "SELECT count(*) FROM training_intervention WHERE guid = 'IV-TWO-HOSTS'"
    )
    assert written.fetchone() == (1,)
    # the file is in the bucket, on neither server's disk
    assert [key for key in keys(moto_endpoint, bucket) if "week" in key] == [
        f"{PREFIX}/imports/{job_id}/week.csv"
    ]
    for host in ("one", "other"):
        assert not (tmp_path / host / "media").exists()
    assert all(one[name] == other[name] for name in CREDENTIALS)  # the same on both hosts
