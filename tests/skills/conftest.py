"""Fixtures for skills: two participants, a supervisor, a coordinator, an admin, the catalogue."""

from types import SimpleNamespace

import pytest

from store.core.audit import Actor
from store.skills import services


@pytest.fixture
def team(app, make_user):
    t = SimpleNamespace()
    t.olena = make_user("trainee", first_name="Olena", last_name="Kovalenko", badge="1000101")
    t.ahmad = make_user("trainee", first_name="Ahmad", last_name="Haidari", badge="1000102")
    t.supervisor = make_user("supervisor", first_name="Michael", last_name="Schulz")
    t.coordinator = make_user("coordinator", first_name="Katrin", last_name="Vogel")
    t.admin = make_user("admin")
    t.sup = Actor(user=t.supervisor, source="web")
    t.coord = Actor(user=t.coordinator, source="web")
    t.skills = {s.name: s for s in services.skills()}
    return t


def rate(team, *pairs):
    """[(skill name, level), …] → RatingInput list."""
    return [services.RatingInput(team.skills[name].id, level) for name, level in pairs]
