"""The API's URLs, under ``/api/v1/`` (``config/urls.py``); names in the namespace ``api``."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from . import schema  # noqa: F401  (the OpenAPI extensions: how a token is sent)
from .interventions import Interventions
from .tokens import CurrentToken
from .views import (
    ApiView,
    ImportCancel,
    ImportConfirm,
    ImportDetail,
    ImportDiscard,
    ImportErrors,
    ImportRows,
    Imports,
    ImportUndo,
    Root,
)

app_name = "api"


class NotFoundView(ApiView):
    """Any other path under /api/v1/: a problem, not an HTML page."""

    permission_classes = [AllowAny]
    schema = None

    def get(self, request: Request, rest: str = ""):
        raise NotFound

    post = put = patch = delete = get


urlpatterns = [
    path("", Root.as_view(), name="root"),
    path("imports/", Imports.as_view(), name="imports"),
    path("imports/<int:job_id>/", ImportDetail.as_view(), name="import"),
    path("imports/<int:job_id>/errors/", ImportErrors.as_view(), name="import-errors"),
    path("imports/<int:job_id>/rows/", ImportRows.as_view(), name="import-rows"),
    path("imports/<int:job_id>/confirm/", ImportConfirm.as_view(), name="import-confirm"),
    path("imports/<int:job_id>/discard/", ImportDiscard.as_view(), name="import-discard"),
    path("imports/<int:job_id>/cancel/", ImportCancel.as_view(), name="import-cancel"),
    path("imports/<int:job_id>/undo/", ImportUndo.as_view(), name="import-undo"),
    path("interventions/", Interventions.as_view(), name="interventions"),
    path("auth/token/", CurrentToken.as_view(), name="token"),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    re_path(r"^(?P<rest>.*)$", NotFoundView.as_view(), name="not-found"),
]
