"""The OpenAPI document's parts that drf-spectacular cannot see: how a token is sent, and
which problems (``application/problem+json``) each operation may answer."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse

from .problems import PROBLEM_JSON
from .serializers import ProblemAnswer

PROBLEMS = {
    400: "The request is not valid (``errors``: each field's problem).",
    401: "No valid credentials.",
    403: "Permission denied, or the four-eyes rule.",
    404: "Not found.",
    406: "The client does not accept JSON.",
    409: "The job cannot do that now.",
    413: "The body is larger than the upload limit.",
    415: "A body that is neither JSON nor multipart.",
    422: "The idempotency key was used for another request, or the import failed.",
    429: "Too many requests (Retry-After).",
    503: "The database is busy (Retry-After); nothing was written.",
}
READ = (401, 403, 404, 406, 429)
WRITE = (400, 401, 403, 404, 406, 409, 413, 415, 422, 429, 503)


def problems(*statuses: int) -> dict[Any, OpenApiResponse]:
    """The problem answers of an operation, by status."""
    return {
        (status, PROBLEM_JSON): OpenApiResponse(ProblemAnswer, description=PROBLEMS[status])
        for status in statuses
    }


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "imports.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        prefix = self.target.authenticate_header(None)  # "Token"
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=prefix)


class AdminSessionScheme(OpenApiAuthenticationExtension):
    target_class = "imports.api.auth.AdminSessionAuthentication"
    name = "adminSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
