"""Working time: break rule, pairs, DST-correct durations (pure functions and the services)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from store.core.audit import Actor
from store.core.timeutil import local_day_bounds
from store.extensions import db
from store.shifts import services, sheets, worktime
from store.shifts.models import ClockEvent, ClockKind
from tests.shifts.conftest import BERLIN, local, t

RULES = [(360, 30), (540, 45)]


@pytest.mark.parametrize(
    "worked, taken, deducted",
    [
        (0, 0, 0),
        (360, 0, 0),  # exactly 6 h: no break needed
        (361, 0, 1),  # 6:01 h becomes 6:00 h
        (370, 0, 10),
        (390, 0, 30),  # 6:30 h presence: 6:00 h work + 30 min break
        (480, 0, 30),  # 8 h → 7:30 h
        (540, 0, 30),
        (541, 0, 30),  # 9:01 h → 8:31 h (the break makes it ≤ 9 h of work)
        (570, 0, 30),
        (571, 0, 31),  # 9:31 h: between 9:30 and 9:45, work stays at 9:00 h
        (585, 0, 45),
        (600, 0, 45),  # 10 h → 9:15 h
        (480, 30, 0),  # a 30-minute break clocked out and in counts
        (480, 20, 10),  # a shorter one is topped up
        (600, 30, 15),
    ],
)
def test_break_rule(worked, taken, deducted):
    assert worktime.break_deduction(worked, taken, RULES) == deducted


def test_more_presence_never_yields_less_work():
    nets = [m - worktime.break_deduction(m, 0, RULES) for m in range(0, 700)]
    assert all(b >= a for a, b in zip(nets, nets[1:], strict=False))


def _event(n, kind, at, replaces=None):
    return ClockEvent(
        id=n,
        seq=n,
        user_id=1,
        kind=ClockKind(kind),
        at=at.astimezone(UTC),
        recorded_at=at,
        source="web",
        replaces_id=replaces,
    )


def test_pairs_and_counter_entries(app):
    day = date(2026, 5, 4)
    events = [
        _event(1, "in", local(day, "08:00")),
        _event(2, "out", local(day, "18:00")),
        # a supervisor moves the out to 12:00 and adds an afternoon
        _event(3, "out", local(day, "12:00"), replaces=2),
        _event(4, "in", local(day, "12:30")),
        _event(5, "out", local(day, "16:30")),
    ]
    clock = worktime.by_day(events, BERLIN, RULES)[day]
    assert [(p.start.id, p.end.id) for p in clock.pairs] == [(1, 3), (4, 5)]
    assert clock.worked == 8 * 60 and clock.taken_break == 30 and clock.deducted_break == 0
    assert clock.net == 480 and clock.is_complete
    # a void removes an entry: the day then lacks its clock-out
    events.append(_event(6, "void", local(day, "16:30"), replaces=5))
    clock = worktime.by_day(events, BERLIN, RULES)[day]
    assert clock.missing_out and not clock.is_complete and clock.worked == 240


def test_local_days_are_23_and_25_hours_long(app):
    for day, hours in ((date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)):
        start, end = local_day_bounds(day)
        assert end - start == timedelta(hours=hours)


def test_night_into_summer_time(app, crew):
    """Sat 28 March 2026 22:00 CET to Sun 29 March 06:00 CEST: 7 real hours, not 8."""
    saturday = date(2026, 3, 28)
    start, end = local(saturday, "22:00"), local(saturday + timedelta(days=1), "06:00")
    assert (end - start) == timedelta(hours=7)
    _clock_pair(crew, start, end)
    clock = services.day_clocks([crew.olena.id], saturday, saturday)[(crew.olena.id, saturday)]
    assert clock.worked == 7 * 60 and clock.deducted_break == 30 and clock.net == 390
    assert (crew.olena.id, saturday + timedelta(days=1)) not in services.day_clocks(
        [crew.olena.id], saturday, saturday + timedelta(days=1)
    )
    # the planned night shift is 7 hours, too
    shift = services.assign_shift(
        crew.sup,
        user_id=crew.olena.id,
        station_id=crew.kasse.id,
        day=saturday,
        starts_at=t("22:00"),
        ends_at=t("06:00"),
    )
    assert shift.minutes == 7 * 60
    sheet = sheets.month_sheet(crew.olena, 2026, 3)
    row = next(d for d in sheet.days if d.day == saturday)
    assert row.clocked == 390 and row.planned == 390  # 7 h planned: 6:30 h work after the break


def test_night_out_of_summer_time(app, crew):
    """Sat 24 October 2026 22:00 CEST to Sun 25 October 06:00 CET: 9 real hours, not 8."""
    saturday = date(2026, 10, 24)
    start, end = local(saturday, "22:00"), local(saturday + timedelta(days=1), "06:00")
    assert (end - start) == timedelta(hours=9)
    _clock_pair(crew, start, end)
    clock = services.day_clocks([crew.olena.id], saturday, saturday)[(crew.olena.id, saturday)]
    assert clock.worked == 9 * 60 and clock.net == 510  # 9 h presence: 30 min break
    entry = services.confirm_attendance(
        crew.sup, crew.olena, saturday, "present", now=end + timedelta(hours=1)
    )
    assert entry.minutes == 510 and entry.break_minutes == 30


def test_clocked_across_the_changed_hour_itself(app, crew):
    """In at 1:30 and out at 3:30 local on the March night: one real hour."""
    sunday = date(2026, 3, 29)
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 1:30 CET
    end = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 3:30 CEST
    assert start.astimezone(BERLIN).hour == 1 and end.astimezone(BERLIN).hour == 3
    _clock_pair(crew, start, end)
    clock = services.day_clocks([crew.olena.id], sunday, sunday)[(crew.olena.id, sunday)]
    assert clock.worked == 60
    assert services.clock_time(start) == "1:30" and services.clock_time(end) == "3:30"


def _clock_pair(crew, start, end):
    actor = Actor(user=crew.olena, source="web", till_id=None)
    services.clock(actor, crew.olena, "in", now=start)
    services.clock(actor, crew.olena, "out", now=end)
    db.session.commit()
