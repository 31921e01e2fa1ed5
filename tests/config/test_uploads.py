"""A cut upload leaves no temporary file behind (config/uploads.py).

The client stops in the middle of the body (the connection is reset after part of the file):
Django has already streamed that part to a temporary file in ``FILE_UPLOAD_TEMP_DIR``. The
garbage collector is held off during the request, so that only our own cleanup can remove it.
"""

import gc
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

BOUNDARY = "cut-upload-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


class ResetAfter(io.RawIOBase):
    """A request body that breaks off after ``cut`` bytes, like a reset connection."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut, self.position = data, cut, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self.position >= self.cut:
            raise ConnectionResetError("Connection reset by peer")
        end = self.cut if size is None or size < 0 else min(self.cut, self.position + size)
        chunk = self.data[self.position : end]
        self.position = end
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def multipart_body(size: int) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + b"x" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.fixture
def temp_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000  # the file goes to disk
    return tmp_path


@pytest.fixture
def no_garbage_collector():
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def post(url: str, body: bytes, cut: int | None = None, user: User | None = None):
    stream = ResetAfter(body, len(body) if cut is None else cut)
    environ = {"wsgi.input": stream, "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": CONTENT_TYPE}
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client.generic("POST", url, **environ)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_garbage_collector")
@pytest.mark.parametrize(
    ("url", "logged_in"),
    [("admin:login", False), ("admin:training_intervention_import", True)],
    ids=["login-page", "import-page"],
)
def test_a_cut_upload_leaves_no_temporary_file(temp_dir, url, logged_in):
    body = multipart_body(200_000)
    user = User.objects.create_superuser("admin", password="pw") if logged_in else None

    response = post(reverse(url), body, cut=100_000, user=user)

    assert response.status_code >= 400  # the body could not be read
    assert list(temp_dir.iterdir()) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("no_garbage_collector")
def test_control_the_cut_upload_did_reach_the_temporary_folder(temp_dir, monkeypatch):
    """Without the cleanup the same request leaves its file: the check above is not void."""
    monkeypatch.setattr("config.uploads.close_upload_files", lambda request: None)
    post(reverse("admin:login"), multipart_body(200_000), cut=100_000)
    leftovers = list(temp_dir.iterdir())
    assert [path.suffix for path in leftovers] == [".csv"]  # deleted when collected, later


@pytest.mark.django_db
@pytest.mark.usefixtures("no_garbage_collector")
def test_a_whole_upload_leaves_no_temporary_file_either(temp_dir):
    response = post(reverse("admin:login"), multipart_body(200_000))
    assert response.status_code == 200  # the login form again (no credentials)
    assert list(temp_dir.iterdir()) == []
