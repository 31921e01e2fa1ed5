"""The admin's export door: the Export button of the interventions list (what the list
shows: its filters and its search) and the action "Export selected interventions".

It only translates: the list (or the selection) and the form's choices go to the export
service (``imports/export/service.py``), its file comes back as a streamed download, and its
``ExportError`` as a message on the page. Exporting reads only; it needs the view
permission on interventions.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from imports.export.service import (
    FORMATS,
    ExportError,
    export_chunks,
    export_to_temporary,
    never_fails,
)
from imports.export.writers import CONTENT_TYPES
from imports.jobs.models import ImportConfiguration
from imports.parsing.config import ConfigError
from training.models import Intervention

if TYPE_CHECKING:
    from django.db.models.options import Options

FORM_FIELDS = ("configuration", "file_format", "export")  # not the list's filters


class ExportForm(forms.Form):
    configuration = forms.ModelChoiceField(
        ImportConfiguration.objects.order_by("name"),
        label=pgettext_lazy("upload form", "Configuration"),
        required=False,
        empty_label=gettext_lazy("None: a header row, ISO dates, A/C codes, UTF-8, commas"),
        help_text=gettext_lazy(
            "Its columns, delimiter, encoding, dateFormat, status codes and header line."
        ),
    )
    file_format = forms.ChoiceField(
        label=pgettext_lazy("file format", "Format"),
        choices=[(name, name.upper()) for name in FORMATS],
        initial="xlsx",
    )


class InterventionExportViews:
    """Mixed into the Intervention admin, beside the import views."""

    # Given by the ModelAdmin it is mixed into.
    opts: "Options[Any]"
    admin_site: AdminSite
    export_template_name = "admin/imports/export.html"
    actions: Any = ["export_selected"]

    has_view_permission: Callable[..., bool]
    get_changelist_instance: Callable[[HttpRequest], Any]

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def export_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view(self.export_view)
        return [path("export/", view, name=f"{info}_export")]

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        """GET only, reads only: the list's filters and search in the query string, and,
        once chosen, the configuration and the format."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        listed = request.GET.copy()
        chosen = {name: listed.pop(name)[-1] for name in FORM_FIELDS if name in listed}
        request.GET = listed  # type: ignore[assignment]  # the list's own, without the form's
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:training_intervention_changelist"))
        form = ExportForm(chosen if "export" in chosen else None)
        hidden = [(key, value) for key, values in listed.lists() for value in values]
        return self._export_or_form(request, queryset, form, {"hidden": hidden, "method": "get"})

    @admin.action(description=gettext_lazy("Export selected interventions"), permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponseBase:
        form = ExportForm(request.POST if "export" in request.POST else None)
        across = request.POST.get("select_across") == "1"
        hidden = [("action", "export_selected"), ("select_across", "1" if across else "0")]
        if not across:
            hidden += [
                (ACTION_CHECKBOX_NAME, pk) for pk in request.POST.getlist(ACTION_CHECKBOX_NAME)
            ]
        return self._export_or_form(request, queryset, form, {"hidden": hidden, "method": "post"})

    def _export_or_form(
        self, request: HttpRequest, queryset: QuerySet, form: ExportForm, extra: dict
    ) -> HttpResponseBase:
        if form.is_bound and form.is_valid():
            try:
                return download(queryset, form.cleaned_data)
            except (ExportError, ConfigError) as error:
                messages.error(request, str(error))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Export interventions"),
            "form": form,
            "count": queryset.count(),
            **extra,
        }
        return TemplateResponse(request, self.export_template_name, context)


def download(queryset: QuerySet[Intervention], choices: dict) -> StreamingHttpResponse:
    """The export as a streamed attachment. A CSV that can hold every value is streamed as it
    is made; any other export is made whole first in a temporary file (in memory while
    small), so that a value that cannot be written is a message, never half a file."""
    configuration = choices["configuration"]
    config = configuration.import_config() if configuration else None
    file_format = choices["file_format"]
    content_type = CONTENT_TYPES[file_format]
    if file_format == "csv":
        content_type += f"; charset={(config.encoding if config else None) or 'utf-8'}"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"interventions-{stamp}.{file_format}"
    response: StreamingHttpResponse
    if never_fails(config, file_format):
        chunks = export_chunks(queryset, config, file_format)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    else:
        spool, _count = export_to_temporary(queryset, config, file_format)
        response = FileResponse(spool, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
