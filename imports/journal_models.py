"""What each committed import changed, kept so that it can be taken back (``imports/undo.py``).

A ``Journal`` is written by the engine in the transaction of the import's writes
(``imports/journal.py``): one row per intervention it created or updated, with the values
before for an update, and one row per room it created or changed, with its label and
capacity before and as written. The job of the import points to its journal
(``ImportJob.journal``); the engine, which knows nothing of jobs, only gives its id.

Kept apart from ``imports/models.py`` (which imports this module, so that Django finds the
models) because the engine may import these models and never the jobs'.
"""

from django.db import models


class Journal(models.Model):
    """One committed import's changes (its entries below)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"journal #{self.pk}"


class JournalIntervention(models.Model):
    """An intervention the import created (``created``) or updated, with its values before
    (null for a created one, or when another import created it meanwhile: ``before_known``
    False) and the ``updated_at`` the import wrote, which tells whether it changed since."""

    journal = models.ForeignKey(
        Journal, on_delete=models.CASCADE, related_name="interventions", db_index=False
    )
    guid = models.CharField(max_length=40)
    created = models.BooleanField()
    before_known = models.BooleanField(default=True)
    written_at = models.DateTimeField()
    # The values before, named as fields.STORED_VALUES (plain ids: the journal never holds
    # a row back from being deleted), and the time stamp before.
    session_id = models.BigIntegerField(null=True)
    start = models.DateTimeField(null=True)
    duration_hours = models.PositiveIntegerField(null=True)
    room_id = models.BigIntegerField(null=True)
    teacher_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=1, null=True)  # noqa: DJ001 (null: none before)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["journal", "guid"])]

    def __str__(self) -> str:
        return self.guid


class JournalRoom(models.Model):
    """A room the import created (``created``) or changed: label and capacity before (blank
    for a created one) and as the import wrote them, which tells whether it changed since."""

    journal = models.ForeignKey(
        Journal, on_delete=models.CASCADE, related_name="rooms", db_index=False
    )
    guid = models.CharField(max_length=40)
    created = models.BooleanField()
    label = models.CharField(max_length=255, blank=True, default="")
    capacity = models.PositiveIntegerField(null=True)
    written_label = models.CharField(max_length=255)
    written_capacity = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["journal", "guid"])]

    def __str__(self) -> str:
        return self.guid
