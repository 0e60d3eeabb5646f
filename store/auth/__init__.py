"""Users, roles, sign-in (password, badge, PIN), API tokens and the admin pages for them."""

import time

from flask import Flask, flash, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile
from store.extensions import db, login_manager


def init_app(app: Flask) -> None:
    from store.auth import (
        api,
        models,
        personal_data,  # noqa: F401 - registers its personal data (Art. 15)
        views,
    )

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in.")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        if session.get("till_mode"):
            last = session.get("last_seen", 0)
            if time.time() - last > app.config["TILL_IDLE_SECONDS"]:
                session.clear()
                flash(_("You were signed out because nobody used the till for a while."), "info")
                return None
            if not request.path.startswith("/static/"):
                session["last_seen"] = int(time.time())
        user = db.session.get(models.User, int(user_id))
        return user if user is not None and user.is_active_account else None

    @login_manager.request_loader
    def load_user_from_token(req):
        header = req.headers.get("Authorization", "")
        if req.path.startswith("/api/") and header.startswith("Bearer "):
            from store.auth.services import user_for_token

            return user_for_token(header.removeprefix("Bearer ").strip())
        return None

    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.register_blueprint(api.bp)
    register_tile(Tile("admin.users", _l("Users"), "users", frozenset({Role.ADMIN}), 80))
    register_tile(Tile("admin.tokens", _l("API tokens"), "key", frozenset({Role.ADMIN}), 85))
    register_tile(
        Tile("admin.audit_log", _l("Audit log"), "list", frozenset({Role.ADMIN, Role.COORDINATOR}), 90)
    )
    register_tile(Tile("auth.account", _l("My account"), "person", frozenset(Role), 200))
