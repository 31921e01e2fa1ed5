"""What the API reads and writes, field by field; drf-spectacular makes the OpenAPI schema of
them. The output serializers render dictionaries built by ``jobs.py`` (reading only)."""

import codecs

from rest_framework import serializers

from imports.jobs.models import ImportConfiguration, ImportJob
from imports.parsing.config_values import DATE_FORMAT_HINT, DELIMITERS, date_pattern
from imports.parsing.messages import DATE_FORMAT_NOT_VALID
from imports.parsing.readers import FORMATS
from imports.planning.conflicts import Policy

# ---- requests -------------------------------------------------------------------------------


class ImportOptions(serializers.Serializer):
    """The upload form's choices (and the command's): blank or absent is automatic."""

    configuration = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A saved configuration, by id or name; blank: the header row.",
    )
    format = serializers.ChoiceField(
        choices=["", *FORMATS],
        required=False,
        help_text="Blank: from the file name (always csv for rows).",
    )
    encoding = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="Blank: automatic."
    )
    delimiter = serializers.ChoiceField(
        choices=["", *sorted(DELIMITERS)], required=False, help_text="CSV only; blank: automatic."
    )
    date_format = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="As a configuration's dateFormat: DD/MM/YYYY HH:II. Blank: automatic.",
    )
    sheet = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Workbooks only."
    )
    first_row_is_data = serializers.BooleanField(
        required=False, default=False, help_text="The file has no header row."
    )
    conflicts = serializers.ChoiceField(
        choices=["", *(policy.value for policy in Policy)],
        required=False,
        help_text="Schedule conflicts: warn, error or ignore; blank: the CONFLICTS setting.",
    )
    cancel_missing = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The file is the complete schedule of its sessions, for its dates: cancel"
        " the interventions it leaves out (false: the configuration's cancelMissing).",
    )

    def validate_configuration(self, value: str) -> ImportConfiguration | None:
        value = value.strip()
        if not value:
            return None
        found = ImportConfiguration.objects.filter(name=value).first()
        if found is None and value.isdigit() and len(value) < 19:
            found = ImportConfiguration.objects.filter(pk=int(value)).first()
        if found is None:
            raise serializers.ValidationError(f"No saved configuration {value}.", code="not_found")
        return found

    def validate_encoding(self, value: str) -> str:
        value = value.strip()
        if value:
            try:
                codecs.lookup(value)
            except (LookupError, ValueError):
                raise serializers.ValidationError(
                    f"Unknown encoding {value}.", code="unknown_encoding"
                ) from None
        return value

    def validate_date_format(self, value: str) -> str:
        value = value.strip()
        if value and date_pattern(value) is None:
            message = DATE_FORMAT_NOT_VALID.format(value=value)
            raise serializers.ValidationError(f"{message} {DATE_FORMAT_HINT}", code=message.code)
        return value


class FileImport(ImportOptions):
    file = serializers.FileField(help_text="CSV (or .txt, .tsv), XLSX or ODS.")


class RowCell(serializers.CharField):
    """A cell of a JSON row: a text, a number or null (empty)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_blank=True, allow_null=True, trim_whitespace=False, **kwargs)


class RowsImport(ImportOptions):
    rows = serializers.ListField(
        child=serializers.DictField(child=RowCell()),
        min_length=1,
        help_text="Rows as objects in the import's column names (those of a file's header row,"
        " or of the configuration); row i is line i + 2 of the job (line 1: the header).",
    )


class Confirm(serializers.Serializer):
    acknowledge_conflicts = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Needed when the preview has schedule conflict warnings.",
    )
    strict = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="All or nothing; null: the STRICT setting.",
    )
    cancel_count = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        help_text="The job's cancelled_missing, when it needs confirming"
        " (needs_cancel_confirmation).",
    )


class Undo(serializers.Serializer):
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Say what an undo would do; change nothing."
    )
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Undo the interventions and rooms changed since the import too.",
    )


class InterventionFilter(serializers.Serializer):
    training = serializers.CharField(required=False, max_length=255, help_text="A training GUID.")
    session = serializers.CharField(required=False, max_length=255, help_text="A session GUID.")
    since = serializers.DateField(required=False, help_text="Starting on or after this day.")
    until = serializers.DateField(required=False, help_text="Starting on or before this day.")
    status = serializers.ChoiceField(choices=["A", "C"], required=False)


# ---- answers --------------------------------------------------------------------------------


class ProblemItem(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemAnswer(serializers.Serializer):
    """application/problem+json (RFC 9457) with our ``code``."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.ListField(child=serializers.JSONField(), required=False)  # type: ignore[assignment]
    job = serializers.CharField(required=False, help_text="The job's URL.")


class JobError(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="The file's physical line.")
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    level = serializers.ChoiceField(choices=["ERROR", "WARNING"])
    code = serializers.CharField(allow_blank=True)
    suggestion = serializers.CharField(allow_blank=True, help_text="Did you mean …?")
    file_level = serializers.BooleanField(help_text="A problem of the whole file.")
    conflicts_with = serializers.CharField(allow_blank=True)
    conflicts_with_line = serializers.IntegerField(allow_null=True)


class Progress(serializers.Serializer):
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    seconds_left = serializers.FloatField(allow_null=True)
    cancel_requested = serializers.BooleanField()


class JobLinks(serializers.Serializer):
    self = serializers.CharField()
    errors = serializers.CharField()  # type: ignore[assignment]
    rows = serializers.CharField()
    confirm = serializers.CharField()
    discard = serializers.CharField()
    cancel = serializers.CharField()
    undo = serializers.CharField()


class JobOptions(serializers.Serializer):
    configuration = serializers.CharField(allow_blank=True)
    configuration_id = serializers.IntegerField(allow_null=True)
    format = serializers.CharField(allow_blank=True)
    encoding = serializers.CharField(allow_blank=True)
    delimiter = serializers.CharField(allow_blank=True)
    date_format = serializers.CharField(allow_blank=True)
    sheet = serializers.CharField(allow_blank=True)
    first_row_is_data = serializers.BooleanField()
    conflicts = serializers.CharField(allow_blank=True)
    cancel_missing = serializers.BooleanField()


class Job(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportJob.Status.values)
    activity = serializers.CharField(allow_blank=True, help_text="preview or import, on a worker.")
    file = serializers.CharField(help_text="The file's name as uploaded.")
    size = serializers.IntegerField()
    sha256 = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    uploaded_by = serializers.CharField(allow_null=True)
    confirmed_by = serializers.CharField(allow_null=True)
    options = JobOptions()
    # The command's --json keys.
    dry_run = serializers.BooleanField(help_text="Nothing written (yet).")
    committed = serializers.BooleanField()
    strict = serializers.BooleanField()
    new = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_rows = serializers.IntegerField()
    rooms_created = serializers.IntegerField()
    rooms_updated = serializers.IntegerField()
    seconds = serializers.FloatField()
    conflicts = serializers.IntegerField(help_text="Schedule conflicts found (warnings or errors).")
    cancelled_missing = serializers.IntegerField(
        help_text="Interventions cancelled as missing (a preview: that it would cancel)."
    )
    warnings = serializers.IntegerField()
    file_errors = JobError(many=True, help_text="Problems of the whole file (nothing read).")
    failure_reason = serializers.CharField(allow_blank=True)
    progress = Progress()
    needs_acknowledgement = serializers.BooleanField()
    needs_cancel_confirmation = serializers.BooleanField(
        help_text="Confirm with cancel_count equal to cancelled_missing."
    )
    may_confirm = serializers.BooleanField(help_text="You may confirm it now (four-eyes).")
    four_eyes_blocked = serializers.BooleanField()
    undoes = serializers.IntegerField(allow_null=True, help_text="An undo: the import it undoes.")
    undo_counts = serializers.DictField(child=serializers.JSONField())
    links = JobLinks()


class RowChange(serializers.Serializer):
    column = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class JobRow(serializers.Serializer):
    line = serializers.IntegerField()
    guid = serializers.CharField(allow_blank=True)
    outcome = serializers.ChoiceField(choices=["new", "updated", "unchanged", "error"])
    writes = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="A new row: what it writes."
    )
    changes = RowChange(many=True, help_text="An update: what it changes.")
    cells = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        allow_null=True,
        help_text="A row with errors: its cells as the file has them.",
    )


class UndoAnswer(serializers.Serializer):
    job = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    deleted = serializers.IntegerField(required=False)
    restored = serializers.IntegerField(required=False)
    kept = serializers.IntegerField(required=False)
    kept_guids = serializers.ListField(child=serializers.CharField(), required=False)
    rooms_deleted = serializers.IntegerField(required=False)
    rooms_restored = serializers.IntegerField(required=False)
    rooms_kept = serializers.IntegerField(required=False)
    rooms_kept_guids = serializers.ListField(child=serializers.CharField(), required=False)
    undo_job = serializers.IntegerField(required=False)
    detail = serializers.CharField()
    code = serializers.CharField()


class InterventionRows(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())
    results = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True))
    )


class ApiRoot(serializers.Serializer):
    imports = serializers.CharField()
    interventions = serializers.CharField()
    schema = serializers.CharField()
    docs = serializers.CharField()
