"""Forms of the admin import flow: the upload and the confirm step."""

from typing import Any

from django import forms

from .conf import import_settings
from .models import CONFLICT_POLICIES, ImportConfiguration
from .readers import FORMATS, FileProblem, detect_format

HEADER_ROW_LABEL = "Header row (column names)"
CONFLICTS_HELP = (
    "A teacher or a room booked twice at overlapping times. Warn: the rows are imported, and"
    " confirming asks you to acknowledge the conflicts; Error: the rows are errors, skipped;"
    " Ignore: not checked."
)


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX or ODS.")
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
    conflicts = forms.ChoiceField(
        label="Schedule conflicts",
        choices=CONFLICT_POLICIES,
        required=False,  # not sent: the CONFLICTS setting
        help_text=CONFLICTS_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conflicts"].initial = import_settings.CONFLICTS

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_settings.MAX_FILE_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is too large ({upload.size} bytes, {limit} at most)."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns
        upload = cleaned.get("file")
        if upload is not None:
            try:
                detect_format(upload.name, cleaned.get("format") or None)
            except FileProblem as problem:
                self.add_error("format", problem.message)
        return cleaned


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
