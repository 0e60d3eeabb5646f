"""Reports: what the store achieves, on one page and in the funders' report — turnover, the goods
flow, sales to entitlement-card holders (§66 AO), hours, skills progress and the environmental
impact, each for a period against the period before; the trainee's own till figures. Reads every
area below it; writes nothing but audit entries for the funders' files."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile

READERS = frozenset({Role.SUPERVISOR, Role.COORDINATOR})


def init_app(app: Flask) -> None:
    from store.reports import api, cli, models, views  # noqa: F401 - models: the reports' indexes

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    register_tile(Tile("reports.dashboard_page", _l("Reports"), "chart", READERS, 50))
    register_tile(Tile("reports.my_till", _l("My till figures"), "chart", frozenset({Role.TRAINEE}), 8))
