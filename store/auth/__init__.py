"""Users, roles, sign-in (password, badge, PIN), API tokens and the admin pages for them."""

import time

from flask import Flask, abort, flash, g, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from store.core.access import Role
from store.core.web import Tile, register_tile
from store.extensions import db, login_manager

# What a token with the scope "print" may call: the print agent's two endpoints (store.printing.api).
PRINT_AGENT_ENDPOINTS = frozenset({"printing_api.agent_claim", "printing_api.agent_done"})


def token_branch() -> int | None:
    """The branch of this request's API token (a print agent's of one branch); None: every branch."""
    return g.get("api_token_branch")


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
        scheme, _sep, plain = req.headers.get("Authorization", "").strip().partition(" ")
        if req.path.startswith("/api/") and scheme.lower() == "bearer":
            from store.auth.token_cache import token_grant

            known = token_grant(plain.strip())
            if known is not None:
                # Only a valid token marks the request as made by a program (no CSRF check).
                g.api_token_scope = known[1]
                g.api_token_branch = known[2]
                return known[0]
        return None

    @app.before_request
    def read_only_tokens():
        """A "read" token may only look (GET); checked after the access check, which loads it."""
        if g.get("api_token_scope") == "read" and request.method not in ("GET", "HEAD", "OPTIONS"):
            abort(403)
        if g.get("api_token_scope") == "print" and request.endpoint not in PRINT_AGENT_ENDPOINTS:
            abort(403)  # a print agent's token (a shop's machine) does nothing but print

    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.register_blueprint(api.bp)
    register_tile(Tile("admin.users", _l("Users"), "users", frozenset({Role.ADMIN}), 80))
    register_tile(Tile("admin.tokens", _l("API tokens"), "key", frozenset({Role.ADMIN}), 85))
    register_tile(
        Tile("admin.audit_log", _l("Audit log"), "list", frozenset({Role.ADMIN, Role.COORDINATOR}), 90)
    )
    register_tile(Tile("auth.account", _l("My account"), "person", frozenset(Role), 200))
