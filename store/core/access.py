"""Who may use which route. Every view declares it; a route that declares nothing is refused.

Views are marked with @public, @signed_in or @roles(...). One before_request hook checks the mark, so a
forgotten decorator fails closed (403) instead of open. The same hook checks CSRF for every state change
that is not an API call with a bearer token.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from store.extensions import csrf


class Role(StrEnum):
    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN})

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: Callable) -> Callable:
    """Anyone may use this route, signed in or not."""
    view._access = PUBLIC
    return view


def signed_in(view: Callable) -> Callable:
    """Any signed-in user may use this route."""
    view._access = SIGNED_IN
    return view


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    """Only users with one of these roles may use this route."""

    def mark(view: Callable) -> Callable:
        view._access = frozenset(allowed)
        return view

    return mark


def allowed_roles(view: Callable | None) -> frozenset | str | None:
    """What a view declared: PUBLIC, SIGNED_IN, a set of roles, or None (undeclared)."""
    return getattr(view, "_access", None)


def user_has_role(user, wanted: Iterable[Role]) -> bool:
    return bool(user and user.is_authenticated and user.role in set(wanted))


def may(endpoint: str) -> bool:
    """Whether the signed-in user may use the route `endpoint` (templates ask this before they show
    a link or a button), by the roles the route declares."""
    view = current_app.view_functions.get(endpoint)
    access = allowed_roles(view)
    if access is None:
        return False
    if access == PUBLIC:
        return True
    if not current_user.is_authenticated:
        return False
    return access == SIGNED_IN or current_user.role in access


def check_access():
    """before_request: refuse what the view does not allow."""
    if request.endpoint is None:
        return None  # 404 follows
    view = current_app.view_functions.get(request.endpoint)
    access = PUBLIC if request.endpoint == "static" else allowed_roles(view)
    api = request.path.startswith("/api/")
    if access is None:
        abort(403)
    if access != PUBLIC:
        if not current_user.is_authenticated:
            if api:
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if access != SIGNED_IN and current_user.role not in access:
            abort(403)
    if request.method not in ("GET", "HEAD", "OPTIONS") and not (api and _bearer()):
        _check_csrf()
    return None


def _check_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        csrf.protect()
    except CSRFError:
        abort(400)


def _bearer() -> bool:
    """Whether a valid bearer token (not a session cookie) authenticated this request: only then is
    the CSRF check skipped (store.auth's request loader marks it)."""
    current_user._get_current_object()  # loads the user, from the session or the token
    return bool(g.get("api_token_scope"))


def init_app(app: Flask) -> None:
    app.before_request(check_access)
    app.jinja_env.globals["may"] = may
