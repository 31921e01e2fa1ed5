"""The calendar's benchmark (issue 29 §3): a week of a 10,000-row preview renders in under
0.5 s.

    .venv/bin/python bench/calendar_page.py [--rows 10000] [--repeat 5]
        [--database-url postgres://postgres@127.0.0.1:5432/calendar_bench]

A fresh database (a temporary SQLite file, or the PostgreSQL database named, dropped and
created again), migrated and seeded as ``run.py``'s (``datagen.seed``: 50,000 existing
interventions); the ``--rows`` file of ``datagen`` previewed as the admin does
(``jobs.create_job``, ``jobs.preview_job``: half the rows update, half create, one in 200
in conflict). Then the job's calendar is asked for through Django's test client, logged in
as a superuser: the file's first week and its busiest week, and the interventions list's
calendar on the busiest week; each ``--repeat`` times, the median and the worst printed with
the week's rows, its blocks, the page's size and its queries. The goal: every median under
``GOAL`` seconds. Exit status 1 when one is over.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

GOAL = 0.5


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def timed(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        content = response.content
        seconds.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "median": statistics.median(seconds),
        "worst": max(seconds),
        "kb": len(content) / 1024,
        "blocks": content.count(b'class="calendar-block'),
        "queries": len(queries),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="calendar-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        fresh_postgres(url)
    setup(url)

    import datagen
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from imports import jobs
    from imports.conf import site_zone
    from imports.web.calendar_grid import week_of
    from imports.web.calendar_job import job_span, week_rows

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    datagen.seed()
    seeded = time.perf_counter() - began
    path = datagen.write_file(folder / f"{args.rows}.csv", args.rows)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = jobs.create_job(upload, None)
    began = time.perf_counter()
    jobs.preview_job(job)
    previewed = time.perf_counter() - began
    job.refresh_from_db()

    span = job_span(job)
    assert span is not None
    zone = site_zone()
    weeks = []
    week = week_of(span[0].astimezone(zone).date(), zone)
    while week.start <= span[1]:
        weeks.append((week_rows(job, week).count(), week))
        week = week_of(week.next, zone)
    first = weeks[0]
    busiest = max(weeks, key=lambda item: item[0])

    user = User.objects.create_superuser("bench", "bench@example.com", "bench-password")
    client = Client()
    client.force_login(user)
    url = reverse("admin:training_intervention_import_calendar", args=[job.pk])
    listed = reverse("admin:training_intervention_calendar")
    client.get(url)  # the first request's imports and caches

    print(f"database: {connection.vendor}; seeded in {seeded:.1f} s")
    print(
        f"preview of {args.rows} rows: {job.new} new, {job.updated} updated, "
        f"{job.unchanged} unchanged, {job.error_rows} with errors; {previewed:.2f} s; "
        f"{len(weeks)} weeks"
    )
    cases = [
        ("job, first week", url, first),
        ("job, busiest week", url, busiest),
        ("list, busiest week", listed, busiest),
    ]
    print(
        f"{'case':<22} {'week':<11} {'rows':>6} {'blocks':>6} {'median s':>9} {'worst s':>8}"
        f" {'KB':>7} {'queries':>7}"
    )
    over = False
    for name, base, (rows, chosen) in cases:
        found = timed(client, f"{base}?week={chosen.first.isoformat()}", args.repeat)
        over |= found["median"] > GOAL
        print(
            f"{name:<22} {chosen.first.isoformat():<11} {rows:>6} {found['blocks']:>6} "
            f"{found['median']:>9.3f} {found['worst']:>8.3f} {found['kb']:>7.0f} "
            f"{found['queries']:>7}"
        )
    print(f"goal: every median under {GOAL} s: {'NO' if over else 'yes'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
