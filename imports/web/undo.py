"""Admin: "Undo this import" on a committed import's job page (a door: it only translates).

    GET  <job>/undo/   what an undo would do now (read only): deleted, restored, kept
    POST <job>/undo/   undo (or, with four-eyes, ask for it); confirm a waiting undo

It needs the change and delete permissions on interventions (``can_undo``); the four-eyes
setting applies as to imports: the person who asked for an undo may not confirm it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from imports.jobs import service
from imports.jobs.models import ImportJob

from .permissions import can_undo

TEMPLATE = "admin/imports/undo.html"


def undo_url(job: ImportJob) -> str:
    return reverse("admin:imports_importjob_undo", args=[job.pk])


def job_url(job: ImportJob) -> str:
    return reverse("admin:imports_importjob_change", args=[job.pk])


def undo_view(request: HttpRequest, job: ImportJob, context: dict) -> HttpResponse:
    if not can_undo(request.user):
        raise PermissionDenied
    waiting = job.undos.filter(status=ImportJob.Status.PREVIEWED).first()
    if request.method == "POST":
        return _post(request, job, waiting)
    force = request.GET.get("force") == "1"
    preview = service.preview_undo(job, force=force, request=waiting)
    context = {
        **context,
        "title": gettext("Undo import #{job}: {file}").format(job=job.pk, file=job.file_name),
        "job": job,
        "preview": preview,
        "force": force,
        "waiting": waiting,
        "may_confirm_waiting": waiting is not None
        and not service.four_eyes_blocks(waiting, request.user),
        "needs_second_person": service.needs_second_person(),
        "job_url": job_url(job),
    }
    return TemplateResponse(request, TEMPLATE, context)


def _post(request: HttpRequest, job: ImportJob, waiting: ImportJob | None) -> HttpResponse:
    force = request.POST.get("force") == "1"
    action = request.POST.get("action")
    if action == "confirm" and waiting is not None:
        outcome = service.confirm_undo(waiting, request.user, force=force)
    elif action == "discard" and waiting is not None:
        service.discard_request(waiting)
        messages.info(
            request, gettext("Undo {undo} discarded; nothing was changed.").format(undo=waiting.pk)
        )
        return HttpResponseRedirect(job_url(job))
    elif service.needs_second_person():
        outcome = service.request_undo(job, request.user)
    else:
        outcome = service.undo_import(job, request.user, force=force)
    return _answer(request, job, outcome)


def _answer(request: HttpRequest, job: ImportJob, outcome: service.UndoOutcome) -> HttpResponse:
    verdict = service.UndoVerdict
    if outcome.verdict in (verdict.REFUSED, verdict.FAILED):
        messages.error(request, outcome.message)
        return HttpResponseRedirect(undo_url(job))
    if outcome.verdict is verdict.WAITING:
        messages.info(request, service.waiting_text(outcome))
        return HttpResponseRedirect(undo_url(job))
    if outcome.counts is not None:
        say = messages.success if outcome.verdict is verdict.DONE else messages.warning
        say(request, service.undo_summary(job.pk, outcome.counts))
    target = outcome.undo_job or job
    return HttpResponseRedirect(job_url(target))
