"""What each committed import changed, kept so that it can be taken back (``undo.py``).

A ``Journal`` is written by the engine in the transaction of the import's writes
(``journal.py``): one row per written batch with the interventions it created and the values
before of those it updated, and one row per room it created or changed, with its label and
capacity before and as written. The job of the import points to its journal
(``ImportJob.journal``); the engine, which knows nothing of jobs, only gives its id.

Kept apart from the jobs' models (``imports/jobs/models.py``; ``imports/models.py`` names
both, so that Django finds them) because the engine may import these models and never the
jobs'.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Journal(models.Model):
    """One committed import's changes (its entries below)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("import journal")
        verbose_name_plural = _("import journals")

    def __str__(self) -> str:
        return f"journal #{self.pk}"


class JournalBatch(models.Model):
    """The interventions one written batch created and updated, as a few JSON lists (one
    row per batch: a journal costs a handful of inserts, not one per row):

    - ``created``: the GUIDs of the interventions it created;
    - ``updated``: for each one it updated, ``[guid, *values before]`` (``journal.BEFORE``:
      the stored values, date-times in ISO 8601, then its ``updated_at`` before);
    - ``unknown``: the GUIDs it updated without having read them: another import created them
      meanwhile (PostgreSQL, "Concurrent imports"); an undo keeps them.

    ``written_at`` is the ``updated_at`` the batch wrote: a row whose ``updated_at`` is another
    one changed since."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="batches")
    written_at = models.DateTimeField()
    created = models.JSONField(default=list)
    updated = models.JSONField(default=list)
    unknown = models.JSONField(default=list)

    class Meta:
        verbose_name = _("import journal batch")
        verbose_name_plural = _("import journal batches")

    def __str__(self) -> str:
        return f"batch of {self.written_at}"


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
        verbose_name = _("import journal room")
        verbose_name_plural = _("import journal rooms")

    def __str__(self) -> str:
        return self.guid
