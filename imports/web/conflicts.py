"""The "Schedule conflicts" section of an admin job page (the preview and the history page),
and apart from it the conflicts "already in the schedule, not changed by this file" (issue 29).

The job's stored conflict problems (``service.CONFLICT_CODES``: the file's own; those already
in the schedule, ``service.UNCHANGED_CONFLICT_CODES``), each in two lists: by teacher and
by room, each grouped by the login or the room GUID. Each entry names both interventions: the
row's line and GUID, the other's GUID and its line when it is in the file. A few queries per
page whatever the number of conflicts: counts in the database, at most ``SHOWN`` entries a
list (then "and N more"). The rows table marks each row in conflict (``row_conflicts``: one
query per page of rows). Reading only.
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
from imports.parsing.messages import MORE_CONFLICTS, MORE_CONFLICTS_UNCHANGED, WORDS

SHOWN = 200  # entries listed per resource
MORE_CODES = (MORE_CONFLICTS.code, MORE_CONFLICTS_UNCHANGED.code)
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
    own: bool = True  # the file's own (False: already in the schedule, not changed by it)

    @property
    def conflicts(self) -> int:
        return sum(listed.conflicts for listed in self.lists)


@dataclass(frozen=True)
class _Kind:
    codes: tuple[str, ...]  # every problem of the kind
    booked: tuple[str, ...]  # those that name another intervention


OWN = _Kind(service.CONFLICT_CODES, service.BOOKED_CODES)
STANDING = _Kind(service.UNCHANGED_CONFLICT_CODES, service.UNCHANGED_BOOKED_CODES)


def conflict_section(job: ImportJob, *, own: bool = True) -> ConflictSection | None:
    """The section's figures and entries; None when the job's preview found no conflict.
    ``own``: the file's conflicts; False: those already in the schedule, that it does not
    change (warnings that need nothing)."""
    kind = OWN if own else STANDING
    problems = job.errors.filter(code__in=kind.codes)
    rows = problems.values("line").distinct().count()
    if not rows:
        return None
    level = problems.values_list("level", flat=True).first() or "WARNING"
    return ConflictSection(
        rows=rows,
        level=level,
        unlisted=problems.filter(code__in=MORE_CODES).exists(),
        lists=tuple(
            _list(job, kind, resource=resource, column=column, title=str(title))
            for resource, column, title in RESOURCES
        ),
        own=own,
    )


def _list(job: ImportJob, kind: _Kind, *, resource: str, column: str, title: str) -> ConflictList:
    problems = _once(job, job.errors.filter(code__in=kind.codes, column=column), kind)
    entries = _annotated(job, problems, kind).order_by("booked", "line", "pk")[:SHOWN]
    return ConflictList(
        resource=resource,
        title=title,
        entries=list(entries),
        total=problems.count(),
        conflicts=problems.filter(code__in=kind.booked).count(),
    )


def _once(
    job: ImportJob, problems: QuerySet[ImportJobError], kind: _Kind
) -> QuerySet[ImportJobError]:
    """Each conflict once: a conflict of two rows is reported on both (each naming the
    other), and listed from the first, or from the second when the first does not list it
    (a row lists a few, then how many more). Each entry names both interventions."""
    mirror = ImportJobError.objects.filter(
        job=job,
        code=OuterRef("code"),
        line=OuterRef("conflicts_with_line"),
        conflicts_with_line=OuterRef("line"),
    )
    first = Q(conflicts_with_line__isnull=True) | Q(line__lt=F("conflicts_with_line"))
    return problems.filter(~Q(code__in=kind.booked) | first | ~Exists(mirror))


def _annotated(
    job: ImportJob, problems: QuerySet[ImportJobError], kind: _Kind
) -> QuerySet[ImportJobError]:
    """Each problem with its row's GUID and the login or room booked (a ``more_conflicts``
    problem names none: that of the row's other problems of the column)."""
    row_guid = ImportJobRow.objects.filter(job=job, line=OuterRef("line")).values("guid")[:1]
    same_column = ImportJobError.objects.filter(
        job=job,
        line=OuterRef("line"),
        column=OuterRef("column"),
        code__in=kind.booked,
    ).values("value")[:1]
    booked = Case(
        When(code__in=MORE_CODES, then=Subquery(same_column)),
        default=F("value"),
        output_field=TextField(),
    )
    return problems.annotate(row_guid=Subquery(row_guid), booked=booked)


@dataclass(frozen=True)
class RowConflict:
    """A row's mark in the rows table: its conflicts are the file's own (``own``) or already
    in the schedule, and by which resources (``teacher``, ``room``)."""

    own: bool
    resources: tuple[str, ...]

    @property
    def section(self) -> str:
        """The id of the section that lists them."""
        return "schedule-conflicts" if self.own else "standing-conflicts"

    @property
    def words(self) -> str:
        """The resources in the page's language: ``teacher, room``."""
        return ", ".join(str(WORDS[resource]) for resource in self.resources)


def row_conflicts(job: ImportJob, lines: list[int]) -> dict[int, RowConflict]:
    """The conflicts of the rows of a page (``lines``), by line: one query."""
    if not lines:
        return {}
    columns = {column: resource for resource, column, _title in RESOURCES}
    found = (
        job.errors.filter(line__in=lines, code__in=OWN.codes + STANDING.codes)
        .values_list("line", "code", "column")
        .distinct()
    )
    own: dict[int, bool] = {}
    resources: dict[int, set[str]] = {}
    for line, code, column in found:
        if line is None:
            continue  # a file problem: no row of the table
        own[line] = own.get(line, False) or code in OWN.codes
        resources.setdefault(line, set()).add(columns.get(column, column))
    order = [resource for resource, _column, _title in RESOURCES]
    return {
        line: RowConflict(own[line], tuple(r for r in order if r in resources[line]))
        for line in own
    }
