"""No upload leftovers: every temporary upload file is removed when its request ends.

Django streams an upload larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file
while it reads the body. When the client stops in the middle (a reset connection, a body
shorter than its ``Content-Length``), the parser raises with the file still open in its upload
handler, outside ``request.FILES``: Django never closes it, and the file stays on disk until
the garbage collector happens to free the parser (seconds or longer; anyone can do it, on the
login page too). This middleware closes the file of every upload handler when the request
ends, whatever happened; closing a temporary upload file deletes it. Closing twice is harmless
(Django closes ``request.FILES`` again after the response).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class RemoveUploadLeftovers:
    """The outermost middleware (config/settings.py): it runs after every other one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return self.get_response(request)
        finally:
            close_upload_files(request)


def close_upload_files(request: HttpRequest) -> None:
    """Close (and so delete) the file each upload handler of ``request`` was writing."""
    for handler in request.upload_handlers:
        upload = getattr(handler, "file", None)
        if upload is not None:
            upload.close()
