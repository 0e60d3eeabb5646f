"""Fixtures for shifts and attendance: two stations, two trainees with agreements, staff."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from store.core.audit import Actor
from store.extensions import db
from store.shifts import services

BERLIN = ZoneInfo("Europe/Berlin")


def local(day: date, hhmm: str) -> datetime:
    """A wall-clock time in Berlin as an aware UTC datetime (as the database keeps it).

    UTC matters: Python subtracts two datetimes of the same zone by their wall clocks.
    """
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=BERLIN).astimezone(UTC)


def t(hhmm: str) -> time:
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return time(hours, minutes)


@pytest.fixture
def crew(app, make_user):
    """Kasse and Warenannahme (staffed Mon–Fri), Olena (AGH 20 h, Mon–Fri, 1,50 €/h, 24 months)
    and Ahmad (internship 30 h, Mon–Thu, no allowance), a supervisor and a coordinator."""
    system = Actor.system()
    c = SimpleNamespace()
    c.kasse = services.save_station(system, None, name="Kasse", staffed_weekdays=[0, 1, 2, 3, 4], sort=1)
    c.annahme = services.save_station(
        system, None, name="Warenannahme", staffed_weekdays=[0, 1, 2, 3, 4], sort=2
    )
    db.session.commit()
    c.olena = make_user(
        "trainee", first_name="Olena", last_name="Kovalenko", badge="1000001", pin="1001"
    )
    c.ahmad = make_user("trainee", first_name="Ahmad", last_name="Haidari", badge="1000002", pin="1002")
    c.supervisor = make_user(
        "supervisor", first_name="Michael", last_name="Schulz", badge="9000001", pin="9001"
    )
    c.coordinator = make_user("coordinator", first_name="Katrin", last_name="Vogel")
    c.admin = make_user("admin", first_name="Andrea", last_name="Admin")
    c.olena_agreement = services.save_agreement(
        system,
        None,
        user_id=c.olena.id,
        measure="agh",
        starts_on=date(2025, 1, 1),
        ends_on=None,
        weekly_minutes=20 * 60,
        workdays=[0, 1, 2, 3, 4],
        hourly_allowance_cents=150,
        max_months=24,
    )
    c.ahmad_agreement = services.save_agreement(
        system,
        None,
        user_id=c.ahmad.id,
        measure="internship",
        starts_on=date(2025, 1, 1),
        ends_on=None,
        weekly_minutes=30 * 60,
        workdays=[0, 1, 2, 3],
        hourly_allowance_cents=None,
        max_months=None,
    )
    db.session.commit()
    c.sup = Actor(user=c.supervisor, source="web")
    c.coord = Actor(user=c.coordinator, source="web")
    return c


def till_login(client, badge: str):
    """Sign in at the till by badge, as the scanner does."""
    response = client.post("/login/till", data={"badge": badge})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
