"""The "Schedule conflicts" section of an admin job page (the preview and the history page).

The job's stored conflict problems (``service.CONFLICT_CODES``), in two lists: by teacher and
by room, each grouped by the login or the room GUID. Each entry names both interventions: the
row's line and GUID, the other's GUID and its line when it is in the file. A few queries per
page whatever the number of conflicts: counts in the database, at most ``SHOWN`` entries a
list (then "and N more"). Reading only.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    When,
)
from django.utils.translation import gettext_lazy

from imports.jobs import service
from imports.jobs.models import ImportJob, ImportJobError, ImportJobRow
from imports.parsing.messages import MORE_CONFLICTS

SHOWN = 200  # entries listed per resource
MORE = MORE_CONFLICTS.code
# (resource, the problem's column, the list's title)
RESOURCES = (
    ("teacher", "teacherLogin", gettext_lazy("By teacher")),
    ("room", "roomGuid", gettext_lazy("By room")),
)


@dataclass(frozen=True)
class ConflictList:
    """One resource's conflicts: the first ``SHOWN`` entries and the counts of all."""

    resource: str
    title: str
    entries: list[ImportJobError]  # annotated: ``booked`` (login or room), ``row_guid``
    total: int  # entries, ``more_conflicts`` included
    conflicts: int  # pairs of bookings: a conflict of two rows counts once

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


@dataclass(frozen=True)
class ConflictSection:
    rows: int  # rows with at least one conflict
    level: str  # WARNING (imported as they are) or ERROR (skipped)
    unlisted: bool  # some rows have more conflicts than the engine lists
    lists: tuple[ConflictList, ...]

    @property
    def conflicts(self) -> int:
        return sum(listed.conflicts for listed in self.lists)


def conflict_section(job: ImportJob) -> ConflictSection | None:
    """The section's figures and entries; None when the job's preview found no conflict."""
    problems = job.errors.filter(code__in=service.CONFLICT_CODES)
    rows = problems.values("line").distinct().count()
    if not rows:
        return None
    level = problems.values_list("level", flat=True).first() or "WARNING"
    return ConflictSection(
        rows=rows,
        level=level,
        unlisted=problems.filter(code=MORE).exists(),
        lists=tuple(
            _list(job, resource=resource, column=column, title=str(title))
            for resource, column, title in RESOURCES
        ),
    )


def _list(job: ImportJob, *, resource: str, column: str, title: str) -> ConflictList:
    problems = job.errors.filter(code__in=service.CONFLICT_CODES, column=column)
    entries = _annotated(job, problems).order_by("booked", "line", "pk")[:SHOWN]
    return ConflictList(
        resource=resource,
        title=title,
        entries=list(entries),
        total=problems.count(),
        conflicts=_pairs(job, problems.filter(code__in=service.BOOKED_CODES)),
    )


def _annotated(job: ImportJob, problems: QuerySet[ImportJobError]) -> QuerySet[ImportJobError]:
    """Each problem with its row's GUID and the login or room booked (a ``more_conflicts``
    problem names none: that of the row's other problems of the column)."""
    row_guid = ImportJobRow.objects.filter(job=job, line=OuterRef("line")).values("guid")[:1]
    same_column = ImportJobError.objects.filter(
        job=job,
        line=OuterRef("line"),
        column=OuterRef("column"),
        code__in=service.BOOKED_CODES,
    ).values("value")[:1]
    booked = Case(
        When(code=MORE, then=Subquery(same_column)),
        default=F("value"),
        output_field=TextField(),
    )
    return problems.annotate(row_guid=Subquery(row_guid), booked=booked)


def _pairs(job: ImportJob, booked: QuerySet[ImportJobError]) -> int:
    """Conflicts counted once per pair: a conflict of two rows is reported on both (each
    naming the other), and counted from the first, or from the second when the first does
    not list it (a row lists a few, then how many more)."""
    mirror = ImportJobError.objects.filter(
        job=job,
        code=OuterRef("code"),
        line=OuterRef("conflicts_with_line"),
        conflicts_with_line=OuterRef("line"),
    )
    first = Q(conflicts_with_line__isnull=True) | Q(line__lt=F("conflicts_with_line"))
    return booked.filter(first | ~Exists(mirror)).count()
