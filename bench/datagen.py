"""Deterministic benchmark data: the reference tables, the existing interventions, the files.

Row ``i`` of a file names an existing intervention when ``i`` is even and ``i // 2`` is below
the number of existing interventions (its duration differs, so it is updated), a new one
otherwise: against the ``EXISTING`` (50,000) of the seeded database, half of the rows of the
1k, 10k and 100k files update and half create, while 950,000 rows of the 1M file create. The
"same mix" 1M file is written against ``EXISTING_1M`` (500,000) existing interventions: half
update, half create, like the 100k file. Every row names existing references.
"""

import datetime as dt
from pathlib import Path

TRAININGS = 200
SESSIONS = 2_000
TEACHERS = 500
ROOMS = 300
EXISTING = 50_000
EXISTING_1M = 500_000  # the database of the same-mix 1M case
EXPORTED = 100_000  # interventions the export case writes (of the "done" database)
EXISTING_ALL = 100_000  # the database of the planner's file whose every row updates
START = dt.datetime(2027, 1, 4, 8, 0)
HEADER = (
    "interventionGuid;trainingGuid;trainingPathCode;sessionGuid;sessionTitle;interventionDate;"
    "interventionDuration;roomGuid;roomLabel;roomCapacity;teacherLogin;interventionStatus"
)
# The same rows as a planning tool exports them (issue 27): the date, the start time and the
# end time in three columns, no duration; an end past midnight is written with its date.
SPLIT_HEADER = HEADER.replace(
    "interventionDate;interventionDuration",
    "interventionDate;interventionStartTime;interventionEndTime",
)


def session_of(key: int) -> int:
    return key % SESSIONS


def training_of(session: int) -> int:
    return session % TRAININGS


# A schedule as planners write one: keys come in blocks of ROOMS consecutive keys, each block
# in its own 9-hour slot (durations are 8 hours at most), and inside a block every teacher
# and every room is different (ROOMS < TEACHERS): no conflict, but for CONFLICTING rows.
SLOT_HOURS = 9
CONFLICT_EVERY = 200  # one key in 200 takes the teacher of the key before it: a conflict


def start_of(key: int) -> dt.datetime:
    return START + dt.timedelta(hours=SLOT_HOURS * (key // ROOMS))


def teacher_of(key: int) -> int:
    if key % CONFLICT_EVERY == 7:
        return (key - 1) % TEACHERS
    return key % TEACHERS


def duration_of(key: int) -> int:
    return 1 + key % 8


def status_of(key: int) -> str:
    return "C" if key % 10 == 0 else "A"


def room_label(room: int) -> str:
    return f"Room {room}"


def room_capacity(room: int) -> int:
    return 10 + room % 40


def file_key(i: int, existing: int = EXISTING) -> tuple[str, int]:
    """The GUID and the key (which drives every other value) of row ``i``."""
    if i % 2 == 0 and i // 2 < existing:
        return f"IV-{i // 2:07d}", i // 2
    return f"NEW-{i:07d}", existing + i


def line(i: int, existing: int = EXISTING) -> str:
    guid, key = file_key(i, existing)
    session = session_of(key)
    room = key % ROOMS
    return ";".join(
        (
            guid,
            f"T-{training_of(session):03d}",
            "",
            f"S-{session:04d}",
            "",
            start_of(key).strftime("%Y-%m-%dT%H:%M:%S"),
            str(duration_of(key)),
            f"R-{room:03d}",
            room_label(room),
            str(room_capacity(room)),
            f"teacher{teacher_of(key):04d}",
            status_of(key),
        )
    )


def split_line(i: int, existing: int = EXISTING) -> str:
    """Row ``i`` of ``line`` with its start as a date and a start time and an end time instead
    of the duration: the same intervention once imported."""
    cells = line(i, existing).split(";")
    start = dt.datetime.fromisoformat(cells[5])
    end = start + dt.timedelta(hours=int(cells[6]))
    end_text = end.strftime("%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M")
    cells[5:7] = [start.strftime("%Y-%m-%d"), start.strftime("%H:%M"), end_text]
    return ";".join(cells)


# A planner's schedule (issue 31), a re-sent timetable: day after day, ten one-hour slots
# (08:00 to 17:00), ROOMS // 10 rooms in each, so that every room is used once a day; the
# teachers of one day are all different (ROOMS < TEACHERS). No schedule conflict, in the file
# or against the database: the interventions it updates are moved onto it, the others are new.
PLANNER_START = dt.datetime(2028, 1, 3, 8, 0)
PLANNER_SLOTS = 10
PLANNER_UPDATES = ("half", "all")


def planner_key(i: int, updates: str, existing: int = EXISTING) -> tuple[str, int]:
    """The GUID of row ``i`` and the key of the intervention (its session): ``half``: every
    even row updates one of the ``existing`` seeded interventions (all of them, for a 100k
    file against 50,000), the others are new; ``all``: row ``i`` updates intervention ``i``."""
    if updates == "all" or (updates == "half" and i % 2 == 0 and i // 2 < existing):
        key = i if updates == "all" else i // 2
        return f"IV-{key:07d}", key
    return f"NEW-{i:07d}", existing + i


def planner_line(i: int, updates: str, existing: int = EXISTING) -> str:
    """Row ``i`` of the planner's file: an existing intervention keeps its session and its
    status and gets a new start, room, teacher and duration (what a re-sent timetable moves)."""
    guid, key = planner_key(i, updates, existing)
    session = session_of(key)
    day, place = divmod(i, ROOMS)
    start = PLANNER_START + dt.timedelta(days=day, hours=place % PLANNER_SLOTS)
    room = (place + day) % ROOMS  # each room once a day, not in the same slot every day
    return ";".join(
        (
            guid,
            f"T-{training_of(session):03d}",
            "",
            f"S-{session:04d}",
            "",
            start.strftime("%Y-%m-%dT%H:%M:%S"),
            "1",
            f"R-{room:03d}",
            room_label(room),
            str(room_capacity(room)),
            f"teacher{(i + day) % TEACHERS:04d}",
            status_of(key),
        )
    )


def write_planner_file(path: Path, rows: int, updates: str, existing: int) -> Path:
    """The planner's file (``planner_line``), written once like ``write_file``."""
    return _write(path, HEADER, (lambda i: planner_line(i, updates, existing)), rows)


def write_file(path: Path, rows: int, existing: int = EXISTING, split: bool = False) -> Path:
    """Write the ``rows``-row file once (it is deterministic: an existing one is kept);
    ``split``: the start and the end in three columns (``split_line``)."""
    make = split_line if split else line
    return _write(path, SPLIT_HEADER if split else HEADER, lambda i: make(i, existing), rows)


def _write(path: Path, header: str, make, rows: int) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header + "\n")
        for start in range(0, rows, 10_000):
            end = min(rows, start + 10_000)
            out.write("".join(make(i) + "\n" for i in range(start, end)))
    partial.rename(path)
    return path


def seed(existing: int = EXISTING) -> dict[str, int]:
    """Fill an empty, migrated database (needs Django set up)."""
    from django.db import transaction

    from training.models import Intervention, Room, Session, Teacher, Training

    with transaction.atomic():
        trainings = Training.objects.bulk_create(
            Training(guid=f"T-{t:03d}", path_code=f"P-{t:03d}", title=f"Training {t}")
            for t in range(TRAININGS)
        )
        sessions = Session.objects.bulk_create(
            Session(guid=f"S-{s:04d}", training=trainings[training_of(s)], title=f"Term {s}")
            for s in range(SESSIONS)
        )
        teachers = Teacher.objects.bulk_create(
            Teacher(login=f"teacher{t:04d}", last_name=f"Teacher {t}") for t in range(TEACHERS)
        )
        rooms = Room.objects.bulk_create(
            Room(guid=f"R-{r:03d}", label=room_label(r), capacity=room_capacity(r))
            for r in range(ROOMS)
        )
        Intervention.objects.bulk_create(
            (
                Intervention(
                    guid=f"IV-{key:07d}",
                    session=sessions[session_of(key)],
                    start=start_of(key).replace(tzinfo=dt.UTC),
                    # differs from the files (hours there): an update
                    duration_minutes=duration_of(key + 1) * 60,
                    room=rooms[key % ROOMS],
                    teacher=teachers[teacher_of(key)],
                    status=status_of(key),
                )
                for key in range(existing)
            ),
            batch_size=5_000,
        )
    return {
        "trainings": len(trainings),
        "sessions": len(sessions),
        "teachers": len(teachers),
        "rooms": len(rooms),
        "interventions": Intervention.objects.count(),
    }
