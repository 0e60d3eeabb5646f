"""Branches (Filialen): several shops of one provider in one system.

- models:   Branch, which users work where (user_branch), the BranchOwned mixin of tills, printers,
            stations and items
- services: who sees which branch (`visible_ids`, `current`, `scope`), keeping branches and members
- views:    the admin pages and the header's branch switcher
- api:      GET/POST /api/v1/branches
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile


def init_app(app: Flask) -> None:
    from store.branches import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    views.init_app(app)
    register_tile(Tile("branches.index", _l("Branches"), "shop", frozenset({Role.ADMIN}), 76))
