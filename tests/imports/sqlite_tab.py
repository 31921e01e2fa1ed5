"""One browser tab of the SQLite lock tests, run in its own process on a SQLite file.

    python -m tests.imports.sqlite_tab setup ROWS           -> prints the ids of two previews
    python -m tests.imports.sqlite_tab confirm JOB GO_FILE  -> logs in, touches GO_FILE.ready,
                                                               waits for GO_FILE, confirms JOB
                                                               through the admin, prints JSON
    python -m tests.imports.sqlite_tab hold SECONDS GO_FILE -> holds SQLite's write lock

The environment names the database (``DATABASE_URL``) and ``MEDIA_ROOT``.
"""

import json
import sys
import time
from pathlib import Path

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.messages import get_messages  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from imports import jobs  # noqa: E402
from imports.jobs.models import ImportJob  # noqa: E402
from tests.imports.background_support import many_rows  # noqa: E402


def setup(rows: int) -> None:
    user = User.objects.create_superuser("admin", "admin@example.com", "pw")
    ids = []
    for prefix in ("IV-TAB-A", "IV-TAB-B"):
        upload = SimpleUploadedFile(f"{prefix}.csv", many_rows(rows, prefix=prefix))
        job = jobs.create_job(upload, user)
        jobs.preview_job(job)
        ids.append(job.pk)
    print(json.dumps(ids))


def wait_for(go: Path) -> None:
    while not go.exists():
        time.sleep(0.005)


def confirm(job_id: int, go: Path) -> None:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    go.with_suffix(".ready").touch()  # logged in (the session is written): ready to confirm
    wait_for(go)
    url = reverse("admin:training_intervention_import_confirm", args=[job_id])
    response = client.post(url, {"strict": ""})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    job = ImportJob.objects.get(pk=job_id)
    print(json.dumps({"status_code": response.status_code, "messages": texts, "job": job.status}))


def hold(seconds: float, go: Path) -> None:
    """Write, and keep the write lock for ``seconds`` (another process importing)."""
    with transaction.atomic():
        ImportJob.objects.filter(pk=0).update(file_name="lock")
        go.touch()
        time.sleep(seconds)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "setup":
        setup(int(args[0]))
    elif command == "confirm":
        confirm(int(args[0]), Path(args[1]))
    else:
        hold(float(args[0]), Path(args[1]))
