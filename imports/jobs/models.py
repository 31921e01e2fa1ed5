"""What the admin keeps of imports: saved configurations, and jobs with their rows and errors.

A job owns its uploaded file (kept through Django's storage API under ``imports/<job id>/``),
the counts of its latest run, every row's outcome (for the paginated preview) and every error.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from imports.database.journal_models import Journal
from imports.parsing.config import ConfigError, ImportConfig, parse_config
from imports.parsing.messages import render, stored_parts
from imports.planning.conflicts import Policy

__all__ = [
    "ImportConfiguration",
    "ImportJob",
    "ImportJobError",
    "ImportJobRow",
]


class ImportConfiguration(models.Model):
    """A saved XML configuration (the seed system's format), checked by the engine's parser."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    xml = models.TextField("XML", help_text=_("An <actions> block or a full <import-config> file."))
    # A mapping saved from the admin's mapping step (imports/parsing/mapping.py): the header cells
    # of the file it was made for, and their folded set, by which a later upload with the
    # same header finds it.
    header = models.JSONField(default=list, blank=True, editable=False)
    header_key = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import configuration")
        verbose_name_plural = _("import configurations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        try:
            parse_config(self.xml or "", source=self.name or "configuration")
        except ConfigError as error:
            raise ValidationError({"xml": [str(problem) for problem in error.problems]}) from None

    def import_config(self) -> ImportConfig:
        """The first ``<import>`` of the XML (the engine's options for one file)."""
        return parse_config(self.xml, source=self.name)[0]


# The schedule conflict policies, as the upload form and the job offer them.
POLICY_LABELS = {
    "warn": pgettext_lazy("schedule conflict policy", "Warn"),
    "error": pgettext_lazy("schedule conflict policy", "Error"),
    "ignore": pgettext_lazy("schedule conflict policy", "Ignore"),
}
CONFLICT_POLICIES = [
    (policy.value, POLICY_LABELS.get(policy.value, policy.value.capitalize())) for policy in Policy
]


def job_file_path(job: "ImportJob", file_name: str) -> str:
    return f"imports/{job.pk}/{file_name}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", pgettext_lazy("job status", "Previewed")
        IMPORTED = "imported", pgettext_lazy("job status", "Imported")
        FAILED = "failed", pgettext_lazy("job status", "Failed")
        EXPIRED = "expired", pgettext_lazy("job status", "Expired")
        # Background work (imports/jobs/background.py): waiting for a worker, on a worker, stopped.
        QUEUED = "queued", pgettext_lazy("job status", "Queued")
        RUNNING = "running", pgettext_lazy("job status", "Running")
        CANCELLED = "cancelled", pgettext_lazy("job status", "Cancelled")

    class Activity(models.TextChoices):
        PREVIEW = "preview", pgettext_lazy("job activity", "Preview")
        IMPORT = "import", pgettext_lazy("job activity", "Import")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("user"),
        help_text=_("Who uploaded the file."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmed_import_jobs",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(
        pgettext_lazy("import job", "file"), upload_to=job_file_path, max_length=500, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    configuration = models.ForeignKey(
        ImportConfiguration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=pgettext_lazy("import job", "configuration"),
    )
    configuration_name = models.CharField(
        _("configuration name"), max_length=100, blank=True, default=""
    )
    format = models.CharField(
        pgettext_lazy("file format", "format"), max_length=10, blank=True, default=""
    )
    # How to read the file, as chosen at upload (blank: automatic, or the configuration's):
    # the same choices as the command's --encoding, --delimiter, --date-format.
    encoding = models.CharField(max_length=40, blank=True, default="")
    delimiter = models.CharField(max_length=1, blank=True, default="")
    date_format = models.CharField(max_length=40, blank=True, default="")
    sheet = models.CharField(max_length=100, blank=True, default="")
    first_row_is_data = models.BooleanField(
        _("the first row is data"), default=False, help_text=_("The file has no header row.")
    )
    # cancelMissing (issue 29), ticked at upload: the file is the complete schedule of its
    # sessions, for its dates (unticked: the configuration's <cancelMissing>); the count of
    # interventions to cancel as missing that the user confirmed (needed above
    # CANCEL_MISSING_MAX_SHARE), reset by every new preview.
    cancel_missing = models.BooleanField(
        "cancel what the file leaves out",
        default=False,
        help_text="The file is the complete schedule of its sessions, for its dates.",
    )
    cancel_missing_confirmed = models.PositiveIntegerField(null=True, blank=True)
    # The schedule conflict policy chosen at upload, used by the preview and the confirm
    # alike; blank: the CONFLICTS setting.
    conflicts = models.CharField(
        _("schedule conflicts"),
        max_length=10,
        choices=CONFLICT_POLICIES,
        blank=True,
        default="",
    )
    # Who confirmed the preview knowing its schedule conflict warnings, and when.
    conflicts_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conflict_acknowledged_import_jobs",
        verbose_name=_("schedule conflicts acknowledged by"),
    )
    conflicts_acknowledged_at = models.DateTimeField(
        _("schedule conflicts acknowledged at"), null=True, blank=True
    )
    strict = models.BooleanField(_("all or nothing"), default=False)
    status = models.CharField(
        pgettext_lazy("import job", "status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PREVIEWED,
    )
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    # Interventions cancelled as missing (cancelMissing; a preview: those it would cancel).
    cancelled_missing = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(_("duration (s)"), default=0.0)
    # The rooms the latest run creates or changes: counts, and each one's label and capacity
    # before and after with the lines that describe it (results.RoomChange.as_dict).
    rooms_created = models.PositiveIntegerField(default=0)
    rooms_updated = models.PositiveIntegerField(default=0)
    rooms = models.JSONField(default=list, blank=True)
    header = models.JSONField(default=list, blank=True)
    # How the latest run read the file (results.ImportResult.read_with): the encoding and
    # delimiter found when none was chosen, the order of the dates and what told it.
    read_with = models.JSONField(default=dict, blank=True)
    # SHA-256 of every row's outcome and changes: the confirm step compares it.
    outcome_digest = models.CharField(max_length=64, blank=True, default="")
    # Background work: what the latest queued or running work is (or was), its Celery task,
    # its progress as last recorded here (the live figures are in the cache, imports/jobs/live.py),
    # and why it failed or stopped.
    activity = models.CharField(max_length=10, choices=Activity.choices, blank=True, default="")
    task_id = models.CharField(max_length=255, blank=True, default="")
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    failure_reason = models.TextField(blank=True, default="")
    # Undo (imports/database/undo.py): what a committed import changed; for an undo job, the import
    # it takes back (one committed undo per import) and what it did (undo.UndoCounts).
    journal = models.OneToOneField(
        Journal, on_delete=models.SET_NULL, null=True, blank=True, related_name="job"
    )
    undoes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undos"
    )
    undo_counts = models.JSONField(default=dict, blank=True)
    # Fixes made in the preview (imports/parsing/fixes.py), applied on read to the file as
    # uploaded: each {column, value, replacement (None: skip), lines (the group's; None or
    # absent: every row with the value), cells (set with it), rows, user, at}, in the order made.
    fixes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def total_rows(self) -> int:
        return self.new + self.updated + self.unchanged + self.error_rows

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PREVIEWED

    @property
    def in_background(self) -> bool:
        """Queued for or running on a worker."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ImportJobRow(models.Model):
    """One data row's outcome; ``cells`` (the row as it was) is kept for failing rows only."""

    # No index of its own: the (job, line) index below serves every query by job, and one
    # index less makes storing a 100,000-row preview faster. No constraint in the database
    # either: a preview's rows are the job's own cache, written and deleted with it by
    # this app only (``details.store_details``; the ORM's cascade on delete), and the check of
    # each of 100,000 rows at commit was a third of storing them on PostgreSQL.
    job = models.ForeignKey(
        ImportJob,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
        db_constraint=False,
    )
    line = models.PositiveIntegerField()
    guid = models.CharField(max_length=255, blank=True, default="")
    outcome = models.CharField(max_length=10)
    changes = models.JSONField(default=list, blank=True)  # [[field, old, new], ...]
    cells = models.JSONField(null=True, blank=True)
    # Where the file puts the intervention when that is not where it is (a new row; an update
    # that moves it), and where it was (the update's old start): seconds since 1970-01-01
    # UTC, so that the calendar reads only one week's rows (imports/web/calendar_job.py).
    # An integer is stored at no cost per row; null: the intervention's own start.
    start_epoch = models.BigIntegerField(null=True, blank=True)
    old_start_epoch = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["line"]
        verbose_name = _("import job row")
        verbose_name_plural = _("import job rows")
        # One index: (job, line) serves every query of a job's rows, a page filtered by
        # outcome too (it reads the job's rows in order, 15–30 ms for 100,000 rows on
        # SQLite); a second one, (job, outcome, line), cost 0.1–0.3 s of storing a
        # 100,000-row preview (issue 31, docs/performance.md).
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        return f"line {self.line}: {self.outcome}"


class ImportJobError(models.Model):
    """One problem: a row error, a warning, or a file problem (``file_level``: no rows used)."""

    # No index of its own: the (job, line) index below serves every query by job, and one
    # index less makes storing a 100,000-row preview faster.
    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="errors", db_index=False
    )
    line = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True, default="")
    value = models.TextField(blank=True, default="")
    message = models.TextField()
    level = models.CharField(max_length=10, default="ERROR")
    file_level = models.BooleanField(default=False)
    code = models.CharField(max_length=40, blank=True, default="")  # messages.Message.code
    # What the message is made of, to say it in the reader's language (``text``): its
    # parameters, or the list of its parts [code, parameters] (messages.storable_parts);
    # null for an error stored before (its English ``message`` is shown).
    params = models.JSONField(null=True, blank=True)
    # A schedule conflict: the other intervention's GUID, and its line when it is in the file.
    conflicts_with = models.CharField(max_length=255, blank=True, default="")
    conflicts_with_line = models.PositiveIntegerField(null=True, blank=True)
    # A key not found: the one existing value close to it ("Did you mean …?").
    suggestion = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = [models.F("line").asc(nulls_first=True), "pk"]
        verbose_name = _("import job problem")
        verbose_name_plural = _("import job problems")
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The message in the active language; ``message`` is its English text as stored."""
        return render(stored_parts(self.params, self.code), self.message)
