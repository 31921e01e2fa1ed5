"""Throttling per token (DRF's throttle): ``API_THROTTLE_RATE`` requests per token, per user
for a session. The counts live in the cache of the live progress (``PROGRESS_CACHE``, Redis
when configured), so that every web process counts the same requests."""

from django.conf import settings
from django.core.cache import BaseCache, caches
from rest_framework.throttling import SimpleRateThrottle

from imports.conf import import_settings


def _cache() -> BaseCache:
    alias = import_settings.PROGRESS_CACHE
    return caches[alias if alias in settings.CACHES else "default"]


class PerToken(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:
        self.cache = _cache()
        super().__init__()

    def get_rate(self) -> str | None:
        return import_settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if token is not None and hasattr(token, "digest"):
            ident = f"token:{token.digest[:32]}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
