"""The uploads' store, and what its failures mean.

The store is Django's default storage: the local ``MEDIA_ROOT``, or an S3 bucket shared by
several hosts (``STORAGE_URL``, config/storage.py). Every read, write, listing and delete
of a job's file or a kept upload goes through ``reaching``, which tells two failures apart:

- the file is gone (``FileNotFoundError``: a local file deleted, an S3 key not found while
  the store answers a listing): the caller's own message ("The uploaded file is no longer
  available");
- the store itself failed (``StoreUnreachable``): an endpoint unreachable or refusing
  connections, a request timed out, an answer refused (botocore's
  ``EndpointConnectionError``, ``ConnectTimeoutError``, ``ReadTimeoutError``,
  ``ClientError``…, or a disk's ``OSError``). Nothing was done; the doors say
  ``STORE_UNREACHABLE`` ("The file store is not reachable; nothing was imported. Try
  again."), the job records it as its reason, and a warning with the job's id is logged.

Object storage has no folders: nothing here asks whether a "folder" exists; a listing of a
prefix that holds nothing is empty (``listing``).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class StoreUnreachable(Exception):
    """The store failed (unreachable, refused, timed out); ``detail`` says how."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.detail = describe(error)
        super().__init__(self.detail)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def store_errors() -> tuple[type[BaseException], ...]:
    """What a store raises when it fails: a disk's ``OSError``, and botocore's errors when
    the s3 extra is installed (they are not ``OSError``s)."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # no s3 extra: the local MEDIA_ROOT only
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


def is_missing(error: BaseException) -> bool:
    """The file is not there (the store answered), as opposed to a store that failed."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)  # botocore's ClientError
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code") in MISSING_CODES
    return False


@contextmanager
def reaching(doing: str, job_id: int | None = None) -> Iterator[None]:
    """Around storage calls: a file not there stays (or becomes) ``FileNotFoundError``; any
    other failure of the store is ``StoreUnreachable``, logged (a warning naming the job)."""
    try:
        yield
    except StoreUnreachable:
        raise
    except store_errors() as error:
        if is_missing(error):
            # S3 answers 404 for a bucket that is gone too: the store must answer a listing
            listing("imports", job_id)
            if isinstance(error, FileNotFoundError):
                raise
            raise FileNotFoundError(str(error)) from error
        about = f"Import job {job_id}: the" if job_id is not None else "The"
        logger.warning(
            "%s file store is not reachable while %s (%s).",
            about,
            doing,
            describe(error),
            extra={"job": job_id},
        )
        raise StoreUnreachable(error) from error


def listing(prefix: str, job_id: int | None = None) -> tuple[list[str], list[str]]:
    """The sub-prefixes ("folders") and files under ``prefix``: ([], []) when it holds
    nothing (a local folder never made, an S3 prefix without objects)."""
    with reaching(f"listing {prefix}", job_id):
        try:
            folders, files = default_storage.listdir(prefix)
        except FileNotFoundError:
            return [], []
    return list(folders), list(files)


def check() -> None:
    """Raise ``StoreUnreachable`` when the store cannot be listed (commands and workers that
    need it ask first)."""
    listing("imports")
