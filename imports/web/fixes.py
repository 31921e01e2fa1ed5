"""Admin: fix a group of errors in the preview (a door: the fix is the service's).

    POST import/<id>/fix/   the group (column, value, message), and a replacement
                            ("replace") or "skip"

The fix acts on the group's rows (the service finds their lines). The preview is then read
again with every fix, and shown; the fixes are listed on the preview and the job page (who,
column, old value, new value, rows), for a reviewer too.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext

from imports.jobs import service
from imports.jobs.models import ImportJob
from imports.parsing.fields import FIELD_NAMES

from .views import shown_reason


class InterventionFixViews:
    """Mixed into the Intervention admin beside ``InterventionImportViews``."""

    def fix_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"  # type: ignore[attr-defined]
        guarded = self._busy_is_a_message(self.fix_view)  # type: ignore[attr-defined]
        view = self.admin_site.admin_view(guarded)  # type: ignore[attr-defined]
        return [path("import/<int:job_id>/fix/", view, name=f"{info}_import_fix")]

    def fix_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        self._check(request)  # type: ignore[attr-defined]
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=job_id)
        preview = self._url("import_preview", job.pk)  # type: ignore[attr-defined]
        column, value = request.POST.get("column", ""), request.POST.get("value", "")
        message = request.POST.get("message", "")
        skip = request.POST.get("action") == "skip"
        replacement = None if skip else request.POST.get("replacement", "").strip()
        if column not in FIELD_NAMES or (not skip and not replacement):
            messages.error(
                request, gettext("Choose a new value, or skip the rows; nothing was changed.")
            )
            return HttpResponseRedirect(preview)
        added, said = service.add_fix(
            job,
            request.user,
            column=column,
            value=value,
            message=message,
            replacement=replacement,
        )
        if not added:
            messages.warning(request, said)
            return HttpResponseRedirect(preview)
        service.start_preview(job)
        if job.failure_reason and job.status == ImportJob.Status.FAILED:  # the store failed
            messages.error(request, shown_reason(job.failure_reason))
        else:
            messages.info(request, said)
        return HttpResponseRedirect(preview)
