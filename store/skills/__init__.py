"""Skills: a catalogue of work and key skills, dated assessments by supervisors and
self-assessments by participants (never overwritten), goals, evidence from the bookings, and the
one-page skills report (Kompetenznachweis). Builds on shifts (hours per station)."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile

STAFF = frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN})
KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.skills import (
        api,
        personal_data,  # noqa: F401 - registers its personal data (Art. 15)
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    register_tile(Tile("skills.mine", _l("My skills"), "star", frozenset({Role.TRAINEE}), 7))
    register_tile(Tile("skills.overview", _l("Skills"), "chart", STAFF, 48))
    register_tile(Tile("skills.catalogue", _l("Skill catalogue"), "list", KEEPERS, 66))
