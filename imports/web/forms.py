"""Forms of the admin import flow: the upload and the confirm step."""

from typing import Any

from django import forms
from django.core.files import File
from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from imports.conf import import_settings
from imports.jobs import service
from imports.jobs.models import CONFLICT_POLICIES, ImportConfiguration
from imports.parsing.config import DELIMITERS
from imports.parsing.config_values import DATE_FORMAT_HINT, date_pattern
from imports.parsing.messages import DATE_FORMAT_NOT_VALID, STORE_UNREACHABLE, render
from imports.parsing.readers import FORMATS, FileProblem, detect_format

HEADER_ROW_LABEL = gettext_lazy("Header row (column names)")
# The upload form's reading choices: the command's --encoding, --delimiter, --date-format.
ENCODINGS = [
    ("", gettext_lazy("Automatic (byte order mark, UTF-8, else Windows-1252)")),
    ("utf-8", "UTF-8"),
    ("windows-1252", gettext_lazy("Windows-1252 (Excel on Windows, Western Europe)")),
    ("iso-8859-1", "ISO-8859-1 (Latin-1)"),
    ("iso-8859-15", "ISO-8859-15 (Latin-9)"),
    ("utf-16", gettext_lazy("UTF-16 (with its byte order mark)")),
    ("mac-roman", "Mac OS Roman"),
]
DELIMITER_LABELS = {
    "semicolon": gettext_lazy("; semicolon"),
    "comma": gettext_lazy(", comma"),
    "tab": pgettext_lazy("delimiter", "tab"),
    "pipe": gettext_lazy("| pipe"),
}
DELIMITER_CHOICES = [("", gettext_lazy("Automatic (; , tab or |, from the first lines)"))] + [
    (DELIMITERS[name], label) for name, label in DELIMITER_LABELS.items()
]
DATE_FORMATS = ["DD/MM/YYYY HH:II", "MM/DD/YYYY HH:II", "YYYY-MM-DD HH:II", "DD.MM.YYYY HH:II"]
READING_HELP = gettext_lazy(
    "Automatic unless the file needs it; a saved configuration's own choice is used."
)
CONFLICTS_HELP = gettext_lazy(
    "A teacher or a room booked twice at overlapping times. Warn: the rows are imported, and"
    " confirming asks you to acknowledge the conflicts; Error: the rows are errors, skipped;"
    " Ignore: not checked."
)


class UploadForm(forms.Form):
    # Not required as such: a file kept from a submission with an error (``kept_file``) counts.
    file = forms.FileField(
        label=pgettext_lazy("upload form", "File"),
        help_text=gettext_lazy("CSV, XLSX or ODS."),
        required=False,
    )
    kept_file = forms.CharField(widget=forms.HiddenInput, required=False)
    format = forms.ChoiceField(
        label=pgettext_lazy("file format", "Format"),
        choices=[("", gettext_lazy("Detect from the file name"))]
        + [(f, f.upper()) for f in FORMATS],
        required=False,
    )
    configuration = forms.ModelChoiceField(
        label=pgettext_lazy("upload form", "Configuration"),
        queryset=ImportConfiguration.objects.all(),
        required=False,
        empty_label=HEADER_ROW_LABEL,
        help_text=gettext_lazy(
            "How to read the columns: the file's header row, or a saved configuration."
        ),
    )
    encoding = forms.ChoiceField(
        label=pgettext_lazy("upload form", "Encoding"),
        choices=ENCODINGS,
        required=False,
        help_text=READING_HELP,
    )
    delimiter = forms.ChoiceField(
        label=pgettext_lazy("upload form", "Delimiter"),
        choices=DELIMITER_CHOICES,
        required=False,
        help_text=gettext_lazy("CSV only."),
    )
    date_format = forms.CharField(
        label=pgettext_lazy("upload form", "Date format"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={
                "list": "date-formats",
                "placeholder": pgettext_lazy("reading choice", "Automatic"),
            }
        ),
        help_text=gettext_lazy(
            "As in a configuration's dateFormat, e.g. DD/MM/YYYY HH:II. Automatic: ISO"
            " 8601, and dates with slashes day or month first as the file's dates tell."
        ),
    )
    sheet = forms.CharField(
        label=pgettext_lazy("upload form", "Sheet"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("The first sheet with a header row")}
        ),
        help_text=gettext_lazy("Workbooks only: the name of the sheet to read."),
    )
    first_row_is_data = forms.BooleanField(
        label=gettext_lazy("The first row is data"),
        required=False,
        help_text=gettext_lazy(
            "The file has no header row: its columns come from the configuration, or"
            " from the mapping step."
        ),
    )
    cancel_missing = forms.BooleanField(
        label=gettext_lazy("The file is the complete schedule of its sessions"),
        required=False,
        help_text=gettext_lazy(
            "Cancel the interventions of the file's sessions, between its first and last day,"
            " not started yet, that the file leaves out (status cancelled, never deleted; the"
            " preview lists them). Unticked: as the configuration's cancelMissing says."
        ),
    )
    conflicts = forms.ChoiceField(
        label=gettext_lazy("Schedule conflicts"),
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
                gettext("The file is too large ({size} bytes, {limit} at most).").format(
                    size=upload.size, limit=limit
                )
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
        try:
            kept = service.kept_upload(self.cleaned_data.get("kept_file") or "")
        except service.StoreUnreachable:
            self.add_error("file", STORE_UNREACHABLE.translated())
            return None
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
            try:
                token = service.keep_upload(upload)
            except service.StoreUnreachable:  # not kept: to be chosen again
                self.add_error("file", STORE_UNREACHABLE.translated())
                return
        data = QueryDict(mutable=True)
        data.update(self.data)  # every value of every field, as submitted
        data["kept_file"] = token
        self.data = data
        self.kept_name = upload.name or ""


class ConfirmForm(forms.Form):
    strict = forms.BooleanField(
        label=gettext_lazy("All or nothing"),
        required=False,
        help_text=gettext_lazy("Import nothing if any row has an error."),
    )
    acknowledge_conflicts = forms.BooleanField(
        label=gettext_lazy("I have checked the schedule conflicts listed above"),
        required=False,  # required by the job service when the preview has conflict warnings
    )
    # The tick with the number (cancelMissing): its value is the count of interventions the
    # preview cancels as missing; required by the job service above the share allowed.
    cancel_count = forms.IntegerField(min_value=0, required=False)
