"""Printers and the print queue shared by labels (goods) and receipts (till)."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile


def init_app(app: Flask) -> None:
    from store.printing import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    register_tile(Tile("printing.jobs", _l("Print jobs"), "printer",
                       frozenset({Role.SUPERVISOR, Role.ADMIN}), 70))
    register_tile(Tile("printing.printers", _l("Printers"), "printer",
                       frozenset({Role.ADMIN}), 75))
