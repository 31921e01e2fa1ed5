"""Where uploaded files live, from the environment: ``STORAGES`` made whole.

``STORAGE_URL`` unset (or empty): the local ``MEDIA_ROOT``, as a single host needs.
``STORAGE_URL=s3://bucket/prefix``: an S3 bucket (AWS or any S3 server: MinIO, Ceph, …) shared
by every web server and worker, through django-storages with boto3 (the optional extra
``s3``: ``pip install -e '.[s3]'``). The rest comes from the usual AWS variables:

    AWS_S3_ENDPOINT_URL         an S3 server other than AWS (https://minio.example.org:9000)
    AWS_S3_REGION_NAME          the bucket's region (else AWS_DEFAULT_REGION, else boto3's)
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN    read by django-storages
                                (none: boto3's own chain, an instance role for example)
    AWS_S3_CONNECT_TIMEOUT      seconds to open a connection, default 5
    AWS_S3_READ_TIMEOUT         seconds to wait for an answer, default 60
    AWS_S3_MAX_ATTEMPTS         tries of one request (botocore's standard retries), default 3

A web request never waits long for a store that is gone: a refused or unreachable endpoint
fails within the connect timeout and its retries, and the import service says so
(imports/jobs/file_store.py).
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
INSTALL_S3 = (
    "STORAGE_URL={url} needs django-storages with boto3: install the extra s3"
    " (pip install -e '.[s3]')."
)


def storages(url: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """Django's ``STORAGES``: the uploads' store (``default``) and the static files'."""
    return {
        "default": uploads_storage(url.strip(), environ),
        "staticfiles": {"BACKEND": STATIC_BACKEND},
    }


def uploads_storage(url: str, environ: Mapping[str, str]) -> dict[str, Any]:
    if not url:
        # No location: the storage reads MEDIA_ROOT (and follows a test's change of it).
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"STORAGE_URL={url}: only s3://bucket/prefix is known (unset: MEDIA_ROOT)."
        )
    if not parts.netloc:
        raise ImproperlyConfigured(f"STORAGE_URL={url} names no bucket: s3://bucket/prefix.")
    try:
        from botocore.config import Config
    except ImportError:
        raise ImproperlyConfigured(INSTALL_S3.format(url=url)) from None
    options: dict[str, Any] = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "file_overwrite": False,  # as on a disk: a name taken gets another
        "default_acl": None,  # the bucket's own policy: uploads are never public
        "querystring_auth": True,
        "client_config": Config(
            connect_timeout=_number(environ, "AWS_S3_CONNECT_TIMEOUT", 5),
            read_timeout=_number(environ, "AWS_S3_READ_TIMEOUT", 60),
            retries={
                "mode": "standard",
                "total_max_attempts": int(_number(environ, "AWS_S3_MAX_ATTEMPTS", 3)),
            },
        ),
    }
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "")
    region = environ.get("AWS_S3_REGION_NAME") or environ.get("AWS_DEFAULT_REGION", "")
    if endpoint:
        options["endpoint_url"] = endpoint
    if region:
        options["region_name"] = region
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    value = environ.get(name, "")
    try:
        return float(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value} is not a number of seconds.") from None
