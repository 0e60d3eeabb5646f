"""Donated goods: categories, intake, the stock ledger, price labels, inventory."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile

FLOOR = frozenset({Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN})


def init_app(app: Flask) -> None:
    from store.goods import admin_views, api, inventory_views, views
    from store.goods.pictograms import pictogram

    app.jinja_env.globals["pictogram"] = pictogram  # a picture on every category and article button
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(inventory_views.bp)
    from store.goods import reservation_api, reservation_cli, reservation_views

    app.register_blueprint(reservation_views.bp)
    app.register_blueprint(reservation_api.bp)
    reservation_cli.init_app(app)
    from store.goods import transfer_api, transfer_views

    app.register_blueprint(transfer_views.bp)
    app.register_blueprint(transfer_api.bp)
    register_tile(
        Tile(
            "transfers.new",
            _l("Transfer goods"),
            "box",
            frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN}),
            37,
        )
    )
    register_tile(Tile("reservations.reservations", _l("Reservations"), "calendar", FLOOR, 31))
    register_tile(Tile("goods.intake", _l("Take in goods"), "box", FLOOR, 20))
    register_tile(Tile("goods.items", _l("Find items"), "tag", FLOOR, 30))
    register_tile(Tile("inventory.stocktakes", _l("Stocktake"), "list", FLOOR, 35))
    register_tile(Tile("inventory.ageing", _l("Old stock"), "chart", FLOOR, 36))
    register_tile(
        Tile("goods_admin.categories", _l("Categories"), "folder", frozenset({Role.ADMIN}), 60)
    )
    register_tile(
        Tile(
            "goods_admin.articles", _l("Price list"), "tag", frozenset({Role.ADMIN, Role.SUPERVISOR}), 61
        )
    )
    register_tile(Tile("goods_admin.settings", _l("Settings"), "settings", frozenset({Role.ADMIN}), 95))
