"""Kommen/Gehen at the till: one scan, one press; refusals book nothing; corrections are
counter-entries; forgotten clock-outs are flagged the next day and never filled in."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from store.core.audit import Actor, AuditEntry
from store.core.errors import ConflictError, ValidationError
from store.core.timeutil import utcnow
from store.extensions import db
from store.shifts import services
from store.shifts.models import ClockEvent, ClockKind
from store.till import services as till_services
from tests.conftest import tr
from tests.shifts.conftest import local, till_login


def events(user=None):
    db.session.expire_all()
    query = sa.select(ClockEvent).order_by(ClockEvent.id)
    if user is not None:
        query = query.where(ClockEvent.user_id == user.id)
    return list(db.session.scalars(query))


@pytest.mark.clock  # 10:00:00: the minute the page shows is still the minute the test reads
def test_badge_scan_shows_the_buttons_and_one_press_clocks_in(app, crew, client):
    till = till_services.save_till(Actor.system(), None, name="Kasse 1", serial="K1")
    db.session.commit()
    till_login(client, "1000001")
    client.post("/till/select", data={"till_id": till.id})  # this device is Kasse 1
    home = client.get("/").get_data(as_text=True)
    assert 'id="clock-in"' in home and 'id="clock-out"' in home
    assert tr("You have not clocked in yet.") in home

    response = client.post("/clock", data={"action": "in"}, follow_redirects=True)
    now = services.clock_time(utcnow())
    page = response.get_data(as_text=True)
    assert tr("Clocked in at %(time)s.", time=now) in page
    assert tr("You are here since %(time)s.", time=now) in page
    [event] = events(crew.olena)
    assert event.kind == ClockKind.IN and event.till_id == till.id and event.source == "web"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "clock.in"))

    # Gehen: recorded, said clearly, and the till is free for the next person
    response = client.post("/clock", data={"action": "out"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/till")
    page = client.get("/login/till").get_data(as_text=True)
    assert (
        tr(
            "Clocked out at %(time)s. Goodbye, %(name)s!",
            time=services.clock_time(events(crew.olena)[-1].at),
            name="Olena",
        )
        in page
    )
    assert [e.kind for e in events(crew.olena)] == [ClockKind.IN, ClockKind.OUT]


@pytest.mark.clock  # both presses on the same day: no midnight in between
def test_out_without_in_and_double_in_are_refused_and_book_nothing(app, crew, client):
    till_login(client, "1000001")
    page = client.post("/clock", data={"action": "out"}, follow_redirects=True)
    assert tr("You have not clocked in. Press “Clock in” first.") in page.get_data(as_text=True)
    assert events() == []
    client.post("/clock", data={"action": "in"})
    page = client.post("/clock", data={"action": "in"}, follow_redirects=True)
    first = events()[0]
    assert tr(
        "You clocked in already at %(time)s. To leave, press “Clock out”.",
        time=services.clock_time(first.at),
    ) in page.get_data(as_text=True)
    assert len(events()) == 1
    page = client.post("/clock", data={"action": "lunch"}, follow_redirects=True)
    assert tr("Please press “Clock in” or “Clock out”.") in page.get_data(as_text=True)
    assert len(events()) == 1


def test_clocking_needs_the_till_not_a_password_sign_in(app, crew, client, login):
    login(crew.olena)
    assert 'id="clock-in"' not in client.get("/").get_data(as_text=True)
    page = client.post("/clock", data={"action": "in"}, follow_redirects=True)
    assert tr("Please clock in and out at a till: scan your card there.") in page.get_data(as_text=True)
    assert events() == []


def test_staff_cannot_clock_as_participants(app, crew):
    with pytest.raises(ValidationError):
        services.clock(crew.sup, crew.supervisor, "in")


def test_an_old_open_clock_in_does_not_block_today_and_is_flagged_next_day(app, crew, client, login):
    monday = date(2026, 5, 4)
    actor = Actor(user=crew.olena)
    services.clock(actor, crew.olena, "in", now=local(monday, "08:55"))
    db.session.commit()
    # still Monday evening: not flagged yet
    assert services.missing_clock_outs(now=local(monday, "20:00")) == []
    # Tuesday morning: flagged for the supervisor, and she can clock in again
    tuesday = local(monday + timedelta(days=1), "08:50")
    [missing] = services.missing_clock_outs(now=tuesday)
    assert missing.user.id == crew.olena.id and missing.day == monday
    with pytest.raises(ConflictError) as refused:
        services.clock(actor, crew.olena, "out", now=tuesday)
    assert "8:55" in refused.value.message  # "your last clock-in (Mon, 8:55) is too long ago"
    services.clock(actor, crew.olena, "in", now=tuesday)
    db.session.commit()
    # nothing was filled in
    assert [e.kind for e in events(crew.olena)] == [ClockKind.IN, ClockKind.IN]
    clock = services.day_clocks([crew.olena.id], monday, monday)[(crew.olena.id, monday)]
    assert clock.missing_out and clock.net == 0

    # the supervisor adds the Gehen as a correction: the flag goes away
    services.add_clock_event(
        crew.sup,
        crew.olena,
        "out",
        local(monday, "13:05"),
        "forgot to clock out, left at 13:05",
        now=tuesday,
    )
    db.session.commit()
    assert services.missing_clock_outs(now=tuesday) == []
    clock = services.day_clocks([crew.olena.id], monday, monday)[(crew.olena.id, monday)]
    assert clock.is_complete and clock.net == 250


@pytest.mark.clock  # "yesterday" in the store's zone is the UTC date's yesterday, a workday
def test_notice_on_the_supervisors_start_screen(app, crew, client, login):
    yesterday = services.local_instant(
        date.today() - timedelta(days=1), services.parse_time("08:00", "t")
    )
    services.clock(Actor(user=crew.olena), crew.olena, "in", now=yesterday)
    db.session.commit()
    login(crew.supervisor)
    home = client.get("/").get_data(as_text=True)
    assert (
        tr(
            "Clock-out missing (%(n)s): %(names)s",
            n=1,
            names=(f"{crew.olena.short_name} ({services.day_label(yesterday.date())})"),
        )
        in home
    )
    day_page = client.get("/attendance").get_data(as_text=True)
    assert crew.olena.short_name in day_page


def test_corrections_are_counter_entries_and_the_history_shows_both(app, crew, client, login):
    day = date(2026, 5, 5)
    actor = Actor(user=crew.olena)
    services.clock(actor, crew.olena, "in", now=local(day, "09:00"))
    services.clock(actor, crew.olena, "out", now=local(day, "17:30"))
    db.session.commit()
    out = events(crew.olena)[-1]
    login(crew.supervisor)
    # a correction without a reason is refused and books nothing
    response = client.post(
        f"/attendance/clock/{out.id}/fix",
        data={"day": day.isoformat(), "time": "13:00", "reason": ""},
        follow_redirects=True,
    )
    assert tr("Please give a reason for the correction.") in response.get_data(as_text=True)
    assert len(events()) == 2
    response = client.post(
        f"/attendance/clock/{out.id}/fix",
        data={"day": day.isoformat(), "time": "13:00", "reason": "went home at 13:00", "action": "move"},
    )
    assert response.status_code == 302
    rows = events(crew.olena)
    assert len(rows) == 3 and rows[-1].replaces_id == out.id
    assert rows[-1].recorded_by_id == crew.supervisor.id and rows[-1].reason
    assert services.clock_time(rows[-1].at) == "13:00" and services.clock_time(out.at) == "17:30"
    clock = services.day_clocks([crew.olena.id], day, day)[(crew.olena.id, day)]
    assert clock.net == 240
    page = client.get(f"/attendance?day={day.isoformat()}").get_data(as_text=True)
    assert "17:30" in page and "13:00" in page and "went home at 13:00" in page
    # the replaced entry cannot be corrected again; the newest can
    with pytest.raises(ConflictError):
        services.correct_clock_event(crew.sup, out, at=local(day, "12:00"), reason="x")
    services.correct_clock_event(
        crew.sup, rows[-1], void=True, reason="was not here", now=local(day, "18:00")
    )
    db.session.commit()
    assert services.day_clocks([crew.olena.id], day, day)[(crew.olena.id, day)].missing_out


def test_clock_events_refuse_update_and_delete_in_the_database(app, crew):
    services.clock(Actor(user=crew.olena), crew.olena, "in")
    db.session.commit()
    for statement in ("UPDATE clock_event SET kind = 'out'", "DELETE FROM clock_event"):
        with pytest.raises(sa.exc.DatabaseError):
            with db.engine.begin() as conn:
                conn.execute(sa.text(statement))
    assert len(events()) == 1


def test_two_tills_pressing_at_the_same_moment_book_once(app, crew):
    """The per-person counter is unique: the second insert of the same number fails."""
    now = utcnow()
    first = services.clock(Actor(user=crew.olena), crew.olena, "in", now=now)
    db.session.commit()
    twin = ClockEvent(
        user_id=crew.olena.id, seq=first.seq, kind=ClockKind.IN, at=now, recorded_at=now, source="web"
    )
    db.session.add(twin)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert len(events()) == 1
