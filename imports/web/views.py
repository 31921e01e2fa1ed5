"""Admin views of the import flow. They translate HTTP to ``imports.jobs`` calls and back.

GET/POST import/                 upload form -> job created and previewed -> preview
GET      import/<id>/            preview: counts, errors, rows (paginated), confirm form
POST     import/<id>/confirm/    confirm (re-runs the engine, compares with the preview)
POST     import/<id>/discard/    discard the preview
GET      import/<id>/status/     a job's live figures, JSON (the progress bar polls it)
POST     import/<id>/cancel/     cancel a queued or running background job
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import OperationalError
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy

from imports.conf import import_settings
from imports.database.db_errors import DATABASE_BUSY, is_busy
from imports.jobs import service
from imports.jobs.header_template import TEMPLATE_FORMATS, column_guide
from imports.jobs.models import ImportConfiguration, ImportJob, ImportJobError, ImportJobRow
from imports.parsing.config import HEADER_CONFIG
from imports.parsing.messages import (
    CANCELLED_MISSING,
    ENCODING_CODES,
    STORE_UNREACHABLE,
    STORE_UNREACHABLE_DISCARD,
)

from .conflicts import conflict_section, row_conflicts
from .forms import DATE_FORMATS, ConfirmForm, UploadForm
from .permissions import can_import, can_map, can_view_jobs
from .preview import (
    cancelled_section,
    error_filters,
    error_groups,
    filter_query,
    rooms_section,
    row_errors,
)
from .reading import reading_parts
from .rows import ShownRow, outcome_label, shown_rows

if TYPE_CHECKING:
    from django.db.models.options import Options

VIEWS = ("errors", "rows")
OUTCOMES = ("new", "updated", "unchanged", "error")
# The admin's own hints after the engine's door-neutral messages, by message code.
HINTS = dict.fromkeys(
    ENCODING_CODES,
    gettext_lazy(
        "Save the file as UTF-8, or choose a saved configuration that names its encoding."
    ),
)


def with_hint(message: str, code: str) -> str:
    """A message followed by the admin's hint for its code, when there is one."""
    hint = HINTS.get(code)
    return f"{message} {hint}" if hint else message


counts_text = service.counts_text
# Warnings that have their own section: schedule conflicts, interventions cancelled as missing.
SECTIONED_CODES = (
    *service.CONFLICT_CODES,
    *service.UNCHANGED_CONFLICT_CODES,
    CANCELLED_MISSING.code,
)


def shown_reason(reason: str) -> str:
    """A job's reason as a page says it: the file store's words in the reader's language."""
    return STORE_UNREACHABLE.translated() if reason == STORE_UNREACHABLE else reason


def job_page_context(request: HttpRequest, job: ImportJob) -> dict:
    """Counts, file problems, rooms, and one paginated table: the errors (grouped, then
    listed) or the rows. A GET writes nothing: a job whose worker is lost shows as failed
    (``service.shown``)."""
    service.shown(job)
    file_errors = [
        (problem, with_hint(problem.text, problem.code))
        for problem in job.errors.filter(file_level=True)
    ]
    return {
        "job": job,
        "reading": reading_parts(job),
        **_table_context(request, job),
        "file_errors": file_errors,
        # A file that could not be read: its message and a way to upload again, no tables.
        "unreadable": bool(file_errors) and job.status == ImportJob.Status.FAILED,
        "reupload_url": reupload_url(job),
        # A header that names the columns its own way: the mapping step (mapping.py).
        "mapping_url": _mapping_url(request, job),
        # Fixes in the preview (fixes.py): for an open preview, by an importer.
        "can_fix": job.is_open and not job.in_background and can_import(request.user),
        "fix_url": reverse("admin:training_intervention_import_fix", args=[job.pk]),
        "fixes": shown_fixes(job),
        # Schedule conflicts have their own section, bounded (conflicts.py).
        "warnings": job.errors.filter(level="WARNING").exclude(code__in=SECTIONED_CODES),
        "schedule_conflicts": None if job.in_background else conflict_section(job),
        "standing_conflicts": None if job.in_background else conflict_section(job, own=False),
        "cancelled_missing": None if job.in_background else cancelled_section(job),
        "needs_cancel_confirmation": service.needs_cancel_confirmation(job),
        "rooms": None if job.in_background else rooms_section(job),
        "earlier": None if job.status == ImportJob.Status.IMPORTED else service.earlier_import(job),
        "finished": finished_message(request, job),
        "history_url": reverse("admin:imports_importjob_change", args=[job.pk]),
        "report_url": reverse("admin:imports_importjob_report", args=[job.pk]),
        "can_view_jobs": can_view_jobs(request.user),
        "status_url": reverse("admin:training_intervention_import_status", args=[job.pk]),
        "cancel_url": reverse("admin:training_intervention_import_cancel", args=[job.pk]),
        "can_cancel": job.in_background and can_import(request.user),
        "can_confirm": service.may_confirm(job, request.user),
        "needs_acknowledgement": service.needs_acknowledgement(job),
        # a confirm refused for want of it: the checkbox marked (and scrolled to)
        "acknowledge_refused": request.GET.get("acknowledge") == "1",
        "four_eyes_blocked": job.is_open and service.four_eyes_blocks(job, request.user),
        "four_eyes_text": service.said(service.FOUR_EYES_TEXT),
    }


def shown_fixes(job: ImportJob) -> list[dict[str, Any]]:
    """The job's fixes, each one's time (stored as ISO 8601) as a date-time, which the page
    shows as every date-time (``config/formats``)."""
    return [{**fix, "at": parse_datetime(fix.get("at") or "")} for fix in job.fixes or []]


def _mapping_url(request: HttpRequest, job: ImportJob) -> str:
    if not (can_map(request.user) and service.needs_mapping(job)):
        return ""
    return reverse("admin:training_intervention_import_mapping", args=[job.pk])


def _table_context(request: HttpRequest, job: ImportJob) -> dict:
    """The paginated table: the errors (filtered by text or by group) or the rows."""
    view = request.GET.get("view")
    if view not in VIEWS:
        view = "errors" if job.error_rows else "rows"
    used = {"view": view, "q": "", "outcome": "", "message": "", "column": ""}
    items: QuerySet[ImportJobError] | QuerySet[ImportJobRow]
    if view == "errors":
        items, filters = error_filters(row_errors(job), request.GET)
        used.update(filters)
    else:
        items = job.rows.all()
        outcome = request.GET.get("outcome", "")
        if outcome in OUTCOMES:
            items = items.filter(outcome=outcome)
            used["outcome"] = outcome
    page = Paginator(items, import_settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "view": view,
        "query": used["q"],
        "outcome": used["outcome"],
        "message_filter": used["message"],
        "column_filter": used["column"],
        "filters": filter_query(used),
        "outcomes": [(name, outcome_label(name)) for name in OUTCOMES],
        "page_obj": page,
        "shown_rows": _shown_rows(job, page),
        "error_groups": error_groups(job) if job.error_rows else None,
    }


def _shown_rows(job: ImportJob, page: Iterable[object]) -> list[ShownRow]:
    """A page of the rows table, each row with its schedule conflicts marked."""
    rows = [row for row in page if isinstance(row, ImportJobRow)]
    return shown_rows(rows, conflicts=row_conflicts(job, [row.line for row in rows]))


def finished_message(request: HttpRequest, job: ImportJob) -> dict | None:
    """What a job that ended on a worker says when its progress page reloads
    (``?finished=1``): the words an in-process run gives as a message. Reading only."""
    if not request.GET.get("finished") or job.in_background:
        return None
    if job.status == ImportJob.Status.IMPORTED:
        return {"level": "success", "text": service.imported_text(job), "history": True}
    if job.status == ImportJob.Status.PREVIEWED:
        level = "warning" if job.error_rows else "info"
        return {"level": level, "text": service.preview_done_text(job), "history": False}
    return None


# The job's choices that the upload form makes again (not its file), in the form's order.
REUPLOAD_FIELDS = (
    "format",
    "configuration",
    "conflicts",
    "encoding",
    "delimiter",
    "date_format",
    "sheet",
    "cancel_missing",
)


def reupload_url(job: ImportJob) -> str:
    """The upload form with the job's choices made again (not its file)."""
    url = reverse("admin:training_intervention_import")
    chosen = {name: getattr(job, name) for name in REUPLOAD_FIELDS}
    chosen["configuration"] = job.configuration_id or ""  # kept in REUPLOAD_FIELDS' order
    params = urlencode({name: value for name, value in chosen.items() if value})
    return f"{url}?{params}" if params else url


class InterventionImportViews:
    """Mixed into the Intervention admin (next to django-import-export's ImportMixin)."""

    # Given by the ModelAdmin it is mixed into.
    opts: "Options[Any]"
    admin_site: AdminSite

    import_template_name = "admin/imports/upload.html"
    preview_template_name = "admin/imports/preview.html"

    def has_import_permission(self, request: HttpRequest) -> bool:
        return can_import(request.user)

    def import_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"

        def view(function: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
            return self.admin_site.admin_view(self._busy_is_a_message(function))

        return [
            path("import/", view(self.import_action), name=f"{info}_import"),
            path("import/<int:job_id>/", view(self.preview_view), name=f"{info}_import_preview"),
            path(
                "import/<int:job_id>/confirm/",
                view(self.confirm_view),
                name=f"{info}_import_confirm",
            ),
            path(
                "import/<int:job_id>/discard/",
                view(self.discard_view),
                name=f"{info}_import_discard",
            ),
            path(
                "import/<int:job_id>/status/",
                view(self.status_view),
                name=f"{info}_import_status",
            ),
            path(
                "import/<int:job_id>/cancel/",
                view(self.cancel_view),
                name=f"{info}_import_cancel",
            ),
        ]

    def _busy_is_a_message(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        """A database still locked by another writer (SQLite, after its busy timeout), or a
        file store that fails (unreachable, refused, timed out), is a message on the page the
        user came from, never a server error: nothing was written."""

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except OperationalError as error:
                if not is_busy(error):
                    raise
                messages.error(request, service.said(DATABASE_BUSY))
            except service.StoreUnreachable:
                messages.error(request, STORE_UNREACHABLE.translated())
            job_id = kwargs.get("job_id")
            url = self._url("import_preview", job_id) if job_id else self._url("import")
            return HttpResponseRedirect(url)

        return guarded

    def _check(self, request: HttpRequest) -> None:
        if not self.has_import_permission(request):
            raise PermissionDenied

    def _context(self, request: HttpRequest, title: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def _url(self, action: str, *args) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{action}", args=args)

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        self._check(request)
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                return self._upload(request, form.cleaned_data)
            form.keep_chosen_file()
        else:
            form = UploadForm(initial=request.GET.dict())
        context = self._context(
            request,
            gettext("Import interventions"),
            form=form,
            date_formats=DATE_FORMATS,
            columns=column_guide(HEADER_CONFIG),
            templates=self._templates(),
        )
        return TemplateResponse(request, self.import_template_name, context)

    def _templates(self) -> list[dict[str, Any]]:
        """Template links: the default layout's, then each saved configuration's."""
        layouts: list[tuple[str, str]] = [(gettext("Header row (default layout)"), "")]
        layouts += [
            (gettext("Configuration {name}").format(name=c.name), f"?configuration={c.pk}")
            for c in ImportConfiguration.objects.order_by("name").only("pk", "name")
        ]
        return [
            {
                "label": label,
                "links": [
                    (fmt.upper(), self._url("import_template", fmt) + query)
                    for fmt in TEMPLATE_FORMATS
                ],
            }
            for label, query in layouts
        ]

    def _upload(self, request: HttpRequest, data: dict) -> HttpResponse:
        job = service.create_job(
            data["file"],
            request.user,
            data["configuration"],
            data["format"],
            conflicts=data["conflicts"],
            cancel_missing=data["cancel_missing"],
            reading=service.ReadOptions(
                encoding=data["encoding"],
                delimiter=data["delimiter"],
                date_format=data["date_format"],
                sheet=data["sheet"].strip(),
                first_row_is_data=data["first_row_is_data"],
            ),
        )
        service.drop_kept_upload(data["file"])
        started = service.start_preview(job)
        if started.queued:
            if job.status == ImportJob.Status.FAILED:
                messages.error(request, job.failure_reason)
            else:
                messages.info(request, service.preview_text(started))
            return HttpResponseRedirect(self._url("import_preview", job.pk))
        reused = service.use_saved_mapping(job)  # a header mapped before: read with that
        if reused:
            service.start_preview(job)
            messages.info(request, reused)
        mapping = _mapping_url(request, job)
        if mapping:  # a header that names the columns its own way: straight to the mapping
            messages.info(
                request,
                gettext(
                    "{file} names its columns its own way: choose the column of the action"
                    " that each one holds."
                ).format(file=job.file_name),
            )
            return HttpResponseRedirect(mapping)
        if job.status == ImportJob.Status.FAILED:
            # the store failed: its message; else the file's problems, shown on the page
            said = gettext("{file} cannot be imported; see the problems below.").format(
                file=job.file_name
            )
            messages.error(request, shown_reason(job.failure_reason) or said)
        else:
            # The admin shows info with a green tick: a preview with wrong rows, or with
            # schedule conflicts to acknowledge, is a warning that says so.
            conflicts = service.needs_acknowledgement(job)
            say = messages.warning if job.error_rows or conflicts else messages.info
            text = str(service.preview_done_text(job))
            if conflicts:
                text += " " + gettext(
                    "It has schedule conflicts: check them below, and acknowledge them to confirm."
                )
            say(request, text)
        return HttpResponseRedirect(self._url("import_preview", job.pk))

    def preview_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)
        job = get_object_or_404(ImportJob, pk=job_id)
        context = self._context(
            request,
            gettext("Import preview: {file}").format(file=job.file_name),
            confirm_form=ConfirmForm(initial={"strict": import_settings.STRICT}),
            confirm_url=self._url("import_confirm", job.pk),
            discard_url=self._url("import_discard", job.pk),
            **job_page_context(request, job),
        )
        return TemplateResponse(request, self.preview_template_name, context)

    def confirm_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=job_id)
        form = ConfirmForm(request.POST)
        valid = form.is_valid()
        strict = form.cleaned_data["strict"] if valid else None
        acknowledged = valid and form.cleaned_data["acknowledge_conflicts"]
        cancel_count = form.cleaned_data["cancel_count"] if valid else None
        done = service.start_confirm(
            job, request.user, strict, acknowledged=acknowledged, cancel_count=cancel_count
        )
        return self._after_confirm(request, done)

    def _after_confirm(self, request: HttpRequest, done: service.Confirmation) -> HttpResponse:
        job = done.job
        preview = HttpResponseRedirect(self._url("import_preview", job.pk))
        verdict = done.verdict
        if verdict is service.Verdict.IMPORTED:
            return self._imported(request, job)
        text = service.verdict_text(done, describe=lambda p: with_hint(p.translated(), p.code))
        if verdict is service.Verdict.QUEUED:
            messages.info(request, text)
        elif verdict is service.Verdict.CHANGED or verdict is service.Verdict.NOT_OPEN:
            messages.warning(request, text)
        else:
            messages.error(request, text)
        if verdict is service.Verdict.NOT_ACKNOWLEDGED:  # to the checkbox, marked (preview.html)
            return HttpResponseRedirect(
                self._url("import_preview", job.pk) + "?acknowledge=1#acknowledge-conflicts"
            )
        return preview

    def _imported(self, request: HttpRequest, job: ImportJob) -> HttpResponse:
        history = reverse("admin:imports_importjob_change", args=[job.pk])
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>.',
                service.imported_text(job),
                history,
                gettext("See the import’s history page"),
            ),
        )
        target = history if can_view_jobs(request.user) else self._url("changelist")
        return HttpResponseRedirect(target)

    def discard_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=job_id)
        if not job.is_open:
            messages.warning(request, gettext("Only a preview can be discarded; nothing was done."))
            return HttpResponseRedirect(self._url("import_preview", job.pk))
        try:
            service.discard_job(job)
        except service.StoreUnreachable:
            messages.error(request, STORE_UNREACHABLE_DISCARD.translated())
            return HttpResponseRedirect(self._url("import_preview", job.pk))
        messages.info(
            request, gettext("The preview of {file} was discarded.").format(file=job.file_name)
        )
        return HttpResponseRedirect(self._url("changelist"))

    def status_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        """The live figures of a job (the job pages' progress bar polls them)."""
        if not (can_import(request.user) or can_view_jobs(request.user)):
            raise PermissionDenied
        response = JsonResponse(service.live_status(get_object_or_404(ImportJob, pk=job_id)))
        response["Cache-Control"] = "no-store"
        return response

    def cancel_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=job_id)
        if service.cancel(job, request.user):
            messages.info(
                request,
                gettext("Cancelling {file}; nothing will be written.").format(file=job.file_name),
            )
        else:
            messages.warning(request, gettext("Only a queued or running job can be cancelled."))
        return HttpResponseRedirect(self._url("import_preview", job.pk))
