"""Language and formatting: German first, English complete; times shown in the store's zone."""

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from store.core.money import format_cents
from store.core.timeutil import to_local

LANG_COOKIE = "lang"


def select_locale() -> str:
    """The user's own choice, then the cookie (kept after logout), then the store default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def locale_name() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def money(cents: int | None) -> str:
    return "" if cents is None else format_cents(cents, locale_name())


def local_datetime(moment: datetime | None, fmt: str = "short") -> str:
    if moment is None:
        return ""
    return format_datetime(to_local(moment), fmt, locale=locale_name())


def local_date(day: date | datetime | None, fmt: str = "medium") -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return format_date(day, fmt, locale=locale_name())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["datetime"] = local_datetime
    app.jinja_env.filters["date"] = local_date

    @app.context_processor
    def language():
        return {"current_locale": locale_name(), "languages": app.config["LANGUAGES"]}
