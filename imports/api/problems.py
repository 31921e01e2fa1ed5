"""Errors as ``application/problem+json`` (RFC 9457): ``type``, ``title``, ``status``,
``detail``, and our ``code`` (a message's code, docs/configuration.md "Message codes"); a body
that is not valid lists each field's problem under ``errors``.

Every refusal of the API goes through here: DRF's own exceptions (credentials, permissions,
parsing, validation, throttling) by ``exception_handler``, the job service's verdicts by
``Problem``.
"""

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from imports.parsing import messages
from imports.parsing.messages import code_of

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "tag:intervention-import,2026:problem:"  # a type URI per code (RFC 9457 3.1.1)


class Problem(exceptions.APIException):
    """A refusal with its status, its message (and code), and extension members."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "",
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail=str(message), code=code or code_of(message))
        self.status_code = status
        self.message = message
        self.problem_code = code or code_of(message)
        self.headers = headers or {}
        self.extra = extra


def problem_body(status: int, message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": TYPE_PREFIX + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(message),
        "code": code,
        **extra,
    }


def problem_response(problem: Problem) -> Response:
    body = problem_body(problem.status_code, problem.message, problem.problem_code, **problem.extra)
    return Response(
        body, status=problem.status_code, headers=problem.headers, content_type=PROBLEM_JSON
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's exception handler: every API exception as a problem; others are Django's."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, Problem):
        return problem_response(exc)
    if not isinstance(exc, exceptions.APIException):
        return None
    request = context.get("request")
    return problem_response(as_problem(exc, request))


def as_problem(exc: exceptions.APIException, request: Any) -> Problem:
    status = exc.status_code
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    if isinstance(exc, exceptions.NotAuthenticated):
        return Problem(status, messages.API_NOT_AUTHENTICATED, headers=headers)
    if isinstance(exc, exceptions.AuthenticationFailed):
        return Problem(status, messages.API_TOKEN_NOT_VALID, headers=headers)
    if isinstance(exc, exceptions.PermissionDenied):
        needs = str(exc.detail).rstrip(".")
        return Problem(status, messages.API_PERMISSION_DENIED.format(needs=needs))
    if isinstance(exc, exceptions.NotFound):
        path = request.path if request is not None else ""
        return Problem(status, messages.API_NOT_FOUND.format(path=path))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _method_not_allowed(exc, request)
    if isinstance(exc, exceptions.NotAcceptable):
        return Problem(status, messages.API_NOT_ACCEPTABLE)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        media_type = request.content_type if request is not None else ""
        text = messages.API_UNSUPPORTED_MEDIA_TYPE.format(media_type=media_type or "(none)")
        return Problem(status, text)
    if isinstance(exc, exceptions.ParseError):
        return Problem(status, messages.API_BODY_NOT_VALID.format(reason=str(exc.detail)))
    if isinstance(exc, exceptions.Throttled):
        seconds = max(1, int(getattr(exc, "wait", None) or 1))
        headers["Retry-After"] = str(seconds)
        return Problem(status, messages.API_THROTTLED.format(seconds=seconds), headers=headers)
    if isinstance(exc, exceptions.ValidationError):
        return not_valid(exc)
    return Problem(status, str(exc.detail), code=str(exc.default_code))


def _method_not_allowed(exc: exceptions.MethodNotAllowed, request: Any) -> Problem:
    view = getattr(request, "parser_context", {}).get("view") if request is not None else None
    allowed = ", ".join(view.allowed_methods) if view is not None else ""
    method = request.method if request is not None else ""
    text = messages.API_METHOD_NOT_ALLOWED.format(method=method, allowed=allowed)
    headers = {"Allow": allowed} if allowed else {}
    return Problem(exc.status_code, text, headers=headers)


def not_valid(exc: exceptions.ValidationError) -> Problem:
    """A body or query not valid: each field's problems (``rows.3.roomLabel``), with codes."""
    errors = list(_flatten(exc.get_full_details(), ""))
    fields = ", ".join(dict.fromkeys(error["field"] or "body" for error in errors))
    return Problem(400, messages.API_NOT_VALID.format(fields=fields), errors=errors)


def _flatten(details: Any, where: str):
    if isinstance(details, dict) and "message" in details and "code" in details:
        yield {"field": where, "message": str(details["message"]), "code": str(details["code"])}
    elif isinstance(details, dict):
        for name, inner in details.items():
            field = "" if name == "non_field_errors" else str(name)
            yield from _flatten(inner, f"{where}.{field}" if where and field else where or field)
    elif isinstance(details, list):
        nested = any(isinstance(item, dict) and "message" not in item for item in details)
        for index, inner in enumerate(details):
            yield from _flatten(inner, f"{where}.{index}" if nested else where)
