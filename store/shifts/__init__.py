"""Trainee shifts: stations, agreements, the week plan, clocking in and out at the till,
confirmed attendance, and the monthly hours sheets for the Jobcenter."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_notice, register_panel, register_tile

PLANNERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
CONFIRMERS = frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN})
KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.core.timeutil import to_local
    from store.shifts import (
        api,
        cli,
        personal_data,  # noqa: F401 - registers its personal data (Art. 15)
        services,
        views,
    )
    from store.shifts.worktime import format_minutes

    services.defaults(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.attendance_bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    app.jinja_env.filters["hours"] = format_minutes
    app.jinja_env.filters["clocktime"] = services.clock_time
    app.jinja_env.filters["daylabel"] = services.day_label
    app.jinja_env.filters["longday"] = services.long_day_label
    app.jinja_env.filters["plainhours"] = services.hours_plain
    app.jinja_env.filters["tod"] = lambda t: f"{t.hour}:{t.minute:02d}"
    app.jinja_env.filters["localdate"] = lambda moment: to_local(moment).date()
    app.jinja_env.filters["timeinput"] = lambda moment: to_local(moment).strftime("%H:%M")

    register_panel(views.clock_panel)
    register_notice(views.missing_clock_out_notice)
    register_tile(Tile("shifts.mine", _l("My shifts"), "calendar", frozenset({Role.TRAINEE}), 5))
    register_tile(Tile("attendance.my_hours", _l("My hours"), "clock", frozenset({Role.TRAINEE}), 6))
    register_tile(Tile("shifts.plan", _l("Shift plan"), "calendar", PLANNERS, 40))
    register_tile(Tile("attendance.day", _l("Attendance"), "clock", CONFIRMERS, 42))
    register_tile(Tile("attendance.months", _l("Hours sheets"), "list", CONFIRMERS, 44))
    register_tile(Tile("attendance.agreements", _l("Agreements"), "folder", KEEPERS, 46))
    register_tile(Tile("shifts.stations", _l("Stations"), "settings", frozenset({Role.ADMIN}), 64))
