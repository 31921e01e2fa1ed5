"""Admin views of the import flow. They translate HTTP to ``imports.jobs`` calls and back.

GET/POST import/                 upload form -> job created and previewed -> preview
GET      import/<id>/            preview: counts, errors, rows (paginated), confirm form
POST     import/<id>/confirm/    confirm (re-runs the engine, compares with the preview)
POST     import/<id>/discard/    discard the preview
GET      import/<id>/status/     a job's live figures, JSON (the progress bar polls it)
POST     import/<id>/cancel/     cancel a queued or running background job
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
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
from django.utils.html import format_html

from . import background, jobs
from .admin_permissions import can_import, can_view_jobs
from .conf import import_settings
from .forms import ConfirmForm, UploadForm
from .messages import ENCODING_CODES
from .models import ImportJob

VIEWS = ("errors", "rows")
OUTCOMES = ("new", "updated", "unchanged", "error")
# The admin's own hints after the engine's door-neutral messages, by message code.
HINTS = dict.fromkeys(
    ENCODING_CODES,
    "Save the file as UTF-8, or choose a saved configuration that names its encoding.",
)


def with_hint(message: str, code: str) -> str:
    """A message followed by the admin's hint for its code, when there is one."""
    hint = HINTS.get(code)
    return f"{message} {hint}" if hint else message


def counts_text(job: ImportJob) -> str:
    return (
        f"{job.new} new, {job.updated} updated, {job.unchanged} unchanged, "
        f"{job.error_rows} rows with errors"
    )


def job_page_context(request: HttpRequest, job: ImportJob) -> dict:
    """Counts, file problems, and one paginated table: the errors or the rows."""
    background.fail_if_stale(job)
    view = request.GET.get("view")
    if view not in VIEWS:
        view = "errors" if job.error_rows else "rows"
    if view == "errors":
        items = job.errors.filter(file_level=False, level="ERROR")
        query = request.GET.get("q", "").strip()
        if query:
            items = items.filter(message__icontains=query)
        outcome = ""
    else:
        items = job.rows.all()
        outcome = request.GET.get("outcome", "")
        if outcome in OUTCOMES:
            items = items.filter(outcome=outcome)
        query = ""
    page = Paginator(items, import_settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "job": job,
        "view": view,
        "query": query,
        "outcome": outcome,
        "outcomes": OUTCOMES,
        "page_obj": page,
        "file_errors": [
            (problem, with_hint(problem.message, problem.code))
            for problem in job.errors.filter(file_level=True)
        ],
        "warnings": job.errors.filter(level="WARNING"),
        "report_url": reverse("admin:imports_importjob_report", args=[job.pk]),
        "can_view_jobs": can_view_jobs(request.user),
        "status_url": reverse("admin:training_intervention_import_status", args=[job.pk]),
        "cancel_url": reverse("admin:training_intervention_import_cancel", args=[job.pk]),
        "can_cancel": job.in_background and can_import(request.user),
    }


class InterventionImportViews:
    """Mixed into the Intervention admin (next to django-import-export's ImportMixin)."""

    import_template_name = "admin/imports/upload.html"
    preview_template_name = "admin/imports/preview.html"

    def has_import_permission(self, request: HttpRequest) -> bool:
        return can_import(request.user)

    def import_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
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
        else:
            form = UploadForm(initial=request.GET.dict())
        context = self._context(request, "Import interventions", form=form)
        return TemplateResponse(request, self.import_template_name, context)

    def _upload(self, request: HttpRequest, data: dict) -> HttpResponse:
        job = jobs.create_job(data["file"], request.user, data["configuration"], data["format"])
        if background.enqueue_preview(job):
            if job.status == ImportJob.Status.FAILED:
                messages.error(request, job.failure_reason)
            else:
                messages.info(request, f"{job.file_name} is being previewed in the background.")
            return HttpResponseRedirect(self._url("import_preview", job.pk))
        jobs.preview_job(job)
        if job.status == ImportJob.Status.FAILED:
            messages.error(request, f"{job.file_name} cannot be imported; see the problems below.")
        else:
            messages.info(
                request, f"Preview of {job.file_name}: {counts_text(job)}. Nothing imported yet."
            )
        return HttpResponseRedirect(self._url("import_preview", job.pk))

    def preview_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)
        job = get_object_or_404(ImportJob, pk=job_id)
        four_eyes_blocked = import_settings.FOUR_EYES and job.user_id == request.user.pk
        context = self._context(
            request,
            f"Import preview: {job.file_name}",
            confirm_form=ConfirmForm(initial={"strict": import_settings.STRICT}),
            can_confirm=job.is_open and not four_eyes_blocked,
            four_eyes_blocked=job.is_open and four_eyes_blocked,
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
        strict = form.cleaned_data["strict"] if form.is_valid() else None
        confirmation = background.enqueue_confirm(job, request.user, strict)
        confirmation = confirmation or jobs.confirm_job(job, request.user, strict=strict)
        return self._after_confirm(request, confirmation)

    def _after_confirm(self, request: HttpRequest, done: jobs.Confirmation) -> HttpResponse:
        job = done.job
        preview = HttpResponseRedirect(self._url("import_preview", job.pk))
        verdict = done.verdict
        if verdict is jobs.Verdict.IMPORTED:
            return self._imported(request, job)
        if verdict is jobs.Verdict.QUEUED:
            messages.info(request, f"{job.file_name} is being imported in the background.")
            return preview
        if verdict is jobs.Verdict.CHANGED:
            messages.warning(
                request,
                "The data changed since the preview, so nothing was imported. "
                f"Here is the new preview ({counts_text(job)}); check it and confirm again.",
            )
        elif verdict is jobs.Verdict.STRICT_FAILED:
            messages.error(
                request,
                f"All or nothing: {job.error_rows} rows have errors, nothing was imported.",
            )
        elif verdict is jobs.Verdict.FAILED:
            problems = done.result.file_errors if done.result else []
            reasons = " ".join(with_hint(problem.message, problem.code) for problem in problems)
            messages.error(
                request, f"The file could not be imported; nothing was written. {reasons}".strip()
            )
        elif verdict is jobs.Verdict.SAME_USER:
            messages.error(
                request, "Four-eyes review: another staff member must confirm this import."
            )
        else:
            messages.warning(
                request, f"This import is {job.get_status_display().lower()}; nothing was done."
            )
        return preview

    def _imported(self, request: HttpRequest, job: ImportJob) -> HttpResponse:
        history = reverse("admin:imports_importjob_change", args=[job.pk])
        skipped = f"; {job.error_rows} rows with errors were skipped" if job.error_rows else ""
        messages.success(
            request,
            format_html(
                "Imported {}: {} new, {} updated, {} unchanged{}. "
                '<a href="{}">See the import\u2019s history page</a>.',
                job.file_name,
                job.new,
                job.updated,
                job.unchanged,
                skipped,
                history,
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
            messages.warning(request, "Only a preview can be discarded; nothing was done.")
            return HttpResponseRedirect(self._url("import_preview", job.pk))
        jobs.discard_job(job)
        messages.info(request, f"The preview of {job.file_name} was discarded.")
        return HttpResponseRedirect(self._url("changelist"))

    def status_view(self, request: HttpRequest, job_id: int) -> JsonResponse:
        """The live figures of a job (the job pages' progress bar polls them)."""
        if not (can_import(request.user) or can_view_jobs(request.user)):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        background.fail_if_stale(job)
        response = JsonResponse(background.status(job))
        response["Cache-Control"] = "no-store"
        return response

    def cancel_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=job_id)
        if background.cancel(job, request.user):
            messages.info(request, f"Cancelling {job.file_name}; nothing will be written.")
        else:
            messages.warning(request, "Only a queued or running job can be cancelled.")
        return HttpResponseRedirect(self._url("import_preview", job.pk))
