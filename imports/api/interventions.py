"""``GET /api/v1/interventions/``: the export's rows as JSON objects in the import's column
names (``export/service.py``: the same values as its CSV, the same filters), paginated by a
cursor. Posted back as ``rows`` to ``/api/v1/imports/``, they change nothing."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from imports.conf import import_settings
from imports.export import service as export_service
from imports.parsing.formulas import unquote
from training.models import Intervention

from . import serializers
from .permissions import CanReadInterventions
from .schema import READ, problems
from .views import ApiView

ORDERING = ("start", "guid")


class Cursor(CursorPagination):
    ordering = ORDERING
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        self.page_size = import_settings.API_PAGE_SIZE
        self.max_page_size = import_settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request) or import_settings.API_PAGE_SIZE


class Interventions(ApiView):
    permission_classes = [CanReadInterventions]

    @extend_schema(
        parameters=[
            serializers.InterventionFilter,
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From next or previous."),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: serializers.InterventionRows, **problems(400, *READ)},
    )
    def get(self, request: Request) -> Response:
        query = serializers.InterventionFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = query.validated_data
        filters = export_service.ExportFilter(
            training=chosen.get("training"),
            session=chosen.get("session"),
            since=chosen.get("since"),
            until=chosen.get("until"),
            status=chosen.get("status"),
        )
        cursor = Cursor()
        page = cursor.paginate_queryset(
            export_service.select(filters).only(*ORDERING), request, self
        )
        keys = [intervention.pk for intervention in page or []]
        chosen_page = Intervention.objects.filter(pk__in=keys).order_by(*ORDERING)
        lines = export_service.export_rows(chosen_page)
        columns = [str(cell) for cell in next(lines)[2]]
        results = [
            dict(zip(columns, (_text(cell) for cell in cells), strict=True))
            for _line, _guid, cells in lines
        ]
        return Response(
            {
                "next": cursor.get_next_link(),
                "previous": cursor.get_previous_link(),
                "columns": columns,
                "results": results,
            }
        )


def _text(cell: object) -> str:
    """A cell as the JSON row gives it: the value itself (the CSV's formula quote taken off)."""
    return unquote(cell) if isinstance(cell, str) else str(cell)
