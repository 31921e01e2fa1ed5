"""A real S3 server for the storage tests: moto's server mode on 127.0.0.1 (no mock of boto3:
django-storages and botocore talk HTTP to it, as to any S3 server).

``moto_endpoint`` (session) starts it; ``s3_store`` makes a new bucket and points Django's
default storage at it through ``config.storage`` (the settings of ``STORAGE_URL``), so the
code under test runs exactly as on a host with ``STORAGE_URL=s3://bucket/prefix``.

moto, boto3 and django-storages come with the extras ``test`` and ``s3`` (``make install``
installs both); on a machine without them these tests skip and say so, unless
``REQUIRE_SERVICES=1`` (CI): then they fail.
"""

import http.server
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator

import pytest

from config import storage

REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
PREFIX = "uploads"
FAST = {  # a store that fails must fail fast in a test
    "AWS_S3_CONNECT_TIMEOUT": "1",
    "AWS_S3_READ_TIMEOUT": "1",
    "AWS_S3_MAX_ATTEMPTS": "1",
}


def require_s3_libraries() -> None:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
        import storages.backends.s3  # noqa: F401
    except ImportError as error:
        reason = (
            f"the S3 storage tests need moto, boto3 and django-storages ({error}): install"
            " the extras, pip install -e '.[test,s3]' (make install does)"
        )
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"{reason}; REQUIRE_SERVICES is set")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server on a free port of 127.0.0.1, for the whole session."""
    require_s3_libraries()
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def environment(endpoint: str, bucket: str, **extra: str) -> dict[str, str]:
    """The documented environment of a host whose uploads are in ``bucket``."""
    return {
        "STORAGE_URL": f"s3://{bucket}/{PREFIX}",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
        **extra,
    }


def client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint: str) -> str:
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=bucket)
    return bucket


def keys(endpoint: str, bucket: str) -> list[str]:
    """Every object's key in ``bucket``."""
    found = client(endpoint).list_objects_v2(Bucket=bucket).get("Contents", [])
    return sorted(entry["Key"] for entry in found)


def use_store(settings, monkeypatch, env: dict[str, str]) -> None:
    """Django's default storage as ``config.settings`` makes it from ``env``."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = storage.storages(env["STORAGE_URL"], env)


class S3Store:
    def __init__(self, endpoint: str, bucket: str) -> None:
        self.endpoint, self.bucket = endpoint, bucket

    def objects(self) -> list[str]:
        return keys(self.endpoint, self.bucket)


@pytest.fixture
def s3_store(moto_endpoint, settings, monkeypatch) -> S3Store:
    """Uploads in a new bucket of the moto server (prefix ``uploads/``)."""
    bucket = new_bucket(moto_endpoint)
    # the working store keeps the default timeouts: a busy machine may be slow to answer
    use_store(settings, monkeypatch, environment(moto_endpoint, bucket))
    return S3Store(moto_endpoint, bucket)


def closed_port() -> int:
    """A port nothing listens on: a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[str]:
    """An endpoint that accepts connections and never answers: every request times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


class Refusing(http.server.BaseHTTPRequestHandler):
    """An S3 endpoint that answers every request with 503 Slow Down (botocore: ClientError)."""

    def _refuse(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
        self.send_response(503)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def refusing_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def failing_store(kind: str, endpoints: dict[str, str]) -> dict[str, str]:
    """The environment of a store that fails: ``unreachable`` (connection refused),
    ``timeout`` (no answer), ``refused`` (503 to every request), ``no_bucket`` (the server
    answers, the bucket is not there)."""
    if kind == "unreachable":
        return environment(f"http://127.0.0.1:{closed_port()}", "gone", **FAST)
    if kind == "no_bucket":
        return environment(endpoints["moto"], f"missing-{uuid.uuid4().hex[:8]}", **FAST)
    return environment(endpoints[kind], "refused", **FAST)


FAILURES = ["unreachable", "timeout", "refused", "no_bucket"]
