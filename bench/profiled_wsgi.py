"""The project's WSGI application with timers, for ``profile_admin.py`` (never in production).

Each request's wall time (from the server handing it over to the last byte of the response
given back) and the time spent in the parts of the admin flow (each timer wraps a function
where the flow calls it: nested timers overlap, the report says which contains which) are
appended as one JSON line to ``$PROFILE_LOG``. With ``$PROFILE_CPROFILE`` set to a folder,
each request is also run under cProfile and its statistics are dumped there (cProfile slows
per-row Python code down: its figures say where, the timers say how long).
"""

import cProfile
import functools
import gc
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.wsgi import application as django_application  # noqa: E402

spent: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)


def timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started
            calls[label] += 1

    setattr(owner, name, wrapper)


def timed_generator(owner, name: str, label: str) -> None:
    """A generator function: the time spent producing its items (not their consumer's)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        items = original(*args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                spent[label] += time.perf_counter() - started
                return
            spent[label] += time.perf_counter() - started
            yield item

    setattr(owner, name, wrapper)


_collecting: dict[int, float] = {}


def _collections(phase: str, info: dict) -> None:
    """The garbage collector's passes, by generation: how many, how long."""
    full = info["generation"] == 2
    label = "gc: full passes (generation 2)" if full else "gc: younger passes (generations 0, 1)"
    if phase == "start":
        _collecting[info["generation"]] = time.perf_counter()
    else:
        spent[label] += time.perf_counter() - _collecting.pop(
            info["generation"], time.perf_counter()
        )
        calls[label] += 1


def install() -> None:
    gc.callbacks.append(_collections)
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.http.request import HttpRequest
    from django.template.response import SimpleTemplateResponse

    from imports.database import upsert
    from imports.jobs import confirm, details, preview, service
    from imports.jobs import states as job_states
    from imports.planning import plan
    from imports.web import views as admin_views

    timed(HttpRequest, "_load_post_and_files", "upload: body received and parsed (multipart)")
    timed(service, "create_job", "upload: create_job (SHA-256, job row, file stored)")
    timed(preview, "preview_job", "preview_job")
    timed(preview, "_run", "preview_job > _run (stored file read, SHA-256, engine)")
    timed(preview, "run_import", "preview_job > _run > run_import (engine, keep_rows)")
    timed(plan, "written_values", "... run_import > plan: written_values (new rows' values)")
    timed(details, "old_key_names", "... store_details > old_key_names (updates' old keys)")
    timed(preview, "_store", "preview_job > _store (rows, errors, digest, job; commit)")
    timed(preview, "store_details", "... _store > store_details")
    timed(details, "insert", "... store_details > insert (rows and errors, with the generator)")
    timed(upsert, "_copy", "... insert > COPY (PostgreSQL)")
    timed(upsert, "upsert", "... insert > INSERT statements (SQLite)")
    timed_generator(details, "_job_rows", "... insert > _job_rows (row tuples, digest)")
    timed(details, "row_values", "... _job_rows > row_values (changes as JSON)")
    timed(details, "_digest_rows", "... _job_rows > _digest_rows (digest)")
    timed(job_states, "previewed", "... _store > job_states.previewed (job UPDATE)")
    timed(BaseDatabaseWrapper, "commit", "database commits")
    timed(admin_views, "job_page_context", "page: job_page_context")
    timed(SimpleTemplateResponse, "render", "page: template rendered (queries inside)")
    timed(confirm, "confirm_job", "confirm_job")
    timed(confirm, "same_outcome", "confirm_job > same_outcome (digest compared)")


def application(environ, start_response):
    spent.clear()
    calls.clear()
    started = time.perf_counter()
    folder = os.environ.get("PROFILE_CPROFILE")
    profiler = cProfile.Profile() if folder else None
    if profiler:
        profiler.enable()
    try:
        body = b"".join(django_application(environ, start_response))
    finally:
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - started
    line = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "seconds": seconds,
        "bytes": len(body),
        "parts": {k: [round(v, 4), calls[k]] for k, v in spent.items()},
    }
    log = os.environ.get("PROFILE_LOG")
    if log:
        with open(log, "a") as out:
            out.write(json.dumps(line) + "\n")
    if profiler and folder:
        name = environ["REQUEST_METHOD"] + environ["PATH_INFO"].strip("/").replace("/", "_")
        profiler.dump_stats(str(Path(folder) / f"{time.time():.0f}-{name}.prof"))
    return [body]


install()
