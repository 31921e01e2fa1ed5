"""Admin: the mapping step, for a file whose header names the action's columns its own way.

    GET  import/<id>/mapping/   each file column, its first values, the column proposed, and
                                a default for any column (a column the file does not have,
                                or its empty cells)
    POST import/<id>/mapping/   save the mapping as a configuration, preview the file with it

A door: the proposals, the checks and the saved XML are the service's (imports/jobs/mapping.py,
imports/parsing/mapping.py). It needs the import permissions and the permission to add a saved
configuration (the mapping is saved as one).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, gettext_lazy

from imports.jobs import service
from imports.jobs.models import ImportJob
from imports.parsing.fields import (
    DEFAULT_ACTIVE_CODE,
    DEFAULT_CANCELLED_CODE,
    FIELD_NAMES,
    FIELDS,
    IGNORED_COLUMN,
)
from imports.parsing.mapping import DEFAULT_COLUMNS

from .permissions import can_map
from .views import shown_reason

CHOICES = [(IGNORED_COLUMN, gettext_lazy("ignoredColumn (not used)"))] + [
    (n, n) for n in FIELD_NAMES
]
# How a default is written, by the column's kind: as a cell of the file would be.
DEFAULT_HINTS = {
    "date": gettext_lazy(
        "a date as the file writes one (with its time when no column has the start time)"
    ),
    "time": gettext_lazy("a time of day: 09:00, 9h30, 9:00 AM"),
    "end": gettext_lazy("a time of day, or a date and time"),
    "end date": gettext_lazy("a date"),
    "duration": gettext_lazy("hours (2, 1.5, 1h30) or 90 min"),
    "capacity": gettext_lazy("a whole number"),
    "key": gettext_lazy("40 characters at most"),
}


def default_hint(kind: str) -> str:
    """How a default of a column of this kind is written, in the page's language."""
    if kind == "status":
        return gettext("{active} (active) or {cancelled} (cancelled)").format(
            active=DEFAULT_ACTIVE_CODE, cancelled=DEFAULT_CANCELLED_CODE
        )
    return str(DEFAULT_HINTS.get(kind, ""))


class MappingForm(forms.Form):
    first_row_is_data = forms.BooleanField(
        label=gettext_lazy("The first row is data"),
        required=False,
        help_text=gettext_lazy(
            "The file has no header row: its first row is imported too, and the saved"
            " configuration says so (skipFirstLine no)."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Save as the configuration"), max_length=100)

    def __init__(self, *args, proposals, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for proposal in proposals:
            self.fields[f"column_{proposal.index}"] = forms.ChoiceField(
                label=proposal.cell or gettext("column {number}").format(number=proposal.index + 1),
                choices=CHOICES,
                initial=proposal.field,
            )

        for name in DEFAULT_COLUMNS:
            self.fields[f"default_{name}"] = forms.CharField(
                label=name,
                required=False,
                max_length=255,
                help_text=default_hint(FIELDS[name].kind),
            )

    def columns(self) -> list[str]:
        return [self.cleaned_data[f"column_{p.index}"] for p in self.proposals]

    def defaults(self) -> dict[str, str]:
        """The defaults typed (blank: none), column -> value."""
        found = {name: self.cleaned_data[f"default_{name}"] for name in DEFAULT_COLUMNS}
        return {name: value for name, value in found.items() if value.strip()}

    def default_rows(self) -> list:
        """Each column's default input, for the template."""
        return [self[f"default_{name}"] for name in DEFAULT_COLUMNS]

    def rows(self) -> list[tuple]:
        """(proposal, its select) for the template."""
        return [(p, self[f"column_{p.index}"]) for p in self.proposals]


class InterventionMappingViews:
    """Mixed into the Intervention admin beside ``InterventionImportViews``."""

    def mapping_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"  # type: ignore[attr-defined]
        guarded = self._busy_is_a_message(self.mapping_view)  # type: ignore[attr-defined]
        view = self.admin_site.admin_view(guarded)  # type: ignore[attr-defined]
        return [path("import/<int:job_id>/mapping/", view, name=f"{info}_import_mapping")]

    def mapping_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not can_map(request.user):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        preview = self._url("import_preview", job.pk)  # type: ignore[attr-defined]
        if not service.needs_mapping(job):
            messages.info(request, gettext("This file's columns need no mapping."))
            return HttpResponseRedirect(preview)
        found = service.file_columns(job)
        if found is None:
            messages.error(request, gettext("The file's header row could not be read again."))
            return HttpResponseRedirect(preview)
        data = request.POST if request.method == "POST" else None
        initial = {
            "name": service.default_name(job),
            "first_row_is_data": found.first_row_is_data,
            **{f"default_{name}": value for name, value in found.defaults.items()},
        }
        form = MappingForm(data, initial=initial, proposals=found.proposals)
        problems: list[str] = []
        if data is not None and form.is_valid():
            problems, said = service.save_mapping(
                job,
                header=found.header,
                columns=form.columns(),
                name=form.cleaned_data["name"],
                first_row_is_data=form.cleaned_data["first_row_is_data"],
                defaults=form.defaults(),
            )
            if not problems:
                service.start_preview(job)
                if job.failure_reason and job.status == ImportJob.Status.FAILED:
                    said = shown_reason(job.failure_reason)  # the store failed
                messages.info(request, said)
                return HttpResponseRedirect(preview)
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.opts,  # type: ignore[attr-defined]
            "title": gettext("Map the columns of {file}").format(file=job.file_name),
            "job": job,
            "form": form,
            "problems": problems,
            "saved": found.saved,
            "preview_url": preview,
        }
        return TemplateResponse(request, "admin/imports/mapping.html", context)
