"""The training domain: trainings, their sessions, rooms, teachers and interventions.

This app knows nothing of imports.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Training(models.Model):
    guid = models.CharField("GUID", max_length=40, unique=True)
    path_code = models.CharField(_("path code"), max_length=255, unique=True, null=True, blank=True)
    title = models.CharField(
        pgettext_lazy("training", "title"), max_length=255, blank=True, default=""
    )

    class Meta:
        ordering = ["title", "guid"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title or self.guid


class Session(models.Model):
    guid = models.CharField("GUID", max_length=40, unique=True)
    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("training")
    )
    title = models.CharField(
        pgettext_lazy("session", "title"), max_length=255, blank=True, default=""
    )

    class Meta:
        ordering = ["training", "title", "guid"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["training", "title"])]

    def __str__(self) -> str:
        """Told apart from the sessions of other trainings that have the same title:
        ``Autumn 2027 — Management (TR-2)`` (read with ``select_related("training")``)."""
        training = self.training
        named = f"{training.title} ({training.guid})" if training.title else training.guid
        return f"{self.title or self.guid} — {named}"


class Room(models.Model):
    guid = models.CharField("GUID", max_length=40, unique=True)
    label = models.CharField(pgettext_lazy("room", "label"), max_length=255)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["label", "guid"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.label


class Teacher(models.Model):
    login = models.CharField(_("login"), max_length=255, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True, default="")
    last_name = models.CharField(_("last name"), max_length=150, blank=True, default="")
    email = models.EmailField(_("email address"), blank=True, default="")

    class Meta:
        ordering = ["login"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")

    def __str__(self) -> str:
        full_name = f"{self.first_name} {self.last_name}".strip()
        return full_name or self.login


class Intervention(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "A", pgettext_lazy("intervention status", "Active")
        CANCELLED = "C", pgettext_lazy("intervention status", "Cancelled")

    # Unique by a constraint, not ``unique=True``: on PostgreSQL that also adds a second
    # index (``varchar_pattern_ops``, for ``LIKE``) which every import's insert maintains
    # and no query uses (docs/performance.md, "Issue 17, third pass").
    guid = models.CharField("GUID", max_length=40)
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("session")
    )
    start = models.DateTimeField(pgettext_lazy("intervention", "start"))
    # hours x 60 before 0003
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("room")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("teacher")
    )
    status = models.CharField(
        pgettext_lazy("intervention", "status"),
        max_length=1,
        choices=Status.choices,
        default=Status.ACTIVE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["start", "guid"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [models.UniqueConstraint(fields=["guid"], name="training_intervention_guid")]

    def __str__(self) -> str:
        return self.guid
