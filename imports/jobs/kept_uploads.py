"""An uploaded file kept across a form error, so that the person need not choose it again.

When the upload form has an error elsewhere (a date format that is not one, a format that
cannot be detected), the file that did arrive is stored under ``imports/kept/<random>/`` and
named by a signed token in the form; the next submission uses it unless another file is
chosen. A token is only good for ``KEPT_UPLOAD_MAX_AGE`` seconds and cannot be made up or
pointed elsewhere (``django.core.signing``); ``purge_kept`` deletes what was never used, by
listing (object storage has no folders to ask about). A store that fails raises
``file_store.StoreUnreachable`` from ``keep`` and ``kept`` (the form says so); ``drop`` leaves
the file to ``purge_kept``.
"""

import datetime as dt
import secrets
from pathlib import PurePosixPath

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from .file_store import StoreUnreachable, listing, reaching

FOLDER = "imports/kept"
SALT = "imports.kept-upload"
KEPT_UPLOAD_MAX_AGE = 24 * 3600  # seconds


def keep(upload: File) -> str:
    """Store ``upload`` and return the token that names it."""
    name = PurePosixPath(upload.name or "upload").name
    upload.seek(0)
    with reaching("keeping an upload"):
        path = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}/{name}", upload)
    return signing.dumps({"path": path, "name": name}, salt=SALT)


class KeptFile(File):
    """A kept upload, opened from storage, named as it was uploaded."""

    def __init__(self, handle: File, *, name: str, path: str) -> None:
        super().__init__(handle, name=name)
        self.path = path


def kept(token: str) -> KeptFile | None:
    """The file a token names, opened, with its name as uploaded; None when the token is
    forged, too old, or its file is gone."""
    try:
        value = signing.loads(token, salt=SALT, max_age=KEPT_UPLOAD_MAX_AGE)
        path, name = value["path"], value["name"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not str(path).startswith(f"{FOLDER}/"):
        return None
    try:
        with reaching("opening a kept upload"):
            handle = default_storage.open(path, "rb")
    except FileNotFoundError:
        return None
    return KeptFile(handle, name=str(name), path=str(path))


def drop(upload: File) -> None:
    """Delete a kept file once a job holds its own copy (any other upload: nothing to do)."""
    if isinstance(upload, KeptFile):
        upload.close()
        try:
            with reaching("deleting a kept upload"):
                default_storage.delete(upload.path)
        except (StoreUnreachable, FileNotFoundError):
            pass  # purge_kept deletes it later


def purge_kept(now: dt.datetime | None = None, max_age_hours: float | None = None) -> int:
    """Delete kept files older than ``max_age_hours`` (default: as old as a token can be);
    return how many. Found by listing: a prefix that holds nothing is empty. Raises
    ``StoreUnreachable`` when the store fails."""
    age = dt.timedelta(
        seconds=KEPT_UPLOAD_MAX_AGE if max_age_hours is None else max_age_hours * 3600
    )
    cutoff = (now or timezone.now()) - age
    count = 0
    folders, _ = listing(FOLDER)
    for folder in folders:
        _, names = listing(f"{FOLDER}/{folder}")
        for name in names:
            path = f"{FOLDER}/{folder}/{name}"
            try:
                with reaching("purging kept uploads"):
                    if default_storage.get_modified_time(path) < cutoff:
                        default_storage.delete(path)
                        count += 1
            except FileNotFoundError:  # deleted meanwhile (a form used it)
                continue
    return count
