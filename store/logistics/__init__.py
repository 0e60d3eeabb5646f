"""Furniture on the move: donation pick-ups (the public offer form, screening, vans and their days,
route sheets, intake from an offer, thanks to the donor), and deliveries of sold furniture on the
same vans and route sheets."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import STAFF, Role
from store.core.web import Tile, register_tile


def cubic_metres(litres: int | None) -> str:
    """1500 → "1,5" (German) or "1.5": loads are entered in litres' thousands, shown in m³."""
    from babel.numbers import format_decimal

    from store.core.i18n import locale_name

    return format_decimal((litres or 0) / 1000, "0.0", locale=locale_name())


def init_app(app: Flask) -> None:
    from store.logistics import (  # noqa: F401
        api,
        cli,
        delivery_views,
        personal_data,
        public_views,
        route_views,
        views,
    )

    app.config.setdefault("PICKUP_RETENTION_DAYS", 30)
    app.config.setdefault("OFFERS_PER_HOUR", 5)
    app.config.setdefault("OFFER_MIN_SECONDS", 4)
    app.jinja_env.filters["m3"] = cubic_metres
    app.register_blueprint(public_views.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    personal_data.init_app(app)
    register_tile(Tile("logistics.offers", _l("Pick-ups"), "box", frozenset(STAFF), 40))
    register_tile(Tile("logistics.day", _l("Van days"), "list", frozenset({Role.TRAINEE, *STAFF}), 41))
