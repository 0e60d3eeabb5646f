"""The till: sell, take payment, print the receipt, open the drawer, close the day."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile

SELLERS = frozenset({Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.till import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    # register_tile(Tile("till.index", _l("Till"), "cart", SELLERS, 10))
