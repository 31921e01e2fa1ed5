"""The admin's pages of the app: the Intervention admin with its Import button (and the import
flow, the export, the mapping step and fixes mixed in), saved configurations, and the import
history with its error report and "Undo this import". ``imports/admin.py`` registers them."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy
from import_export.admin import ImportMixin

from imports.jobs import service
from imports.jobs.error_report import error_report_csv
from imports.jobs.header_template import TEMPLATE_FORMATS, template_file
from imports.jobs.models import ImportConfiguration, ImportJob
from imports.parsing.config import HEADER_CONFIG
from imports.parsing.messages import STORE_UNREACHABLE, STORE_UNREACHABLE_DELETE
from training.admin import InterventionAdmin

from .calendar_views import InterventionCalendarViews
from .export import InterventionExportViews
from .fixes import InterventionFixViews
from .mapping import InterventionMappingViews
from .permissions import can_import, can_undo
from .undo import undo_url, undo_view
from .views import InterventionImportViews, job_page_context

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment(content: bytes, file_name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # an attachment always has a header (None is only for an inline file without a name)
    response["Content-Disposition"] = content_disposition_header(True, file_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class InterventionImportAdmin(
    InterventionCalendarViews,
    InterventionFixViews,
    InterventionMappingViews,
    InterventionExportViews,
    InterventionImportViews,
    ImportMixin,
    InterventionAdmin,
):
    """The training app's Intervention admin plus the import flow (see ``views.py``) and
    the export (``export.py``: the Export button and the "Export selected" action)."""

    # django-import-export puts it over the stock change list (its Import button kept)
    import_export_change_list_template = "admin/imports/interventions_change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra = {
            "has_export_permission": self.has_export_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def get_urls(self) -> list:
        # django-import-export's own import and process_import views (temp files, a confirm
        # form naming a file) are replaced by the job-based views.
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        stock = {f"{info}_import", f"{info}_process_import"}
        urls = [url for url in super().get_urls() if getattr(url, "name", None) not in stock]
        template = path(
            "import/template.<str:file_format>",
            self.admin_site.admin_view(self.template_view),
            name=f"{info}_import_template",
        )
        mapping = [*self.mapping_urls(), *self.fix_urls(), *self.calendar_urls()]
        return [template, *mapping, *self.import_urls(), *self.export_urls(), *urls]

    def template_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        """The template of the default layout, or of ``?configuration=<id>``: for importers."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if file_format not in TEMPLATE_FORMATS:
            raise Http404
        chosen = request.GET.get("configuration", "")
        if chosen:
            if not chosen.isdigit():
                raise Http404
            configuration = get_object_or_404(ImportConfiguration, pk=int(chosen))
            content = template_file(configuration.import_config(), file_format)
            return attachment(
                content, f"{configuration.name}.{file_format}", CONTENT_TYPES[file_format]
            )
        content = template_file(HEADER_CONFIG, file_format)
        return attachment(content, f"interventions.{file_format}", CONTENT_TYPES[file_format])


class ImportConfigurationAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at", "template_links"]
    search_fields = ["name", "xml"]
    readonly_fields = ["template_links", "created_at", "updated_at"]
    fields = ["name", "xml", "template_links", "created_at", "updated_at"]

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # The admin renders help texts as HTML: the model's "<actions>" would vanish as a tag.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and field.help_text:
            field.help_text = escape(str(field.help_text))
        return field

    @admin.display(description=pgettext_lazy("file templates", "Template"))
    def template_links(self, obj: ImportConfiguration) -> str:
        if obj.pk is None:
            return "-"
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:imports_importconfiguration_template", args=[obj.pk, fmt]),
                fmt.upper(),
            )
            for fmt in TEMPLATE_FORMATS
        ]
        return format_html("{} / {}", *links)

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.template_view)
        route = path(
            "<int:pk>/template.<str:file_format>",
            view,
            name="imports_importconfiguration_template",
        )
        return [route] + super().get_urls()

    def template_view(self, request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
        configuration = get_object_or_404(ImportConfiguration, pk=pk)
        if not self.has_view_permission(request, configuration):
            raise PermissionDenied
        if file_format not in TEMPLATE_FORMATS:
            raise PermissionDenied
        content = template_file(configuration.import_config(), file_format)
        name = f"{configuration.name}.{file_format}"
        return attachment(content, name, CONTENT_TYPES[file_format])


def shown_name(job: ImportJob) -> str:
    """A job's file name as a page shows it; an undo's (stored in English) in the page's
    language."""
    if job.undoes_id is None:
        return job.file_name
    undone = job.undoes.file_name if job.undoes else ""
    return gettext("Undo of import {job} ({file})").format(job=job.undoes_id, file=undone)


# An undo job's status in the list: an undo, not an import (issue 28).
UNDO_STATUS = {
    ImportJob.Status.PREVIEWED: pgettext_lazy("undo job status", "Undo waiting for confirmation"),
    ImportJob.Status.IMPORTED: pgettext_lazy("undo job status", "Undone"),
    ImportJob.Status.FAILED: pgettext_lazy("undo job status", "Undo failed"),
    ImportJob.Status.EXPIRED: pgettext_lazy("undo job status", "Undo expired"),
}


def job_status(job: ImportJob) -> str:
    """A job's status as the list shows it: an undo's says it is an undo."""
    if job.undoes_id is not None and job.status in UNDO_STATUS:
        return str(UNDO_STATUS[ImportJob.Status(job.status)])
    return str(job.get_status_display())


def undo_outcome(job: ImportJob) -> str:
    """An undo job's outcome: waiting, or its counts."""
    if job.status != ImportJob.Status.IMPORTED:
        return gettext("undo of #{job}: waits for confirmation").format(job=job.undoes_id)
    counts = service.UndoCounts.from_dict(job.undo_counts)
    return service.undo_summary(job.undoes_id or 0, counts)


def job_outcome(job: ImportJob) -> str:
    """What a job did, in the history's words: counts only for what was imported or would be."""
    status = ImportJob.Status
    if job.status in (status.QUEUED, status.RUNNING):
        return "-"
    if job.status in (status.FAILED, status.CANCELLED, status.EXPIRED):
        return gettext("nothing written")
    if job.undoes_id is not None:
        return undo_outcome(job)
    counts = gettext("{new} new, {updated} updated, {unchanged} unchanged").format(
        new=job.new, updated=job.updated, unchanged=job.unchanged
    )
    if job.error_rows:
        counts += gettext(", {errors} with errors").format(errors=job.error_rows)
    if job.status == status.IMPORTED:
        return counts
    return pgettext("a job's outcome", "preview: {counts}").format(counts=counts)


def undo_links(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    """The job page's undo links: undo this import, the undo that took it back, or (an undo
    job) the import it took back."""
    undone_by = job.undos.filter(status=ImportJob.Status.IMPORTED).first()
    undoable = job.status == ImportJob.Status.IMPORTED and job.undoes_id is None
    return {
        "undo_url": undo_url(job.undoes or job),
        "can_undo": undoable and undone_by is None and can_undo(request.user),
        "undone_by": undone_by,
        "undoes": job.undoes,
    }


class ImportJobAdmin(admin.ModelAdmin):
    # The status first, then what the job did in words: a preview's figures say what it
    # would do, a job that wrote nothing says so (its stored counts are a preview's).
    list_display = ["id", "status_shown", "file_name", "user", "created_at", "outcome", "duration"]
    list_filter = ["status", "user", "created_at", "configuration", "conflicts"]
    search_fields = ["file_name", "sha256", "user__username", "configuration_name"]
    list_select_related = ["user", "undoes"]
    change_list_template = "admin/imports/importjob_change_list.html"  # long names wrap
    # Jobs are never edited here; the job page (``change_view``) shows these.
    readonly_fields = ["conflicts", "conflicts_acknowledged_by", "conflicts_acknowledged_at"]
    date_hierarchy = "created_at"
    detail_template = "admin/imports/job_detail.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    # the admin's own file_name (before the model's field): an undo's name said in the page's
    # language
    @admin.display(description=gettext_lazy("file name"), ordering="file_name")
    def file_name(self, job: ImportJob) -> str:
        return shown_name(job)

    @admin.display(description=pgettext_lazy("import job", "status"), ordering="status")
    def status_shown(self, job: ImportJob) -> str:
        return job_status(job)

    @admin.display(description=pgettext_lazy("import job", "outcome"))
    def outcome(self, job: ImportJob) -> str:
        return job_outcome(job)

    @admin.display(description=gettext_lazy("duration"), ordering="seconds")
    def duration(self, job: ImportJob) -> str:
        # 12.9 s, 12,9 s in French: the page's language writes the number
        return f"{number_format(job.seconds, 1)} s" if job.seconds else "-"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.report_view)
        route = path("<int:pk>/errors.csv", view, name="imports_importjob_report")
        undo = path(
            "<int:pk>/undo/",
            self.admin_site.admin_view(self.undo_view),
            name="imports_importjob_undo",
        )
        return [route, undo] + super().get_urls()

    def undo_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Undo this import: what it would do (GET), then undo or ask for it (POST)."""
        job = self.get_object(request, str(pk))
        if job is None:
            raise Http404
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        return undo_view(request, job, context)

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        job = get_object_or_404(ImportJob, pk=object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import #{job}: {file}").format(job=job.pk, file=shown_name(job)),
            "job_name": shown_name(job),
            "can_import": can_import(request.user),
            "preview_url": reverse("admin:training_intervention_import_preview", args=[job.pk]),
            **job_page_context(request, job),
            **undo_links(request, job),
        }
        return TemplateResponse(request, self.detail_template, context)

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The error report: needs the view permission on jobs or the import permission."""
        job = get_object_or_404(ImportJob, pk=pk)
        if not (self.has_view_permission(request, job) or can_import(request.user)):
            raise PermissionDenied
        name = f"errors-{job.pk}-{job.file_name.rsplit('.', 1)[0]}.csv"
        return attachment(error_report_csv(job), name, CONTENT_TYPES["csv"])

    def delete_model(self, request: HttpRequest, obj: ImportJob) -> None:
        service.delete_file(obj)  # first: a store that fails leaves the job (delete_view)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for job in queryset:
            service.delete_file(job)
        super().delete_queryset(request, queryset)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """A file store that fails: a message, the job kept (its deletion is rolled back)."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except service.StoreUnreachable:
            messages.error(
                request, STORE_UNREACHABLE_DELETE.format(job=f"#{object_id}").translated()
            )
            return HttpResponseRedirect(reverse("admin:imports_importjob_change", args=[object_id]))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        """The "delete selected" action with a file store that fails: a message, not a 500."""
        try:
            return super().changelist_view(request, extra_context)
        except service.StoreUnreachable:
            messages.error(request, STORE_UNREACHABLE.translated())
            return HttpResponseRedirect(reverse("admin:imports_importjob_changelist"))
