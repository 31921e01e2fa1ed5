"""What the API keeps: each ``Idempotency-Key`` with the first answer given to it.

A key belongs to one user; it is kept ``API_IDEMPOTENCY_HOURS`` (24 h by default), then
forgotten (``idempotency.claim`` deletes the expired keys when a new one comes). A key whose
request is still running has no answer yet (``done`` false).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

__all__ = ["IdempotencyKey"]


class IdempotencyKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the request: method, path, query and body (a file by its content's SHA-256).
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    done = models.BooleanField(default=False)
    # The first answer, given again to every retry with the same key and body.
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    content_type = models.CharField(max_length=100, blank=True, default="")
    location = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "API idempotency key"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="imports_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return self.key
