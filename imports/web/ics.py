"""The interventions list as an iCalendar file (RFC 5545, written by the ``icalendar``
library): one VEVENT per intervention, its UID the intervention's GUID, its times in UTC,
a cancelled one ``STATUS:CANCELLED``; the session as its summary, the room as its location,
the teacher in its description. Streamed as it is made, a chunk of interventions at a time:
memory stays small whatever the list. Reading only.
"""

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from training.models import Intervention

PRODID = "-//intervention-import//interventions//EN"
CHUNK = 2_000
END = b"END:VCALENDAR\r\n"
STATUSES: dict[str, str] = {
    Intervention.Status.ACTIVE.value: "CONFIRMED",
    Intervention.Status.CANCELLED.value: "CANCELLED",
}


def calendar_head() -> bytes:
    """The calendar's own lines, without its end."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    head = calendar.to_ical()
    return head[: -len(END)] if head.endswith(END) else head


def event(intervention: Intervention, stamp: dt.datetime) -> Event:
    session = intervention.session
    room = intervention.room
    teacher = intervention.teacher
    start = intervention.start.astimezone(dt.UTC)
    found = Event()
    found.add("uid", intervention.guid)
    found.add("dtstamp", stamp)
    found.add("dtstart", start)
    found.add("dtend", start + dt.timedelta(minutes=intervention.duration_minutes))
    found.add("summary", session.title or session.guid)
    found.add("location", f"{room.label} ({room.guid})")
    found.add("description", f"{teacher} ({teacher.login}); {session.training}")
    found.add("status", STATUSES.get(intervention.status, "CONFIRMED"))
    found.add("last-modified", intervention.updated_at.astimezone(dt.UTC))
    return found


def ics_chunks(queryset: QuerySet[Intervention]) -> Iterator[bytes]:
    """The file, chunk by chunk: its head, each intervention's VEVENT, its end."""
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    yield calendar_head()
    rows = queryset.select_related("session__training", "room", "teacher").order_by("start", "pk")
    batch: list[bytes] = []
    for intervention in rows.iterator(chunk_size=CHUNK):
        batch.append(event(intervention, stamp).to_ical())
        if len(batch) >= CHUNK:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)
    yield END
