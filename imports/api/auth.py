"""Who calls the API: a token (``Authorization: Token <key>``, django-rest-knox: stored as its
SHA-512 digest, expiring, several per user, revoked by deleting it) or the session of a
logged-in admin user (staff)."""

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, without its writes: an expired token is refused, not deleted in
    the request (a GET never writes); ``create_api_token`` deletes the expired ones."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed() from None
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()


class AdminSessionAuthentication(SessionAuthentication):
    """The admin's session, for a staff user (the Swagger page, a browser script)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None or not found[0].is_staff:
            return None
        return found
