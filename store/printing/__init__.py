"""Printers and the print queue shared by labels (goods) and receipts (till)."""

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_notice, register_tile
from store.printing.services import problems


def printer_notices(user) -> list:
    """Supervisors see waiting print jobs at once on their start screen."""
    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        return []
    waiting = problems()
    if not waiting:
        return []
    last = waiting[-1]
    return [
        (
            "warning",
            _(
                "%(n)s print job(s) are waiting. %(printer)s: %(error)s",
                n=len(waiting),
                printer=last.printer.name,
                error=last.last_error or "",
            ),
            "printing.jobs",
        )
    ]


def init_app(app: Flask) -> None:
    from store.printing import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    register_notice(printer_notices)
    register_tile(
        Tile("printing.jobs", _l("Print jobs"), "printer", frozenset({Role.SUPERVISOR, Role.ADMIN}), 70)
    )
    register_tile(Tile("printing.printers", _l("Printers"), "printer", frozenset({Role.ADMIN}), 75))
