"""The load benchmark (issue 16): clients uploading and confirming files at once through the
production recipe's server (gunicorn, in-process imports, PostgreSQL), and the figures kept.

    .venv/bin/python bench/load.py [--clients 8] [--rounds 3] [--rows 2000] [--workers 4]
        [--database-url postgres://postgres@127.0.0.1:5432/intervention_load]

The database is created again (dropped first), migrated, given the demo data and one staff
user per client; gunicorn serves it on a free port. First one client alone, then all the
clients at once, each runs its rounds: log in, then per round upload a file of ``--rows``
rows (its own GUIDs: round 1 creates them, the next rounds change every row), confirm it,
follow the redirect. It prints the requests made, the 5xx answers, the jobs imported with
the right counts (round 1: all new; later rounds: all updated), and the rows per second of one
client and of all of them (the ratio: how the server holds under load). Exit status 1 when a
request got a 5xx or a job's counts are wrong.
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/intervention_load"
PASSWORD = "load-bench-password"
HEADER = (
    "interventionGuid;trainingGuid;trainingPathCode;sessionGuid;sessionTitle;interventionDate;"
    "interventionDuration;roomGuid;roomLabel;roomCapacity;teacherLogin;interventionStatus"
)


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(url: str, clients: int) -> None:
    """Migrate, load the demo data and create the clients' users (Django, in this process)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "demo", verbosity=0)
    for n in range(clients + 1):
        User.objects.create_superuser(f"load{n}", password=PASSWORD)


def csv_file(prefix: str, rows: int, duration: int) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        day, hour = divmod(i, 6)
        start = f"2028-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{hour * 4:02d}:00:00"
        lines.append(f"{prefix}-{i};TR-1;;SE-1;;{start};{duration};R-101;Room 101;20;jdoe;A")
    return ("\n".join(lines) + "\n").encode()


def multipart(fields: dict[str, str], file: tuple[str, bytes] | None = None) -> tuple[bytes, str]:
    """A form's fields and file as a ``multipart/form-data`` body, and its content type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    if file:
        name, data = file
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)  # 5xx and transport failures
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, what: str) -> None:
        with self.lock:
            self.requests += 1
            if status >= 500:
                self.errors.append(f"{what}: {status}")


class Client:
    """One browser: a cookie jar, the CSRF token, no redirect followed by itself."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port, self.tally, self.cookies = port, tally, SimpleCookie()

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            response.read()
        except OSError as error:
            self.tally.add(599, f"{method} {path} ({error})")
            raise
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        self.tally.add(response.status, f"{method} {path}")
        return response.status, response.headers.get("Location", "")

    def token(self) -> str:
        return self.cookies["csrftoken"].value

    def post(self, path: str, fields: dict[str, str], file: tuple[str, bytes] | None = None):
        body, content_type = multipart({**fields, "csrfmiddlewaretoken": self.token()}, file)
        return self.request("POST", path, body, content_type)

    def log_in(self, username: str) -> None:
        from django.urls import reverse

        login = reverse("admin:login")
        self.request("GET", login)
        status, _ = self.post(login, {"username": username, "password": PASSWORD, "next": "/"})
        if status != 302:
            raise RuntimeError(f"{username} could not log in ({status})")

    def import_file(self, name: str, data: bytes) -> None:
        from django.urls import reverse

        upload = reverse("admin:training_intervention_import")
        fields = {"format": "", "configuration": "", "conflicts": "ignore"}
        status, preview = self.post(upload, fields, (name, data))
        if status != 302:
            return
        self.request("GET", preview)
        status, after = self.post(f"{preview}confirm/", {"strict": ""})
        if status == 302:
            self.request("GET", after)


def run_clients(port: int, names: list[str], rounds: int, rows: int, tally: Tally) -> float:
    """Every client logs in, then all run their rounds at once; the rounds' wall time."""
    clients = {name: Client(port, tally) for name in names}
    for name, client in clients.items():
        client.log_in(name)
    start = threading.Barrier(len(names) + 1)

    def work(name: str) -> None:
        start.wait()
        for round_ in range(1, rounds + 1):
            data = csv_file(f"LD-{name}", rows, duration=round_)
            try:
                clients[name].import_file(f"{name}-round{round_}.csv", data)
            except OSError:
                return

    threads = [threading.Thread(target=work, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


def wrong_counts(names: list[str], rounds: int, rows: int) -> list[str]:
    from imports.jobs.models import ImportJob

    wrong = []
    for name in names:
        for round_ in range(1, rounds + 1):
            file_name = f"{name}-round{round_}.csv"
            job = ImportJob.objects.filter(file_name=file_name).first()
            expected = ("imported", rows, 0) if round_ == 1 else ("imported", 0, rows)
            found = (job.status, job.new, job.updated) if job else None
            if found != expected:
                wrong.append(f"{file_name}: {found}, expected {expected}")
    return wrong


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, workers: int, port: int, folder: Path) -> subprocess.Popen:
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CELERY_BROKER_URL")}
    environ.update(
        DATABASE_URL=url,
        SECRET_KEY="load-bench-secret-key-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        MEDIA_ROOT=str(folder / "media"),
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=environ, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    recreate_database(args.database_url)
    prepare(args.database_url, args.clients)
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(args.database_url, args.workers, free_port(), Path(folder))
        port = int(server.args[server.args.index("-b") + 1].rsplit(":", 1)[1])
        try:
            alone = run_clients(port, ["load0"], args.rounds, args.rows, tally)
            names = [f"load{n}" for n in range(1, args.clients + 1)]
            together = run_clients(port, names, args.rounds, args.rows, tally)
        finally:
            stop(server)
    wrong = wrong_counts(["load0", *names], args.rounds, args.rows)
    one = args.rounds * args.rows / alone
    many = args.clients * args.rounds * args.rows / together
    print(f"gunicorn -w {args.workers}, {os.cpu_count()} cores, PostgreSQL, in-process imports")
    print(f"1 client x {args.rounds} rounds of {args.rows} rows: {alone:.1f} s, {one:,.0f} rows/s")
    print(
        f"{args.clients} clients x {args.rounds} rounds of {args.rows} rows: {together:.1f} s,"
        f" {many:,.0f} rows/s (x{many / one:.2f} of one client's)"
    )
    jobs = (args.clients + 1) * args.rounds
    print(f"requests: {tally.requests}, 5xx: {len(tally.errors)}")
    print(f"jobs imported with the right counts: {jobs - len(wrong)} of {jobs}")
    for line in tally.errors + wrong:
        print(f"  {line}")
    return 1 if tally.errors or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
