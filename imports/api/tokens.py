"""Tokens: ``DELETE /api/v1/auth/token/`` revokes the token of the request. Tokens are made
by ``manage.py create_api_token USERNAME`` (or in the admin, "Auth tokens"), and revoked there
too (delete)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from imports.parsing import messages

from .permissions import Authenticated
from .problems import Problem
from .schema import READ, problems
from .views import ApiView


class CurrentToken(ApiView):
    permission_classes = [Authenticated]

    @extend_schema(
        summary="Revoke the token this request is made with",
        responses={204: None, **problems(409, *READ)},
    )
    def delete(self, request: Request) -> Response:
        token = request.auth
        if token is None or not hasattr(token, "digest"):
            raise Problem(409, messages.API_NO_TOKEN)
        token.delete()
        return Response(status=204)
