"""The admin case of the import benchmark: the project's own server, a browser made of HTTP
requests, the upload -> preview -> confirm flow of the intervention import timed.

``measure(url, path)`` starts gunicorn (one worker: the production recipe of ``bench/load.py``)
on the database of ``url`` (a fresh copy of the seeded template, with a superuser added by a
fresh ``worker.py admin-user`` process), logs in over HTTP (the CSRF token of the login page),
opens the upload form (as a user does before choosing a file; the templates it shares with the
preview page are then loaded), and then times:

- **preview**: the POST of the upload form (the server stores the file, runs the engine's dry
  run, stores every row's outcome and the digest, answers with a redirect) and the GET of the
  preview page it redirects to, until that page is fully received; its size is recorded;
- **confirm**: the POST of the confirm form (the engine's real run, re-validated against the
  preview's digest) and the GET of the page it redirects to (the import's history page).

Only the requests are timed: the server's start, the log-in and the form are not. The job's
status and counts are read afterwards by a fresh ``worker.py job`` process: a confirm that did
not import every row stops the benchmark.
"""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load import ROOT, free_port, multipart, stop  # noqa: E402
from workers import worker  # noqa: E402

USER = "bench-admin"
PASSWORD = "bench-admin-password"


class Browser:
    """A cookie jar and the CSRF token; redirects are followed by the caller."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, SimpleCookie()

    def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        return response.status, response.headers.get("Location", ""), content

    def get(self, path: str, expected: int = 200) -> bytes:
        status, _, content = self.request("GET", path)
        if status != expected:
            raise RuntimeError(f"GET {path}: {status}, expected {expected}")
        return content

    def post(self, path: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> str:
        """POST a multipart form; the redirect's target (a 302 is expected)."""
        fields = {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"].value}
        body, content_type = multipart(fields, file)
        status, location, content = self.request("POST", path, body, content_type)
        if status != 302:
            raise RuntimeError(f"POST {path}: {status}, expected a redirect\n{content[:2000]!r}")
        return location


def serve(
    url: str, folder: Path, app: str = "config.wsgi", **extra: str
) -> tuple[subprocess.Popen, int]:
    """gunicorn, one worker (``bench/load.py``'s production recipe), on a free port; ``app``:
    the WSGI application (``profiled_wsgi.py`` for ``profile_admin.py``)."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CELERY_BROKER_URL")}
    environ.update(
        DATABASE_URL=url,
        SECRET_KEY="bench-secret-key-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        MEDIA_ROOT=str(folder / "media"),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    command = [sys.executable, "-m", "gunicorn", app, "-w", "1", "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", "600", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=environ, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def peak_mb(pid: int) -> float:
    """The peak resident memory (``VmHWM``) of the server's worker process(es), in MB."""
    peaks = []
    for child in children(pid):
        status = Path(f"/proc/{child}/status").read_text().splitlines()
        peaks += [int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM")]
    return max(peaks, default=0.0)


def measure(url: str, path: Path, app: str = "config.wsgi", **extra: str) -> dict:
    """One upload -> preview -> confirm of ``path`` through a fresh server on ``url``."""
    urls = worker(url, "admin-user", USER, PASSWORD)
    data = path.read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        server, port = serve(url, Path(folder), app, **extra)
        try:
            browser = Browser(port)
            browser.get(urls["login"])
            fields = {"username": USER, "password": PASSWORD, "next": urls["index"]}
            browser.post(urls["login"], fields)
            browser.get(urls["upload"])  # the form, as a user opens it before uploading
            before = peak_mb(server.pid)

            started = time.perf_counter()
            upload = {"format": "", "configuration": "", "conflicts": ""}
            preview = browser.post(urls["upload"], upload, (path.name, data))
            uploaded = time.perf_counter()
            page = browser.get(preview)
            previewed = time.perf_counter()
            preview_peak = peak_mb(server.pid)

            confirm = {"strict": "", "acknowledge_conflicts": "on"}
            after = browser.post(f"{preview}confirm/", confirm)
            confirmed = time.perf_counter()
            browser.get(after)
            shown = time.perf_counter()
            confirm_peak = peak_mb(server.pid)
        finally:
            stop(server)
    job = worker(url, "job")
    if job["status"] != "imported" or job["error_rows"]:
        raise SystemExit(f"the admin confirm did not import the file: {job}")
    return {
        "preview": {
            "seconds": previewed - started,
            "upload_s": uploaded - started,
            "page_s": previewed - uploaded,
            "page_bytes": len(page),
            "peak_mb": preview_peak,
            "peak_before_mb": before,
            "counts": job["counts"],
        },
        "confirm": {
            "seconds": shown - previewed,
            "post_s": confirmed - previewed,
            "page_s": shown - confirmed,
            "peak_mb": confirm_peak,
            "peak_before_mb": preview_peak,
            "counts": job["counts"],
        },
    }
