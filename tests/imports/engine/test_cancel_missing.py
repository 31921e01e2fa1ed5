"""cancelMissing (issue 29): "this file is the complete schedule of its sessions, for its dates".

The scope, table by table; the guards; the counts of the result; the journal and the undo;
the configuration's ``<cancelMissing>``; a hypothesis property: after the import, the scope's
active interventions are exactly the file's valid active rows.
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from imports.batch.pipeline import record_job
from imports.engine import ImportOptions, run_import
from imports.jobs.undo import undo_import
from imports.parsing.config import ConfigError, parse_config
from imports.parsing.fixes import Fix
from imports.planning.missing import Share, day_start, percent
from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room, Session, Teacher

pytestmark = pytest.mark.usefixtures("media")
ON = ImportOptions(cancel_missing=True)
DRY = ImportOptions(cancel_missing=True, dry_run=True)


def stored(guid: str, start: str, session: str = "SE-1", status: str = "A", **more) -> None:
    """An intervention as the database holds it (UTC unless the text has an offset)."""
    moment = dt.datetime.fromisoformat(start)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    Intervention.objects.create(
        guid=guid,
        session=Session.objects.get(guid=session),
        start=moment,
        duration_minutes=more.get("minutes", 60),
        room=Room.objects.get(guid=more.get("room", "R-101")),
        teacher=Teacher.objects.get(login=more.get("teacher", "jdoe")),
        status=status,
    )


def row(guid: str, start: str, **cells: str) -> dict[str, str]:
    return make_row(
        interventionGuid=guid, interventionDate=start, interventionDuration="1", **cells
    )


# The file: SE-1 from 2027-03-02 10:00 to 2027-03-04 10:00 (two valid rows), and a row with
# an error that names IV-ERR and session SE-3.
FILE_ROWS = [
    row("IV-A", "2027-03-02T10:00:00"),
    row("IV-B", "2027-03-04T10:00:00"),
    row("IV-ERR", "2027-03-03T10:00:00", teacherLogin="nobody"),
    row("IV-ERR3", "2027-03-03T12:00:00", sessionGuid="SE-3", teacherLogin="nobody"),
]


@pytest.mark.parametrize(
    ("stored_as", "cancelled"),
    [
        # session named, day spanned, not started, active, not in the file: cancelled
        (("IV-X", "2027-03-03T15:00:00"), True),
        # the first day before the first start, the last day after the last: whole days
        (("IV-X", "2027-03-02T00:00:00"), True),
        (("IV-X", "2027-03-04T23:59:00"), True),
        # the day before the first day, the day after the last day: outside
        (("IV-X", "2027-03-01T23:59:00"), False),
        (("IV-X", "2027-03-05T00:00:00"), False),
        # another session (SE-2), or one named only by a row with errors (SE-3): outside
        (("IV-X", "2027-03-03T15:00:00", "SE-2"), False),
        (("IV-X", "2027-03-03T15:00:00", "SE-3"), False),
        # cancelled already: stays so, not counted
        (("IV-X", "2027-03-03T15:00:00", "SE-1", "C"), False),
        # its GUID on a row with errors: never cancelled
        (("IV-ERR", "2027-03-03T15:00:00"), False),
        # in the file (moved by it): updated, not cancelled
        (("IV-A", "2027-03-03T15:00:00"), False),
    ],
    ids=[
        "in-scope",
        "first-day-midnight",
        "last-day-late",
        "day-before",
        "day-after",
        "other-session",
        "session-of-an-error-row",
        "cancelled-already",
        "guid-on-an-error-row",
        "in-the-file",
    ],
)
def test_the_scope(demo, settings, stored_as, cancelled):
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}  # the guard apart
    guid = stored_as[0]
    stored(*stored_as)
    before = Intervention.objects.get(guid=guid).status
    dry = run_import(csv_bytes(FILE_ROWS), "week.csv", options=DRY)
    result = run_import(csv_bytes(FILE_ROWS), "week.csv", options=ON)
    expected = [guid] if cancelled else []
    assert dry.cancelled_missing == result.cancelled_missing == expected
    assert result.committed and result.error_rows == 2
    status = Intervention.objects.get(guid=guid).status
    assert status == ("C" if cancelled else before if guid != "IV-A" else "A")
    assert Intervention.objects.filter(guid=guid).exists()  # never deleted


def test_started_already_is_not_cancelled(demo, settings):
    """A file whose days include today: what started before the run is left as it is."""
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    earlier, later = now - dt.timedelta(hours=2), now + dt.timedelta(hours=2)
    stored("IV-PAST", earlier.isoformat())
    stored("IV-SOON", later.isoformat())
    rows = [row("IV-F1", (now - dt.timedelta(days=2)).isoformat(timespec="minutes"))]
    rows.append(row("IV-F2", (now + dt.timedelta(days=2)).isoformat(timespec="minutes")))
    result = run_import(csv_bytes(rows), "today.csv", options=ON)
    assert result.cancelled_missing == ["IV-SOON"]
    assert Intervention.objects.get(guid="IV-PAST").status == "A"


def test_days_are_whole_days_in_the_time_zone(demo, settings):
    """Europe/Paris: the file's last day ends at midnight there (23:00 UTC in winter)."""
    settings.TIME_ZONE = "Europe/Paris"
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}
    stored("IV-LATE", "2027-03-04T22:30:00+00:00")  # 23:30 in Paris: the last day
    stored("IV-NEXT", "2027-03-04T23:30:00+00:00")  # 00:30 on the 5th in Paris: the day after
    stored("IV-EARLY", "2027-03-01T23:30:00+00:00")  # 00:30 on the 2nd in Paris: first day
    rows = [row("IV-A", "2027-03-02T10:00:00"), row("IV-B", "2027-03-04T10:00:00")]
    result = run_import(csv_bytes(rows), "paris.csv", options=ON)
    assert result.cancelled_missing == ["IV-EARLY", "IV-LATE"]


def test_day_start_in_a_zone():
    paris = ZoneInfo("Europe/Paris")
    moment = dt.datetime(2027, 3, 4, 23, 30, tzinfo=dt.UTC)  # 00:30 on the 5th in Paris
    assert day_start(moment, paris) == dt.datetime(2027, 3, 4, 23, tzinfo=dt.UTC)
    assert day_start(moment, paris, days=1) == dt.datetime(2027, 3, 5, 23, tzinfo=dt.UTC)


def test_nothing_outside_the_scope_is_touched(demo, settings):
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-OTHER", "2027-03-03T15:00:00", session="SE-2")
    stored("IV-LATER", "2027-04-03T15:00:00")
    outside = dict(Intervention.objects.exclude(guid="IV-X").values_list("guid", "updated_at"))
    run_import(csv_bytes(FILE_ROWS[:2]), "week.csv", options=ON)
    after = dict(
        Intervention.objects.exclude(guid__in=["IV-X", "IV-A", "IV-B"]).values_list(
            "guid", "updated_at"
        )
    )
    assert after == outside


def test_off_by_default_and_by_configuration(demo, settings):
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}
    stored("IV-X", "2027-03-03T15:00:00")
    result = run_import(csv_bytes(FILE_ROWS[:2]), "week.csv")
    assert (result.cancel_missing, result.cancelled_missing) == (False, [])
    assert "cancelled_missing" not in result.as_dict()
    config = parse_config(CONFIG.format(value="yes"))[0]
    assert config.cancel_missing
    result = run_import(csv_bytes(FILE_ROWS[:2]), "week.csv", config)
    assert result.cancelled_missing == ["IV-X"]


CONFIG = """<actions><createOrUpdateInterventionAction>
  <fields>
    <interventionGuid/><trainingGuid/><trainingPathCode/><sessionGuid/><sessionTitle/>
    <interventionDate/><interventionDuration/><roomGuid/><roomLabel/><roomCapacity/>
    <teacherLogin/><interventionStatus/>
  </fields>
  <cancelMissing>{value}</cancelMissing>
</createOrUpdateInterventionAction></actions>"""


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("NO", False), ("Yes", True)])
def test_the_configuration_reads_cancel_missing(value, expected):
    assert parse_config(CONFIG.format(value=value))[0].cancel_missing is expected


@pytest.mark.parametrize("value", ["true", "1", ""])
def test_a_bad_cancel_missing_is_a_problem_with_its_id_and_line(value):
    with pytest.raises(ConfigError) as raised:
        parse_config(CONFIG.format(value=value))
    (problem,) = raised.value.problems
    assert (problem.id, problem.line) == ("imports.E017", 7)
    assert "<cancelMissing> has invalid value" in problem.message


def test_cancel_missing_given_twice_is_a_problem():
    xml = CONFIG.format(value="yes").replace(
        "</createOrUpdate", "<cancelMissing>no</cancelMissing></createOrUpdate"
    )
    with pytest.raises(ConfigError) as raised:
        parse_config(xml)
    assert [p.id for p in raised.value.problems] == ["imports.E012"]


# Guards ------------------------------------------------------------------------------------


def test_no_valid_row_cancels_nothing_and_says_so(demo):
    stored("IV-X", "2027-03-03T15:00:00")
    result = run_import(csv_bytes(FILE_ROWS[2:]), "bad.csv", options=ON)
    assert result.cancelled_missing == []
    assert "cancel_missing_no_valid_row" in [w.code for w in result.warnings]
    assert Intervention.objects.get(guid="IV-X").status == "A"


def many_stored(count: int) -> None:
    for n in range(count):
        stored(f"IV-M{n}", f"2027-03-03T{8 + n:02d}:00:00")


def test_more_than_the_share_writes_nothing_and_says_how_many(demo):
    many_stored(3)  # 3 missing of 5 in the scope (the file's 2 rows are new): 60 %
    stored("IV-A", "2027-03-02T10:00:00")
    stored("IV-B", "2027-03-04T10:00:00", minutes=120)  # updated by the file
    before = list(Intervention.objects.values_list("guid", "status", "duration_minutes"))
    result = run_import(csv_bytes(FILE_ROWS[:2]), "week.csv", options=ON)
    assert not result.committed and not result.usable
    (problem,) = result.file_errors
    assert problem.code == "cancel_missing_too_many"
    assert "3 of the 5 active interventions" in problem.message
    assert "(60 %)" in problem.message and "more than 50 %" in problem.message
    assert list(Intervention.objects.values_list("guid", "status", "duration_minutes")) == before
    assert result.journal_id is None


def test_the_dry_run_lists_them_and_says_a_count_is_needed(demo):
    many_stored(3)
    result = run_import(csv_bytes(FILE_ROWS[:2]), "week.csv", options=DRY)
    assert result.usable and result.cancelled_missing == ["IV-M0", "IV-M1", "IV-M2"]
    codes = [w.code for w in result.warnings]
    assert codes.count("cancelled_missing") == 3
    assert "cancel_missing_needs_confirmation" in codes
    assert result.cancel_missing_scope == 3  # the file's two rows are new


def test_a_confirmed_count_cancels_them(demo):
    many_stored(3)
    wrong = run_import(
        csv_bytes(FILE_ROWS[:2]),
        "w.csv",
        options=ImportOptions(cancel_missing=True, confirm_cancel=2),
    )
    assert [p.code for p in wrong.file_errors] == ["cancel_missing_count_differs"]
    assert "the count confirmed is 2" in wrong.file_errors[0].message
    right = run_import(
        csv_bytes(FILE_ROWS[:2]),
        "w.csv",
        options=ImportOptions(cancel_missing=True, confirm_cancel=3),
    )
    assert right.committed and right.cancelled_missing == ["IV-M0", "IV-M1", "IV-M2"]
    assert set(
        Intervention.objects.filter(guid__startswith="IV-M").values_list("status", flat=True)
    ) == {"C"}


def test_the_share_follows_the_setting(demo, settings):
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 0.75}
    many_stored(3)  # 3 of 3: 100 %
    assert run_import(csv_bytes(FILE_ROWS[:2]), "w.csv", options=ON).file_errors
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}
    result = run_import(csv_bytes(FILE_ROWS[:2]), "w.csv", options=ON)
    assert result.committed and len(result.cancelled_missing) == 3


@pytest.mark.parametrize(
    ("count", "scope", "too_many", "shown"),
    [(0, 0, False, "100 %"), (1, 2, False, "50 %"), (2, 3, True, "66.7 %"), (1, 1, True, "100 %")],
)
def test_share(count, scope, too_many, shown):
    share = Share(count, scope, 0.5)
    assert (share.too_many, share.percent(), share.limit_percent()) == (too_many, shown, "50 %")
    assert percent(0.125) == "12.5 %"


# Counts, journal, undo ----------------------------------------------------------------------


def test_the_result_counts_and_names_them(demo):  # 1 of 2: 50 %, not more
    stored("IV-X", "2027-03-03T15:00:00", teacher="asmith", room="R-102")
    stored("IV-A", "2027-03-02T10:00:00")
    result = run_import(csv_bytes(FILE_ROWS[:2]), "week.csv", options=ON)
    data = result.as_dict()
    assert (data["cancelled_missing"], data["cancelled_missing_guids"]) == (1, ["IV-X"])
    (listed,) = [w for w in result.warnings if w.code == "cancelled_missing"]
    assert listed.message == (
        "Intervention IV-X (session SE-1, 2027-03-03 15:00 to 2027-03-03 16:00, teacher asmith,"
        " room R-102) is not in the file: cancelled as missing."
    )
    assert (listed.value, listed.level, listed.line) == ("IV-X", "WARNING", None)


def test_the_undo_restores_them(demo):
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-Y", "2027-03-03T17:00:00")
    before = {i.guid: (i.status, i.updated_at) for i in Intervention.objects.all()}
    data = csv_bytes(FILE_ROWS[:2])
    settings_share = ImportOptions(cancel_missing=True, confirm_cancel=2)
    result = run_import(data, "week.csv", options=settings_share)
    assert result.cancelled_missing == ["IV-X", "IV-Y"]
    job = record_job(Path("week.csv"), data, "1" * 64, result)
    assert job.cancelled_missing == 2 and job.cancel_missing
    outcome = undo_import(job)
    assert (outcome.counts.deleted, outcome.counts.restored, outcome.counts.kept) == (2, 2, 0)
    after = {i.guid: (i.status, i.updated_at) for i in Intervention.objects.all()}
    assert after == before


def test_a_row_skipped_by_a_fix_keeps_its_intervention(demo, settings):
    settings.INTERVENTION_IMPORT = {"CANCEL_MISSING_MAX_SHARE": 1.0}
    stored("IV-ERR", "2027-03-03T15:00:00")
    fix = Fix(column="teacherLogin", value="nobody", replacement=None)
    options = ImportOptions(cancel_missing=True, fixes=(fix,))
    result = run_import(csv_bytes(FILE_ROWS), "week.csv", options=options)
    assert result.error_rows == 0 and result.cancelled_missing == []


def test_cancelled_as_missing_conflict_with_nothing(demo):
    """The file books jdoe where IV-X was: IV-X is cancelled, so no conflict (dry run too)."""
    stored("IV-A", "2027-03-02T10:00:00")  # the file names it: 1 to cancel of 2, 50 %
    stored("IV-X", "2027-03-03T15:00:00")
    rows = [*FILE_ROWS[:2], row("IV-C", "2027-03-03T15:00:00")]
    for options in (DRY, ON):
        result = run_import(csv_bytes(rows), "week.csv", options=options)
        assert result.cancelled_missing == ["IV-X"]
        assert [w.code for w in result.warnings if "booked" in w.code] == []
    plain = run_import(csv_bytes(rows), "week.csv", options=ImportOptions(dry_run=True))
    assert plain.warnings == []  # IV-X is cancelled now: nothing left to conflict with


# The property -------------------------------------------------------------------------------

DAYS = [dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC) + dt.timedelta(days=d) for d in range(5)]
SESSIONS = ["SE-1", "SE-2"]
slots = st.tuples(st.integers(0, 4), st.integers(0, 9), st.sampled_from(SESSIONS))


class TestScopeProperty(HypothesisTestCase):
    """With cancelMissing, after the import the scope's active interventions are exactly the
    file's valid active rows (and what rows with errors name, which is never cancelled)."""

    def setUp(self) -> None:
        call_command("loaddata", "demo", verbosity=0)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        before=st.dictionaries(st.integers(0, 11), st.tuples(slots, st.sampled_from("AC"))),
        file=st.dictionaries(
            st.integers(0, 11),
            st.tuples(slots, st.sampled_from("AC"), st.booleans()),
            min_size=1,
        ),
    )
    def test_after_the_import_the_scope_holds_the_file(self, before, file):
        from django.test import override_settings

        Intervention.objects.all().delete()
        for key, ((day, hour, session), status) in before.items():
            start = DAYS[day] + dt.timedelta(hours=hour)
            stored(f"IV-{key}", start.isoformat(), session=session, status=status)
        rows = []
        for key, ((day, hour, session), status, wrong) in sorted(file.items()):
            start = (DAYS[day] + dt.timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%S")
            cells = {"sessionGuid": session, "interventionStatus": status}
            if wrong:
                cells["teacherLogin"] = "nobody"
            rows.append(row(f"IV-{key}", start, **cells))
        with override_settings(INTERVENTION_IMPORT={"CANCEL_MISSING_MAX_SHARE": 1.0}):
            result = run_import(csv_bytes(rows), "p.csv", options=ON)
        assert result.committed, result.file_errors
        valid = [(k, v) for k, v in file.items() if not v[2]]
        if not valid:
            assert result.cancelled_missing == []
            return
        first = min(DAYS[v[0][0]] + dt.timedelta(hours=v[0][1]) for _, v in valid)
        last = max(DAYS[v[0][0]] + dt.timedelta(hours=v[0][1]) for _, v in valid)
        since = first.replace(hour=0)
        until = last.replace(hour=0) + dt.timedelta(days=1)
        sessions = {v[0][2] for _, v in valid}
        scope = set(
            Intervention.objects.filter(
                status="A",
                session__guid__in=sessions,
                start__gte=since,
                start__lt=until,
            ).values_list("guid", flat=True)
        )
        expected = {f"IV-{k}" for k, v in valid if v[1] == "A"}
        # what a row with errors names is never cancelled: it stays as it was
        expected |= {
            f"IV-{k}" for k, v in file.items() if v[2] and k in before and f"IV-{k}" in scope
        }
        assert scope == expected
        cancelled = {f"IV-{k}" for k in before if f"IV-{k}" in result.cancelled_missing}
        assert all(Intervention.objects.get(guid=g).status == "C" for g in cancelled)
