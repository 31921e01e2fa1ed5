"""The interventions list's calendar: the week's interventions of what the list shows (its
filters and its search, ``ChangeList.get_queryset``), as ``calendar_grid.Block``s, with the
schedule conflicts of the active ones against every active intervention of the database
(``planning.conflicts.find_conflicts``, the engine's own sweep). Reading only: a few queries
for one week, whatever the size of the list.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.planning.conflicts import Booking, find_conflicts
from training.models import Intervention

from .calendar_grid import Block, Week, conflict_text

ACTIVE = Intervention.Status.ACTIVE
CANCELLED = Intervention.Status.CANCELLED
# An intervention that began before the week may still run into it: its conflicts are
# looked for among those that began up to a day before (the engine's bookings are read the
# same way around a file's slots).
LOOK_BACK = dt.timedelta(days=1)
RESOURCE_WORDS = {"teacher": gettext_lazy("teacher"), "room": gettext_lazy("room")}
STATE_WORDS = {"unchanged": gettext_lazy("active"), "cancelled": gettext_lazy("cancelled")}
FIELDS = ("session", "room", "teacher")


def in_week(queryset: QuerySet[Intervention], week: Week) -> QuerySet[Intervention]:
    return queryset.filter(start__gte=week.start, start__lt=week.end)


def following(queryset: QuerySet[Intervention], teacher: str, room: str) -> QuerySet[Intervention]:
    """Only ``teacher``'s (a login) and ``room``'s (a GUID) interventions, when given."""
    if teacher:
        queryset = queryset.filter(teacher__login=teacher)
    if room:
        queryset = queryset.filter(room__guid=room)
    return queryset


def list_blocks(shown: QuerySet[Intervention], week: Week, limit: int) -> list[Block]:
    """The week's first ``limit`` interventions of ``shown``, each a block; active ones in
    conflict say so."""
    week_shown = in_week(shown, week).select_related(*FIELDS).order_by("start", "guid")
    interventions = list(week_shown[:limit])
    blocks = {i.guid: _block(i) for i in interventions}
    active = [i for i in interventions if i.status == ACTIVE]
    if active:
        _conflicts(blocks, active, week)
    return list(blocks.values())


def _block(intervention: Intervention) -> Block:
    cancelled = intervention.status == CANCELLED
    state = "cancelled" if cancelled else "unchanged"
    session = intervention.session
    return Block(
        guid=intervention.guid,
        state=state,
        start=intervention.start,
        minutes=intervention.duration_minutes,
        title=session.title or session.guid,
        teacher=intervention.teacher.login,
        room=intervention.room.guid,
        room_label=intervention.room.label,
        cancelled=cancelled,
        words=str(STATE_WORDS[state]),
    )


def _booking(intervention: Intervention, line: int | None) -> Booking:
    return Booking(
        guid=intervention.guid,
        line=line,
        start=intervention.start,
        minutes=intervention.duration_minutes,
        teacher_id=intervention.teacher_id,
        teacher_login=intervention.teacher.login,
        room_guid=intervention.room.guid,
    )


def _conflicts(blocks: dict[str, Block], active: list[Intervention], week: Week) -> None:
    """The conflicts of the shown active interventions, with each other and with the
    database's other active interventions of their teachers and rooms around the week."""
    guids = {i.guid for i in active}
    teachers = {i.teacher_id for i in active}
    rooms = {i.room.guid for i in active}
    # The week's active interventions by the start index; those of other teachers and rooms
    # left out here (an OR of two long IN lists would make the database scan them all).
    others = Intervention.objects.filter(
        status=ACTIVE, start__gte=week.start - LOOK_BACK, start__lt=week.end
    ).values_list("guid", "start", "duration_minutes", "teacher_id", "room__guid")
    # (their logins are not said: only the shown ones' are)
    stored = [
        Booking(guid, None, start, minutes, teacher, "", room)
        for guid, start, minutes, teacher, room in others
        if guid not in guids and (teacher in teachers or room in rooms)
    ]
    # ``line`` 0: every shown one is "of the file" for the sweep, which lists its conflicts.
    found = find_conflicts([_booking(i, 0) for i in active], stored, listed=5)
    for conflict in found:
        block = blocks[conflict.booking.guid]
        resource = conflict.resource
        block.conflict = conflict_text({*block.conflict.split(), resource})
        booked = _booked(conflict.booking, resource)
        block.conflicts += _words(resource, booked, (o.guid for o in conflict.others))
        if conflict.count > len(conflict.others):
            block.conflicts.append(
                _("Conflict: %(count)s more bookings of this %(resource)s, not listed")
                % {
                    "count": conflict.count - len(conflict.others),
                    "resource": RESOURCE_WORDS[resource],
                }
            )


def _booked(booking: Booking, resource: str) -> str:
    return booking.teacher_login if resource == "teacher" else booking.room_guid


def _words(resource: str, booked: str, others: Iterable[str]) -> list[str]:
    return [
        _("Conflict: %(resource)s %(booked)s is also booked by %(other)s")
        % {"resource": RESOURCE_WORDS[resource], "booked": booked, "other": other}
        for other in others
    ]
