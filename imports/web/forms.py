"""Forms of the admin import flow: the upload and the confirm step."""

from typing import Any

from django import forms
from django.core.files import File
from django.http import QueryDict

from imports.conf import import_settings
from imports.jobs import service
from imports.jobs.models import CONFLICT_POLICIES, ImportConfiguration
from imports.parsing.config import DELIMITERS
from imports.parsing.config_values import DATE_FORMAT_HINT, date_pattern
from imports.parsing.messages import DATE_FORMAT_NOT_VALID, render
from imports.parsing.readers import FORMATS, FileProblem, detect_format

HEADER_ROW_LABEL = "Header row (column names)"
# The upload form's reading choices: the command's --encoding, --delimiter, --date-format.
ENCODINGS = [
    ("", "Automatic (byte order mark, UTF-8, else Windows-1252)"),
    ("utf-8", "UTF-8"),
    ("windows-1252", "Windows-1252 (Excel on Windows, Western Europe)"),
    ("iso-8859-1", "ISO-8859-1 (Latin-1)"),
    ("iso-8859-15", "ISO-8859-15 (Latin-9)"),
    ("utf-16", "UTF-16 (with its byte order mark)"),
    ("mac-roman", "Mac OS Roman"),
]
DELIMITER_LABELS = {"semicolon": "; semicolon", "comma": ", comma", "tab": "tab", "pipe": "| pipe"}
DELIMITER_CHOICES = [("", "Automatic (; , tab or |, from the first lines)")] + [
    (DELIMITERS[name], label) for name, label in DELIMITER_LABELS.items()
]
DATE_FORMATS = ["DD/MM/YYYY HH:II", "MM/DD/YYYY HH:II", "YYYY-MM-DD HH:II", "DD.MM.YYYY HH:II"]
READING_HELP = "Automatic unless the file needs it; a saved configuration's own choice is used."
CONFLICTS_HELP = (
    "A teacher or a room booked twice at overlapping times. Warn: the rows are imported, and"
    " confirming asks you to acknowledge the conflicts; Error: the rows are errors, skipped;"
    " Ignore: not checked."
)


class UploadForm(forms.Form):
    # Not required as such: a file kept from a submission with an error (``kept_file``) counts.
    file = forms.FileField(help_text="CSV, XLSX or ODS.", required=False)
    kept_file = forms.CharField(widget=forms.HiddenInput, required=False)
    format = forms.ChoiceField(
        choices=[("", "Detect from the file name")] + [(f, f.upper()) for f in FORMATS],
        required=False,
    )
    configuration = forms.ModelChoiceField(
        queryset=ImportConfiguration.objects.all(),
        required=False,
        empty_label=HEADER_ROW_LABEL,
        help_text="How to read the columns: the file's header row, or a saved configuration.",
    )
    encoding = forms.ChoiceField(choices=ENCODINGS, required=False, help_text=READING_HELP)
    delimiter = forms.ChoiceField(choices=DELIMITER_CHOICES, required=False, help_text="CSV only.")
    date_format = forms.CharField(
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "date-formats", "placeholder": "Automatic"}),
        help_text="As in a configuration's dateFormat, e.g. DD/MM/YYYY HH:II. Automatic: ISO"
        " 8601, and dates with slashes day or month first as the file's dates tell.",
    )
    sheet = forms.CharField(
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "The first sheet with a header row"}),
        help_text="Workbooks only: the name of the sheet to read.",
    )
    first_row_is_data = forms.BooleanField(
        label="The first row is data",
        required=False,
        help_text="The file has no header row: its columns come from the configuration, or"
        " from the mapping step.",
    )
    conflicts = forms.ChoiceField(
        label="Schedule conflicts",
        choices=CONFLICT_POLICIES,
        required=False,  # not sent: the CONFLICTS setting
        help_text=CONFLICTS_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conflicts"].initial = import_settings.CONFLICTS

    kept_name = ""  # the name of the file kept from the previous submission, if any

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_settings.MAX_FILE_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is too large ({upload.size} bytes, {limit} at most)."
            )
        return upload

    def clean_date_format(self) -> str:
        source = self.cleaned_data["date_format"].strip()
        if source and date_pattern(source) is None:
            message = DATE_FORMAT_NOT_VALID.format(value=source)
            raise forms.ValidationError(f"{message.translated()} {DATE_FORMAT_HINT}")
        return source

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns
        if cleaned.get("file") is None and "file" not in self.errors:
            cleaned["file"] = self._kept_file()
        upload = cleaned.get("file")
        if upload is not None:
            try:
                detect_format(upload.name, cleaned.get("format") or None)
            except FileProblem as problem:
                self.add_error("format", render(problem.parts, problem.message))
        return cleaned

    def _kept_file(self) -> File | None:
        kept = service.kept_upload(self.cleaned_data.get("kept_file") or "")
        if kept is None:
            self.add_error("file", self.fields["file"].error_messages["required"])
        return kept

    def keep_chosen_file(self) -> None:
        """After an error elsewhere: keep the file that arrived for the next submission."""
        upload = self.cleaned_data.get("file") if hasattr(self, "cleaned_data") else None
        if upload is None or "file" in self.errors:
            return
        token = self.data.get("kept_file", "")
        if self.files.get("file") is not None or not token:
            token = service.keep_upload(upload)
        data = QueryDict(mutable=True)
        data.update(self.data)  # every value of every field, as submitted
        data["kept_file"] = token
        self.data = data
        self.kept_name = upload.name or ""


class ConfirmForm(forms.Form):
    strict = forms.BooleanField(
        label="All or nothing",
        required=False,
        help_text="Import nothing if any row has an error.",
    )
    acknowledge_conflicts = forms.BooleanField(
        label="I have checked the schedule conflicts listed above",
        required=False,  # required by the job service when the preview has conflict warnings
    )
