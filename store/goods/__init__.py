"""Donated goods: categories, intake, the stock ledger, price labels, inventory."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile

FLOOR = frozenset({Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.goods import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    register_tile(Tile("goods.intake", _l("Take in goods"), "box", FLOOR, 20))
    register_tile(Tile("goods.items", _l("Find items"), "tag", FLOOR, 30))
