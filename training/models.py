"""The training domain: trainings, their sessions, rooms, teachers and interventions.

This app knows nothing of imports.
"""

from django.db import models


class Training(models.Model):
    guid = models.CharField(max_length=40, unique=True)
    path_code = models.CharField(max_length=255, unique=True, null=True, blank=True)
    title = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["title", "guid"]

    def __str__(self) -> str:
        return self.title or self.guid


class Session(models.Model):
    guid = models.CharField(max_length=40, unique=True)
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["training", "title", "guid"]
        indexes = [models.Index(fields=["training", "title"])]

    def __str__(self) -> str:
        """Told apart from the sessions of other trainings that have the same title:
        ``Autumn 2027 — Management (TR-2)`` (read with ``select_related("training")``)."""
        training = self.training
        named = f"{training.title} ({training.guid})" if training.title else training.guid
        return f"{self.title or self.guid} — {named}"


class Room(models.Model):
    guid = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=255)
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["label", "guid"]

    def __str__(self) -> str:
        return self.label


class Teacher(models.Model):
    login = models.CharField(max_length=255, unique=True)
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    email = models.EmailField(blank=True, default="")

    class Meta:
        ordering = ["login"]

    def __str__(self) -> str:
        full_name = f"{self.first_name} {self.last_name}".strip()
        return full_name or self.login


class Intervention(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "A", "Active"
        CANCELLED = "C", "Cancelled"

    # Unique by a constraint, not ``unique=True``: on PostgreSQL that also adds a second
    # index (``varchar_pattern_ops``, for ``LIKE``) which every import's insert maintains
    # and no query uses (docs/performance.md, "Issue 17, third pass").
    guid = models.CharField(max_length=40)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="interventions")
    start = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField("duration (minutes)")  # hours x 60 before 0003
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="interventions")
    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="interventions")
    status = models.CharField(max_length=1, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "guid"]
        constraints = [models.UniqueConstraint(fields=["guid"], name="training_intervention_guid")]

    def __str__(self) -> str:
        return self.guid
