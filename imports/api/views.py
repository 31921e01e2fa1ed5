"""The API's import views: they translate HTTP into job service calls and its verdicts into
status codes (docs/api.md). Nothing here decides: four-eyes, the acknowledgement of schedule
conflicts, queueing and every status change are the job service's.

    POST imports/                a file or JSON rows: a job, previewed (201) or queued (202)
    GET  imports/{id}/           status, counts, progress, links
    GET  imports/{id}/errors/    its errors and warnings, paginated
    GET  imports/{id}/rows/      its rows, paginated
    POST imports/{id}/confirm/   import it (200), queue it (202), or the verdict (403, 409, …)
    POST imports/{id}/discard/   forget a preview (204)
    POST imports/{id}/cancel/    stop a queued or running job (202)
    POST imports/{id}/undo/      undo an import, or say what an undo would do (dry run)

(under ``/api/v1/``)
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from imports.conf import import_settings
from imports.database.db_errors import DATABASE_BUSY, is_busy
from imports.jobs import service
from imports.jobs.models import ImportJob
from imports.jobs.permissions import can_undo
from imports.parsing import messages
from imports.parsing.config_values import DELIMITERS
from imports.parsing.messages import STORE_UNREACHABLE, STORE_UNREACHABLE_DISCARD
from imports.parsing.readers import FileProblem, detect_format

from . import rows, serializers
from .bodies import error_body, job_body, job_url, row_body
from .idempotency import idempotent
from .permissions import Authenticated, CanImport, CanReadJobs, CanUndo
from .problems import Problem
from .schema import READ, WRITE, problems

Verdict = service.Verdict
UndoVerdict = service.UndoVerdict
RETRY_AFTER = {"Retry-After": "5"}
# A confirm verdict as a status code (IMPORTED and QUEUED answer the job).
VERDICT_STATUS = {
    Verdict.SAME_USER: 403,
    Verdict.NOT_OPEN: 409,
    Verdict.NOT_ACKNOWLEDGED: 409,
    Verdict.CHANGED: 409,
    Verdict.STRICT_FAILED: 422,
    Verdict.FAILED: 422,
    Verdict.CANCEL_NOT_CONFIRMED: 409,
    Verdict.BUSY: 503,
    Verdict.CONNECTION_LOST: 503,
    Verdict.STORE_UNREACHABLE: 503,
}
# The multipart body around a file: the form's other fields and the boundaries.
MULTIPART_ALLOWANCE = 64 * 1024


class ApiView(APIView):
    """Every API view: a body over the upload limit is refused before it is read (413), and
    a SQLite database still locked after its busy timeout is a 503, never a 500."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        limit = import_settings.MAX_FILE_BYTES + MULTIPART_ALLOWANCE
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > limit:
            raise Problem(413, messages.API_REQUEST_TOO_LARGE.format(size=size, limit=limit))
        # A JSON body up to the upload limit, not Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB,
        # meant for forms): read here, where its size is checked, and kept as the request's
        # body for the parser.
        django_request = request._request
        unread = not getattr(django_request, "_read_started", True)
        if size and unread and not request.content_type.startswith("multipart/"):
            django_request._body = django_request.read()

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, OperationalError) and is_busy(exc):
            exc = Problem(503, DATABASE_BUSY, headers=RETRY_AFTER)
        elif isinstance(exc, service.StoreUnreachable):  # S3 unreachable: nothing was done
            exc = Problem(503, STORE_UNREACHABLE, headers=RETRY_AFTER)
        elif isinstance(exc, RequestDataTooBig):  # a form's fields over Django's limit
            exc = Problem(
                413,
                messages.API_REQUEST_TOO_LARGE.format(
                    size=self.request.META.get("CONTENT_LENGTH", "?"),
                    limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                ),
            )
        return super().handle_exception(exc)


class Pages(PageNumberPagination):
    """Pages of ``API_PAGE_SIZE`` (``page_size`` up to ``API_MAX_PAGE_SIZE``)."""

    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        self.page_size = import_settings.API_PAGE_SIZE
        self.max_page_size = import_settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request) or import_settings.API_PAGE_SIZE


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A retry with the same key and body gets the first answer (24 hours).",
)
PAGE = [
    OpenApiParameter("page", OpenApiTypes.INT, description="1, 2, …"),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="API_PAGE_SIZE by default."),
]


def _page_of(name: str, item: Any) -> Any:
    return inline_serializer(
        name,
        {
            "count": drf_serializers.IntegerField(),
            "next": drf_serializers.CharField(allow_null=True),
            "previous": drf_serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )


def _job(job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=job_id)


def _answer(request: Request, job: ImportJob, status: int) -> Response:
    job.refresh_from_db()
    headers = {"Location": job_url(request, job)} if status in (201, 202) else {}
    return Response(job_body(request, job), status=status, headers=headers)


class Root(ApiView):
    permission_classes = [Authenticated]

    @extend_schema(tags=["root"], responses={200: serializers.ApiRoot, **problems(*READ)})
    def get(self, request: Request) -> Response:
        names = {
            "imports": "api:imports",
            "interventions": "api:interventions",
            "schema": "api:schema",
            "docs": "api:docs",
        }
        return Response({k: request.build_absolute_uri(reverse(v)) for k, v in names.items()})


class Imports(ApiView):
    permission_classes = [CanImport]
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        summary="Upload a file or rows: a job, previewed (201) or queued for a preview (202)",
        request={
            "multipart/form-data": serializers.FileImport,
            "application/json": serializers.RowsImport,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={201: serializers.Job, 202: serializers.Job, **problems(*WRITE)},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        is_file = request.content_type.startswith("multipart/")
        form = (serializers.FileImport if is_file else serializers.RowsImport)(data=request.data)
        if not is_file and "file" in request.data:
            raise Problem(400, messages.API_ROWS_OR_FILE)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if is_file:
            upload, file_format = data["file"], data.get("format", "")
            reading = service.ReadOptions(
                encoding=data.get("encoding", ""),
                delimiter=DELIMITERS[data["delimiter"]] if data.get("delimiter") else "",
                date_format=data.get("date_format", ""),
                sheet=data.get("sheet", "").strip(),
                first_row_is_data=data.get("first_row_is_data", False),
            )
        else:  # the file made of the rows: how it is written is ours (rows.py)
            upload, file_format = rows.rows_file(data["rows"]), "csv"
            reading = service.ReadOptions(
                encoding="utf-8",
                delimiter=rows.DELIMITER,
                date_format=data.get("date_format", ""),
            )
        self._check_upload(upload, file_format, is_file)
        job = service.create_job(
            upload,
            request.user,
            data.get("configuration"),
            file_format,
            conflicts=data.get("conflicts", ""),
            cancel_missing=data.get("cancel_missing", False),
            reading=reading,
        )
        started = service.start_preview(job)
        if not started.queued and service.use_saved_mapping(job):
            service.start_preview(job)  # a header mapped before: read with that mapping
        job.refresh_from_db()
        return _answer(request, job, 202 if job.in_background else 201)

    @staticmethod
    def _check_upload(upload: Any, file_format: str, is_file: bool) -> None:
        limit = import_settings.MAX_FILE_BYTES
        if upload.size > limit:
            raise Problem(413, messages.FILE_TOO_LARGE.format(size=upload.size, limit=limit))
        if is_file:
            try:
                detect_format(upload.name or "", file_format or None)
            except FileProblem as problem:
                raise drf_serializers.ValidationError(
                    {"format": [drf_serializers.ErrorDetail(problem.message, problem.code)]}
                ) from None


class ImportDetail(ApiView):
    permission_classes = [CanReadJobs]

    @extend_schema(responses={200: serializers.Job, **problems(*READ)})
    def get(self, request: Request, job_id: int) -> Response:
        return Response(job_body(request, _job(job_id)))


class ImportErrors(ApiView):
    permission_classes = [CanReadJobs]

    @extend_schema(
        parameters=[
            *PAGE,
            OpenApiParameter("level", OpenApiTypes.STR, enum=["ERROR", "WARNING"]),
            OpenApiParameter("code", OpenApiTypes.STR, description="A message code."),
        ],
        responses={200: _page_of("ErrorPage", serializers.JobError), **problems(*READ)},
    )
    def get(self, request: Request, job_id: int) -> Response:
        errors = _job(job_id).errors.all()
        level = request.query_params.get("level", "")
        if level in ("ERROR", "WARNING"):
            errors = errors.filter(level=level)
        code = request.query_params.get("code", "")
        if code:
            errors = errors.filter(code=code)
        pages = Pages()
        page = pages.paginate_queryset(errors, request, self) or []
        return pages.get_paginated_response([error_body(error) for error in page])


class ImportRows(ApiView):
    permission_classes = [CanReadJobs]

    @extend_schema(
        parameters=[
            *PAGE,
            OpenApiParameter(
                "outcome", OpenApiTypes.STR, enum=["new", "updated", "unchanged", "error"]
            ),
        ],
        responses={200: _page_of("RowPage", serializers.JobRow), **problems(*READ)},
    )
    def get(self, request: Request, job_id: int) -> Response:
        found = _job(job_id).rows.all()
        outcome = request.query_params.get("outcome", "")
        if outcome in ("new", "updated", "unchanged", "error"):
            found = found.filter(outcome=outcome)
        pages = Pages()
        page = pages.paginate_queryset(found, request, self) or []
        return pages.get_paginated_response([row_body(row) for row in page])


class ImportConfirm(ApiView):
    permission_classes = [CanImport]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Import a preview: 200 imported, 202 queued, or the verdict as a problem",
        request=serializers.Confirm,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: serializers.Job, 202: serializers.Job, **problems(*WRITE)},
    )
    @idempotent
    def post(self, request: Request, job_id: int) -> Response:
        form = serializers.Confirm(data=request.data or {})
        form.is_valid(raise_exception=True)
        job = _job(job_id)
        done = service.start_confirm(
            job,
            request.user,
            form.validated_data["strict"],
            acknowledged=form.validated_data["acknowledge_conflicts"],
            cancel_count=form.validated_data["cancel_count"],
        )
        if done.verdict is Verdict.IMPORTED:
            return _answer(request, done.job, 200)
        if done.verdict is Verdict.QUEUED:
            return _answer(request, done.job, 202)
        text = service.verdict_text(done)
        status = VERDICT_STATUS[done.verdict]
        extra: dict[str, Any] = {"job": job_url(request, done.job)}
        if done.result is not None and done.result.file_errors:
            extra["errors"] = [problem.as_dict() for problem in done.result.file_errors]
        headers = RETRY_AFTER if status == 503 else None
        raise Problem(status, text, headers=headers, **extra)


class ImportDiscard(ApiView):
    permission_classes = [CanImport]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Forget a preview (or a waiting undo): its file, rows and errors",
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={204: None, **problems(*WRITE)},
    )
    @idempotent
    def post(self, request: Request, job_id: int) -> Response:
        job = _job(job_id)
        if job.undoes_id is not None:  # a waiting undo: discarding it changes nothing
            if not can_undo(request.user):
                raise Problem(403, messages.API_PERMISSION_DENIED.format(needs=CanUndo.message))
            if service.discard_request(job):
                return Response(status=204)
        elif job.is_open:
            try:
                service.discard_job(job)
            except service.StoreUnreachable:
                raise Problem(503, STORE_UNREACHABLE_DISCARD, headers=RETRY_AFTER) from None
            return Response(status=204)
        status = job.get_status_display().lower()
        raise Problem(409, messages.API_DISCARD_NOT_OPEN.format(status=status))


class ImportCancel(ApiView):
    permission_classes = [CanImport]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Stop a queued or running job; nothing is written",
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: serializers.Job, **problems(*WRITE)},
    )
    @idempotent
    def post(self, request: Request, job_id: int) -> Response:
        job = _job(job_id)
        if service.cancel(job, request.user):
            return _answer(request, job, 202)
        status = job.get_status_display().lower()
        raise Problem(409, messages.API_CANCEL_NOT_IN_BACKGROUND.format(status=status))


class ImportUndo(ApiView):
    """Undo an import (change and delete permissions). With four-eyes, the first request asks
    for the undo (202, a waiting undo job), and another person's request confirms it."""

    permission_classes = [CanUndo]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Undo an import (200), ask for an undo under four-eyes (202), or a dry run",
        request=serializers.Undo,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: serializers.UndoAnswer,
            202: serializers.UndoAnswer,
            **problems(*WRITE),
        },
    )
    @idempotent
    def post(self, request: Request, job_id: int) -> Response:
        form = serializers.Undo(data=request.data or {})
        form.is_valid(raise_exception=True)
        dry_run, force = form.validated_data["dry_run"], form.validated_data["force"]
        job = _job(job_id)
        waiting = job.undos.filter(status=ImportJob.Status.PREVIEWED).first()
        if dry_run:
            outcome = service.preview_undo(job, force=force, request=waiting)
        elif waiting is not None:
            outcome = service.confirm_undo(waiting, request.user, force=force)
        elif service.needs_second_person():
            outcome = service.request_undo(job, request.user)
        else:
            outcome = service.undo_import(job, request.user, force=force)
        return _undo_answer(request, job, outcome)


def _undo_answer(request: Request, job: ImportJob, outcome: service.UndoOutcome) -> Response:
    if outcome.verdict is UndoVerdict.REFUSED:
        status = 403 if messages.code_of(outcome.message) == "undo_same_person" else 409
        raise Problem(status, outcome.message, job=job_url(request, job))
    if outcome.verdict is UndoVerdict.FAILED:
        raise Problem(503, outcome.message, headers=RETRY_AFTER, job=job_url(request, job))
    body = outcome.as_dict()
    if outcome.verdict is UndoVerdict.WAITING:
        text = service.waiting_text(outcome)
        undo_job = outcome.undo_job
        body.update(detail=str(text), code=messages.code_of(text))
        location = {"Location": job_url(request, undo_job)} if undo_job else {}
        return Response(body, status=202, headers=location)
    assert outcome.counts is not None  # done or partly: counted
    text = service.undo_summary(job.pk, outcome.counts)
    body.update(detail=str(text), code=messages.code_of(text) or "undo_summary")
    return Response(body, status=200)
