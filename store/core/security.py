"""Response headers: a Content-Security-Policy without inline script, and friends."""

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

from store.core.errors import ValidationError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def _nul_in(value, path: str) -> str | None:
    """The path of the first text holding a NUL byte in parsed JSON, else None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        if "\x00" in str(key):
            return where
        found = _nul_in(item, where)
        if found:
            return found
    return None


def refuse_nul_bytes():
    """before_request: no NUL byte in any query, form or JSON value. PostgreSQL refuses them in
    text and SQLite keeps them, so one input would behave differently on the two databases; the
    other control characters are refused by the bounded types (store.core.bounds) per field."""
    field = next((k for k, v in request.args.items(multi=True) if "\x00" in k + v), None)
    if field is None and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        field = next((k for k, v in request.form.items(multi=True) if "\x00" in k + v), None)
    if field is None and request.is_json:
        field = _nul_in(request.get_json(silent=True), "")
    if field is not None:
        raise ValidationError(
            _("Invalid input in %(field)s: %(message)s", field=field, message="NUL byte"),
            errors=[{"field": field, "message": "must not contain a NUL byte"}],
        )


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:  # the client's address and scheme as the reverse proxy saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
