"""Create a job: an uploaded file stored (Django storage, ``imports/<job id>/``) in a new job,
with how to read it (``ReadOptions``) and the schedule conflict policy of its runs.

A store that fails while the file is saved (``file_store.StoreUnreachable``) leaves no job
waiting for a file it does not have: the job is failed at once, ``STORE_UNREACHABLE`` its
reason and its file problem, and kept in the history.
"""

import hashlib
from dataclasses import asdict, dataclass

from django.core.files.base import File

from .file_store import StoreUnreachable, reaching
from .models import ImportConfiguration, ImportJob
from .preview import store_failed

STORED_NAME_BYTES = 120  # the stored file's name at most (stored_name)


@dataclass(frozen=True)
class ReadOptions:
    """How to read an uploaded file, as chosen on the upload form ("": automatic)."""

    encoding: str = ""
    delimiter: str = ""  # the character
    date_format: str = ""  # as the seed writes it: DD/MM/YYYY HH:II
    sheet: str = ""
    first_row_is_data: bool = False  # no header row: line 1 is data


def create_job(
    upload: File,
    user,
    configuration: ImportConfiguration | None = None,
    file_format: str | None = None,
    *,
    conflicts: str = "",
    reading: ReadOptions | None = None,
    cancel_missing: bool = False,
) -> ImportJob:
    """Store an uploaded file (Django storage, ``imports/<job id>/``) in a new job.

    ``conflicts``: the schedule conflict policy of its preview and its confirm ("warn",
    "error" or "ignore"; blank: the ``CONFLICTS`` setting); ``reading``: how to read the
    file (blank fields: automatic, or the configuration's); ``cancel_missing``: the file is
    the complete schedule of its sessions, for its dates (False: the configuration's)."""
    if upload.name is None:
        raise ValueError("An uploaded file has a name.")
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    job = ImportJob.objects.create(
        user=user,
        file_name=upload.name,
        size=size,
        sha256=digest.hexdigest(),
        configuration=configuration,
        configuration_name=configuration.name if configuration else "",
        format=file_format or "",
        conflicts=conflicts,
        cancel_missing=cancel_missing,
        **asdict(reading or ReadOptions()),
    )
    try:
        with reaching("storing the upload", job.pk):
            job.file.save(stored_name(upload.name), upload, save=True)
    except (StoreUnreachable, FileNotFoundError):
        store_failed(job)
    return job


def stored_name(name: str) -> str:
    """The name the file is stored under (``imports/<job id>/``): the uploaded name cut to
    ``STORED_NAME_BYTES`` bytes of UTF-8 (a file system refuses names over 255 bytes; 200
    accented letters are 400), its extension kept. The job keeps the name as uploaded
    (``file_name``), and every page shows that one."""
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension.encode()) > 16:
        stem, dot, extension = name, "", ""
    room = STORED_NAME_BYTES - len(dot + extension)
    stem = stem.encode()[:room].decode(errors="ignore") or "upload"
    return stem + dot + extension
