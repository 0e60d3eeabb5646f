"""Demo stations, agreements and templates; the plan of the past weeks, this week and next week;
and four weeks of clock entries and confirmed days, with a few absences and one correction."""

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor
from store.core.timeutil import add_months, local_today, utcnow
from store.extensions import db
from store.shifts import services
from store.shifts.models import Agreement, AttendanceCode, Shift, ShiftTemplate, Station

STATIONS = [
    ("Kasse", [0, 1, 2, 3, 4]),
    ("Warenannahme", [0, 1, 2, 3, 4]),
    ("Sortierung", [0, 1, 2, 3, 4]),
    ("Lager", [0, 1, 2, 3, 4]),
    ("Möbel/Transport", [0, 2, 4]),
]

# username: (measure, hours a week, workdays, allowance per hour, longest months, months ago)
AGREEMENTS = {
    "azubi01": ("agh", 25, [0, 1, 2, 3, 4], 150, 24, 23),
    "azubi02": ("agh", 20, [0, 1, 2, 3, 4], 150, 24, 3),
    "azubi03": ("tam", 30, [0, 1, 2, 3, 4], None, None, 14),
    "azubi04": ("agh", 25, [0, 1, 2, 3, 4], 150, 24, 7),
    "azubi05": ("internship", 30, [0, 1, 2, 3, 4], None, 3, 1),
    "azubi06": ("agh", 30, [0, 1, 2, 3, 4], 150, 24, 10),
    "azubi07": ("agh", 20, [0, 1, 2, 3, 4], 150, 24, 5),
    "azubi08": ("tam", 30, [0, 1, 2, 3, 4], None, None, 20),
    "azubi09": ("agh", 25, [0, 1, 2, 3, 4], 150, 24, 2),
    "azubi10": ("internship", 30, [0, 1, 2, 3, 4], None, 2, 1),
    "azubi11": ("agh", 20, [0, 1, 2, 3], 150, 24, 6),
    "azubi12": ("agh", 30, [0, 1, 2, 3, 4], 150, 24, 9),
}

# station, weekdays, from, to, members
TEMPLATES = [
    ("Kasse", [0, 1, 2, 3, 4], "09:00", "13:00", ["azubi02"]),
    ("Kasse", [0, 1, 2, 3, 4], "12:00", "17:00", ["azubi01"]),
    ("Kasse", [0, 1, 2, 3, 4], "09:00", "16:00", ["azubi10"]),
    ("Warenannahme", [0, 1, 2, 3, 4], "08:00", "14:00", ["azubi03", "azubi06"]),
    ("Warenannahme", [0, 1, 3, 4], "09:00", "13:00", ["azubi07"]),
    ("Sortierung", [0, 1, 2, 3, 4], "09:00", "14:00", ["azubi04", "azubi09"]),
    ("Sortierung", [0, 1, 2, 3], "09:00", "13:00", ["azubi11"]),
    ("Lager", [0, 1, 2, 3, 4], "08:00", "14:00", ["azubi08", "azubi12"]),
    ("Lager", [1, 3], "08:00", "14:00", ["azubi05"]),
    ("Möbel/Transport", [0, 2, 4], "08:00", "14:00", ["azubi05"]),
]


def _months_ago(today: date, months: int) -> date:
    """A day early in the month `months` before today's (which day depends on today's)."""
    return add_months(today.replace(day=1), -months) + timedelta(days=today.day % 20)


def _trainees() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(sa.select(User).where(User.role == Role.TRAINEE))}


def load_stations(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Station)):
        return False
    for sort, (name, days) in enumerate(STATIONS, start=1):
        services.save_station(actor, None, name=name, staffed_weekdays=days, sort=sort)
    return True


def load_agreements(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)):
        return False
    today = local_today()
    coordinator = db.session.scalar(sa.select(User).where(User.role == Role.COORDINATOR))
    who = Actor(user=coordinator, source="cli") if coordinator else actor
    people = _trainees()
    for username, (measure, hours, days, rate, months, ago) in AGREEMENTS.items():
        if username not in people:
            continue
        starts = _months_ago(today, ago)
        if username == "azubi01":  # 24 months end in a few days: the planner warns
            starts = services.months_after(today + timedelta(days=5), -24)
        ends = services.months_after(starts, months) - timedelta(days=1) if months else None
        services.save_agreement(
            who,
            None,
            user_id=people[username].id,
            measure=measure,
            starts_on=starts,
            ends_on=ends,
            weekly_minutes=hours * 60,
            workdays=days,
            hourly_allowance_cents=rate,
            max_months=months,
        )
    return True


def load_templates(actor: Actor) -> bool:
    if db.session.scalar(sa.select(sa.func.count()).select_from(ShiftTemplate)):
        return False
    stations = {s.name: s for s in services.list_stations()}
    people = _trainees()
    for station, days, starts, ends, members in TEMPLATES:
        services.save_template(
            actor,
            None,
            station_id=stations[station].id,
            weekdays=days,
            starts_at=services.parse_time(starts, "starts_at"),
            ends_at=services.parse_time(ends, "ends_at"),
            member_ids=[people[m].id for m in members if m in people],
        )
    return True


def load_shifts(actor: Actor, seed: int = 7) -> bool:
    """The plan from four weeks back to next week, and what happened on the past days."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Shift)):
        return False
    rng = random.Random(seed)
    days = current_app.config.get("DEMO_HISTORY_DAYS", 28)
    today = local_today()
    now = utcnow()
    supervisor = db.session.scalar(sa.select(User).where(User.role == Role.SUPERVISOR))
    boss = Actor(user=supervisor, source="web") if supervisor else actor
    first = today - timedelta(days=days)
    monday = services.week_start(first)
    while monday <= services.week_start(today) + timedelta(days=7):
        services.plan_week(
            boss, monday, now=min(now, services.local_instant(monday - timedelta(days=3), time(10, 0)))
        )
        monday += timedelta(days=7)
    db.session.flush()
    people = _trainees()
    absences = _absences(people, today, days)
    day = first
    while day <= today:
        for shift in services.shifts_between(day, day):
            user = shift.user
            code = absences.get((user.username, day))
            if code is not None:
                _absent(boss, user, day, code, rng)
                continue
            _worked(boss, shift, rng, day, today, now)
        if day < today - timedelta(days=1):
            services.confirm_clocked(
                boss, day, now=services.local_instant(day + timedelta(days=1), time(9, 15))
            )
        day += timedelta(days=1)
    return True


def _absences(people: dict, today: date, days: int) -> dict[tuple[str, date], str]:
    """A sick week with a certificate, two days of leave, Wednesdays at the language course,
    one unexcused day."""
    found = {}
    start = today - timedelta(days=min(days, 18))
    for n in range(3):
        found[("azubi04", start + timedelta(days=n))] = "sick_certificate"
    found[("azubi09", today - timedelta(days=min(days, 9)))] = "leave"
    found[("azubi09", today - timedelta(days=min(days, 8)))] = "leave"
    found[("azubi12", today - timedelta(days=min(days, 6)))] = "unexcused"
    found[("azubi02", today - timedelta(days=min(days, 12)))] = "sick_no_certificate"
    return {k: v for k, v in found.items() if k[0] in people and k[1] < today}


def _absent(boss: Actor, user: User, day: date, code: str, rng) -> None:
    if services.effective_entries([user.id], day, day):
        return
    until = None
    if code == "sick_certificate":
        until = day + timedelta(days=2)
    services.confirm_attendance(
        boss, user, day, code, certificate_until=until, now=services.local_instant(day, time(8, 30))
    )


def _worked(boss: Actor, shift: Shift, rng, day: date, today: date, now: datetime) -> None:
    user = shift.user
    actor = Actor(user=user, source="web", till_id=None)
    late = rng.choice([0, 0, 0, 0, 0, 0, 2, 4, 9, 17])
    start = shift.starts_at + timedelta(minutes=rng.randrange(-12, 3) + late)
    end = shift.ends_at + timedelta(minutes=rng.randrange(-4, 9))
    if start > now:
        return
    services.clock(actor, user, "in", now=start)
    if day == today - timedelta(days=1) and user.username == "azubi12":
        return  # forgot to clock out yesterday: the supervisor sees it on the start screen
    if end > now:
        return  # still here
    if user.username == "azubi06" and day.weekday() == 1 and day < today - timedelta(days=2):
        # pressed Gehen at lunch by mistake; the supervisor corrected it to the real end
        event = services.clock(actor, user, "out", now=start + timedelta(hours=3))
        services.correct_clock_event(
            boss,
            event,
            at=end,
            reason="Gehen in der Pause gedrückt, bis Schichtende da",
            now=end + timedelta(hours=1),
        )
    else:
        services.clock(actor, user, "out", now=end)
    if user.username == "azubi07" and day.weekday() == 1:
        # Wednesday is her language course at a partner
        wednesday = day + timedelta(days=1)
        if wednesday < today and not services.effective_entries([user.id], wednesday, wednesday):
            services.confirm_attendance(
                boss,
                user,
                wednesday,
                AttendanceCode.EXTERNAL_MEASURE,
                note="Deutschkurs (B1)",
                now=services.local_instant(wednesday, time(16, 0)),
            )
