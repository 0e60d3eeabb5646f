"""Domain errors and the app-wide error pages / problem+json answers."""

import logging
from collections.abc import Callable

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """A rule was broken. The message is for the user, already translated."""

    status = 400
    title = "Bad Request"

    def __init__(self, message: str, *, field: str | None = None, errors: list | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or []


class ValidationError(ServiceError):
    status = 422
    title = "Unprocessable Content"


class NotFoundError(ServiceError):
    status = 404
    title = "Not Found"


class ConflictError(ServiceError):
    status = 409
    title = "Conflict"


class PermissionDeniedError(ServiceError):
    status = 403
    title = "Forbidden"


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str, **extra):
    """A JSON error in RFC 9457 shape."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def clash_message() -> str:
    """What a user reads when the database refused a change because of a simultaneous one."""
    return _(
        "This was changed at the same moment by someone else, or sent twice. Nothing was saved. "
        "Please check and try again."
    )


# The database cannot be reached (down, restarting, pool exhausted): 503, try again shortly.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 5


def _rollback() -> None:
    from store.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the session is discarded anyway
        log.debug("rollback failed", exc_info=True)


def _text(message: Callable[[], str]) -> str:
    """message() in the user's language, or, when that needs the database (the user's own choice)
    and it is down, in the browser's or the store's."""
    try:
        return message()
    except UNAVAILABLE:
        languages = current_app.config["LANGUAGES"]
        chosen = (
            request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
        )
        with force_locale(chosen):
            return message()


# SQLite reports every failure as OperationalError; these mean "not reachable now".
_SQLITE_UNAVAILABLE = ("unable to open database", "database is locked", "disk i/o error")


def database_unreachable(error: Exception) -> bool:
    """Whether a database error means the database cannot be reached (down, restarting, locked,
    pool exhausted), not a mistake in a statement."""
    if isinstance(error, PoolTimeoutError | InterfaceError):
        return True
    if getattr(error, "connection_invalidated", False):
        return True
    orig = getattr(error, "orig", None)
    if type(orig).__module__.startswith("sqlite3"):
        return any(text in str(orig).lower() for text in _SQLITE_UNAVAILABLE)
    return isinstance(error, OperationalError)  # psycopg: connection failures only


def unavailable(error: Exception):
    """The database cannot be reached: 503 with Retry-After, answered without the database (no
    current_user, no context processors). Any other database error is a 500."""
    if not database_unreachable(error):
        return _server_error(error)
    _rollback()
    log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
    message = _text(
        lambda: _("The database cannot be reached right now. Nothing was saved. Please try again.")
    )
    if is_api_request():
        response = problem(503, "Service Unavailable", message)
    else:
        page = current_app.jinja_env.get_template("errors/unavailable.html")
        html = page.render(message=message, retry=RETRY_AFTER_SECONDS)
        response = current_app.response_class(html, 503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_app(app: Flask) -> None:
    from store.extensions import db

    app.register_error_handler(OperationalError, unavailable)
    app.register_error_handler(InterfaceError, unavailable)
    app.register_error_handler(PoolTimeoutError, unavailable)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(error: Exception):
        # A value the database cannot store (too large a number, an invalid byte). The API models
        # and forms bound their inputs (store.core.bounds); this is the net below them.
        _rollback()
        log.warning("value out of range on %s %s: %s", request.method, request.path, error)
        message = _text(lambda: _("A value is too large or not allowed here. Nothing was saved."))
        if is_api_request():
            return problem(422, "Unprocessable Content", message)
        return render_template("errors/error.html", code=422, message=message), 422

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        if is_api_request():
            return problem(
                error.status, error.title, error.message, field=error.field, errors=error.errors
            )
        return render_template("errors/error.html", code=error.status, message=error.message), (
            error.status
        )

    @app.errorhandler(IntegrityError)
    def clash(error: IntegrityError):
        # A unique constraint or a foreign key refused the change: a double click, or two tills at
        # the same moment. The rules themselves are checked by the services before this.
        db.session.rollback()
        log.info("integrity error on %s %s: %s", request.method, request.path, error.orig)
        if is_api_request():
            return problem(409, "Conflict", clash_message())
        return render_template("errors/error.html", code=409, message=clash_message()), 409

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api_request():
            return problem(error.code or 500, error.name, _http_detail(error))
        code = error.code or 500
        if code < 400:
            return error
        return render_template("errors/error.html", code=code, message=_http_detail(error)), code

    app.register_error_handler(Exception, _server_error)


def _server_error(error: Exception):
    """Anything else: 500, nothing saved."""
    _rollback()
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=error)
    message = _text(lambda: _("Something went wrong. Nothing was saved. Please try again."))
    if is_api_request():
        return problem(500, "Internal Server Error", message)
    return render_template("errors/error.html", code=500, message=message), 500


def _http_detail(error: HTTPException) -> str:
    messages = {
        400: _("The request was not understood. Please reload the page and try again."),
        401: _("Please sign in."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist."),
        405: _("This action is not possible here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a moment."),
    }
    if error.code in messages:
        return messages[error.code]
    return error.description or error.name
