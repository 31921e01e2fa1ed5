"""The calendar pages, mixed into the Intervention admin: a job's calendar (what its file does,
from the preview and the job page), the interventions list's calendar (its filters and its
search), and the list as an iCalendar file. GET only, reading only.

GET import/<id>/calendar/   ?week=YYYY-MM-DD (the week holding that day) ?teacher=LOGIN ?room=GUID
GET calendar/               the same, with the list's own filters and search
GET calendar.ics            what the list shows (and ?teacher, ?room), every page of it
"""

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.admin import AdminSite
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.conf import site_zone
from imports.jobs.models import ImportJob
from imports.parsing.shown_moments import date_text

from .calendar_grid import MAX_BLOCKS, Block, Week, lay_out, parse_day, week_of
from .calendar_html import BlockWriter
from .calendar_job import job_blocks, job_span, week_rows
from .calendar_list import following, in_week, list_blocks
from .ics import ics_chunks
from .permissions import can_import, can_view_jobs

if TYPE_CHECKING:
    from django.db.models.options import Options

# The calendar's own parameters; any other is the list's (its filters and its search).
OWN = ("week", "teacher", "room")
# The states of a job's blocks, in the legend's order, with their words.
JOB_LEGEND = (
    ("new", gettext_lazy("created")),
    ("updated", gettext_lazy("changed or moved (its old place faded)")),
    ("cancelled", gettext_lazy("cancelled by the file")),
    ("cancelled-missing", gettext_lazy("cancelled: missing from the complete schedule")),
    ("unchanged", gettext_lazy("left as it is")),
)
LIST_LEGEND = (
    ("unchanged", gettext_lazy("active")),
    ("cancelled", gettext_lazy("cancelled")),
)


class InterventionCalendarViews:
    """Mixed into the Intervention admin, beside the import and export views."""

    # Given by the ModelAdmin it is mixed into.
    opts: "Options[Any]"
    admin_site: AdminSite
    calendar_template_name = "admin/imports/calendar.html"
    has_view_permission: Callable[..., bool]
    get_changelist_instance: Callable[[HttpRequest], Any]

    def calendar_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("calendar/", view(self.calendar_view), name=f"{info}_calendar"),
            path("calendar.ics", view(self.ics_view), name=f"{info}_ics"),
            path(
                "import/<int:job_id>/calendar/",
                view(self.job_calendar_view),
                name=f"{info}_import_calendar",
            ),
        ]

    def job_calendar_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        """A job's calendar: for whoever may see its preview or its history page."""
        if not (can_import(request.user) or can_view_jobs(request.user)):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        chosen = Chosen.read(request)
        span = job_span(job)
        week, note = chosen.week(span)
        # Following someone, every row of the week is read and theirs drawn; else the first
        # MAX_BLOCKS rows of the file in the week.
        everyone = job_blocks(job, week, limit=None if chosen.follows else MAX_BLOCKS)
        blocks = [b for b in everyone if b.follows(chosen.teacher, chosen.room)]
        if chosen.follows:
            theirs = [b for b in blocks if b.in_file]
            not_drawn = max(0, len(theirs) - MAX_BLOCKS)
            if not_drawn:
                kept = {id(b) for b in theirs[:MAX_BLOCKS]}
                blocks = [b for b in blocks if not b.in_file or id(b) in kept]
        else:
            not_drawn = max(0, week_rows(job, week).count() - MAX_BLOCKS)
        url = reverse("admin:training_intervention_import_calendar", args=[job.pk])
        if can_import(request.user):
            back = (
                reverse("admin:training_intervention_import_preview", args=[job.pk]),
                _("Back to the preview") if job.is_open else _("Back to the import's page"),
            )
        else:
            back = (
                reverse("admin:imports_importjob_change", args=[job.pk]),
                _("Back to the import's history page"),
            )
        context = {
            **self._calendar_context(request, url, {}, chosen, span, week, note),
            "title": _("Calendar of %(file)s") % {"file": job.file_name},
            "job": job,
            "legend": JOB_LEGEND,
            "teachers": _choices(everyone, "teacher", chosen.teacher),
            "rooms": _choices(everyone, "room", chosen.room),
            "back_url": back[0],
            "back_text": back[1],
            "error_rows": job.error_rows,
            "not_drawn": not_drawn,
        }
        return self._page(request, context, blocks, week)

    def calendar_view(self, request: HttpRequest) -> HttpResponse:
        """The list's calendar: what the list shows, one week at a time."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        listed, chosen = self._listed(request)
        if listed is None:
            return HttpResponseRedirect(reverse("admin:training_intervention_changelist"))
        shown = following(listed, chosen.teacher, chosen.room)
        bounds = shown.aggregate(first=Min("start"), last=Max("start"))
        span = (bounds["first"], bounds["last"]) if bounds["first"] else None
        week, note = chosen.week(span)
        kept = {k: v for k, v in request.GET.lists() if k not in OWN}
        url = reverse("admin:training_intervention_calendar")
        context = {
            **self._calendar_context(request, url, kept, chosen, span, week, note),
            "title": _("Calendar of the interventions"),
            "legend": LIST_LEGEND,
            "back_url": reverse("admin:training_intervention_changelist")
            + _query({k: v for k, v in kept.items()}),
            "back_text": _("Back to the list"),
            "ics_url": reverse("admin:training_intervention_ics")
            + _query({**kept, **chosen.following_params()}),
        }
        blocks = list_blocks(shown, week, MAX_BLOCKS)
        context["teachers"] = _choices(blocks, "teacher", chosen.teacher)
        context["rooms"] = _choices(blocks, "room", chosen.room)
        if len(blocks) >= MAX_BLOCKS:
            context["not_drawn"] = in_week(shown, week).count() - len(blocks)
        return self._page(request, context, blocks, week)

    def _page(
        self, request: HttpRequest, context: dict[str, Any], blocks: list[Block], week: Week
    ) -> HttpResponse:
        grid = lay_out(blocks, week)
        BlockWriter(context["teacher_prefix"], context["room_prefix"]).write(grid)
        context["grid"] = grid
        return TemplateResponse(request, self.calendar_template_name, context)

    def ics_view(self, request: HttpRequest) -> HttpResponseBase:
        """What the list shows as an iCalendar file (every page of it)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        listed, chosen = self._listed(request)
        if listed is None:
            return HttpResponseRedirect(reverse("admin:training_intervention_changelist"))
        shown = following(listed, chosen.teacher, chosen.room)
        response = StreamingHttpResponse(
            ics_chunks(shown), content_type="text/calendar; charset=utf-8"
        )
        name = f"interventions-{timezone.localtime():%Y%m%d-%H%M}.ics"
        response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _listed(self, request: HttpRequest) -> tuple[QuerySet | None, "Chosen"]:
        """The list's queryset (its filters and its search, as the changelist reads them
        without the calendar's own parameters), and the calendar's choices."""
        chosen = Chosen.read(request)
        listed = request.GET.copy()
        for name in OWN:
            listed.pop(name, None)
        original = request.GET
        request.GET = listed  # type: ignore[assignment]  # the list's own parameters
        try:
            return self.get_changelist_instance(request).get_queryset(request), chosen
        except IncorrectLookupParameters:
            return None, chosen
        finally:
            request.GET = original

    def _calendar_context(
        self,
        request: HttpRequest,
        url: str,
        kept: dict[str, list[str]],
        chosen: "Chosen",
        span: tuple[dt.datetime, dt.datetime] | None,
        week: Week,
        note: str,
    ) -> dict[str, Any]:
        follow = chosen.following_params()
        this_week = {**kept, "week": [week.first.isoformat()]}

        def link(day: dt.date | None) -> str:
            if day is None:
                return ""
            return url + _query({**kept, **follow, "week": [day.isoformat()]})

        first = week_of(span[0].astimezone(week.zone).date(), week.zone) if span else None
        last = week_of(span[1].astimezone(week.zone).date(), week.zone) if span else None
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "week": week,
            "week_text": _week_text(week),
            "note": note,
            "spanned": span is not None,
            "first_url": link(first.first) if first else "",
            "last_url": link(last.first) if last else "",
            "is_first": first is not None and first.first == week.first,
            "is_last": last is not None and last.first == week.first,
            "previous_url": link(week.previous),
            "next_url": link(week.next),
            "chosen": chosen,
            "everyone_url": url + _query(this_week),
            # a block's teacher and room follow them from this week: the prefix of the link
            "teacher_prefix": url + _query({**this_week, "teacher": [""]}),
            "room_prefix": url + _query({**this_week, "room": [""]}),
            "hidden": [(k, v) for k, values in kept.items() for v in values],
            "max_blocks": MAX_BLOCKS,
        }


class Chosen:
    """The calendar's choices in the query string: the week, a teacher, a room."""

    def __init__(self, week: str, teacher: str, room: str) -> None:
        self.week_text, self.teacher, self.room = week, teacher, room

    @classmethod
    def read(cls, request: HttpRequest) -> "Chosen":
        get = request.GET
        return cls(
            get.get("week", "").strip(), get.get("teacher", "").strip(), get.get("room", "").strip()
        )

    @property
    def follows(self) -> bool:
        return bool(self.teacher or self.room)

    def following_params(self) -> dict[str, list[str]]:
        return {
            name: [value]
            for name, value in (("teacher", self.teacher), ("room", self.room))
            if value
        }

    def week(self, span: tuple[dt.datetime, dt.datetime] | None) -> tuple[Week, str]:
        """The week asked for, else the first week of ``span`` (or today's), and why the
        week asked for is not shown (a text, empty when it is)."""
        zone = site_zone()
        first = span[0].astimezone(zone).date() if span else timezone.localdate(timezone=zone)
        if not self.week_text:
            return week_of(first, zone), ""
        day = parse_day(self.week_text)
        if day is None:
            note = _("%(value)s is not a day written YYYY-MM-DD: the first week is shown.") % {
                "value": self.week_text
            }
            return week_of(first, zone), note
        return week_of(day, zone), ""


def _query(params: dict[str, list[str]]) -> str:
    query = urlencode(params, doseq=True)
    return f"?{query}" if query else ""


def _week_text(week: Week) -> str:
    """The week's first and last days, as every page writes a date (``shown_moments``)."""
    return _("%(first)s to %(last)s") % {
        "first": date_text(week.first),
        "last": date_text(week.last),
    }


def _choices(blocks: list[Block], attribute: str, chosen: str) -> list[str]:
    found = {getattr(block, attribute) for block in blocks} | ({chosen} if chosen else set())
    return sorted(found)
