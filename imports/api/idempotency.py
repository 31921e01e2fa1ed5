"""``Idempotency-Key`` on every ``POST``: a retry with the same key and the same request gets
the first answer again (no second job); the same key with another request is ``422``; a
retry while the first request still runs is ``409``. Keys belong to their user and are kept
``API_IDEMPOTENCY_HOURS``.

What is kept: an answer of the view (2xx, and the job service's refusals: 403, 409, 422). A
request refused before it did anything (400: not valid, 413: too large) or a server error
keeps no answer, and its key is free again: a retry runs anew.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import encoders

from imports.conf import import_settings
from imports.parsing import messages

from .models import IdempotencyKey
from .problems import PROBLEM_JSON, Problem, problem_response

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT = frozenset({403, 409, 422})  # refusals of the job service, besides every 2xx


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap a view's ``post``: with an ``Idempotency-Key``, run it once per key and body."""

    @wraps(view)
    def wrapped(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view(self, request, *args, **kwargs)
        if not (0 < len(key) <= 255 and key.isascii() and key.isprintable()):
            raise Problem(400, messages.API_IDEMPOTENCY_KEY_NOT_VALID)
        record = claim(request.user, key, fingerprint(request))
        if record.done:
            return replay(record)
        try:
            response = view(self, request, *args, **kwargs)
        except BaseException as error:
            if not isinstance(error, Problem) or error.status_code not in KEPT:
                record.delete()
                raise
            response = problem_response(error)
        if not (200 <= response.status_code < 300 or response.status_code in KEPT):
            record.delete()
            return response
        keep(record, response)
        return response

    return wrapped


def fingerprint(request: Request) -> str:
    """SHA-256 of what the request asks: method, path, query and body as parsed (a file by
    its name and content's SHA-256, so that a multipart retry with another boundary is the
    same request)."""
    data = request.data
    if hasattr(data, "lists"):
        body: Any = {name: [_value(v) for v in values] for name, values in data.lists()}
    else:
        body = data
    described = {
        "method": request.method,
        "path": request.path,
        "query": sorted(request.query_params.lists()),
        "body": body,
    }
    text = json.dumps(described, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _value(value: Any) -> Any:
    if not isinstance(value, UploadedFile):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return {"file": value.name, "sha256": digest.hexdigest()}


def claim(user: Any, key: str, print_: str) -> IdempotencyKey:
    """The key's record: a new one (not done) for this request, or the first request's.
    Raises 422 when the first request was another one, 409 while it still runs."""
    hours = import_settings.API_IDEMPOTENCY_HOURS
    IdempotencyKey.objects.filter(created_at__lt=timezone.now() - timedelta(hours=hours)).delete()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(user=user, key=key, fingerprint=print_)
        except IntegrityError:
            record = IdempotencyKey.objects.filter(user=user, key=key).first()
        if record is None:  # the first request failed and freed its key meanwhile
            continue
        if record.fingerprint != print_:
            raise Problem(422, messages.API_IDEMPOTENCY_KEY_REUSED.format(key=key, hours=hours))
        if not record.done:
            raise Problem(
                409,
                messages.API_IDEMPOTENCY_IN_PROGRESS.format(key=key),
                headers={"Retry-After": "1"},
            )
        return record
    raise Problem(409, messages.API_IDEMPOTENCY_IN_PROGRESS.format(key=key))


def keep(record: IdempotencyKey, response: Response) -> None:
    record.http_status = response.status_code
    # As the answer is rendered (DRF's encoder: times to the microsecond), so that a replay
    # gives the same bytes.
    record.body = json.loads(json.dumps(response.data, cls=encoders.JSONEncoder))
    record.content_type = PROBLEM_JSON if response.content_type == PROBLEM_JSON else ""
    record.location = response.headers.get("Location", "")
    record.done = True
    record.save(update_fields=["http_status", "body", "content_type", "location", "done"])


def replay(record: IdempotencyKey) -> Response:
    headers = {REPLAYED: "true"}
    if record.location:
        headers["Location"] = record.location
    return Response(
        record.body,
        status=record.http_status,
        headers=headers,
        content_type=record.content_type or None,
    )
