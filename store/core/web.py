"""Helpers for views: who is acting, start-screen tiles, and safe redirects."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from store.core.access import Role
from store.core.audit import Actor
from store.core.errors import ServiceError, ValidationError, clash_message
from store.extensions import db

DEVICE_COOKIE = "till"


def device_till_id() -> int | None:
    """The till this browser stands at, from its signed cookie (kept across sign-outs)."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        return int(_device_signer().loads(raw))
    except (BadSignature, ValueError, TypeError):
        return None


def device_cookie_value(till_id: int) -> str:
    return _device_signer().dumps(str(till_id))


def _device_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kaufhaus-till-device")


def current_actor() -> Actor:
    """The signed-in user as the actor of a service call, with till and address."""
    user = current_user if current_user.is_authenticated else None
    api = request.path.startswith("/api/")
    return Actor(
        user=user,
        source="api" if api else "web",
        till_id=None if api else device_till_id(),
        address=request.remote_addr,
    )


def back(default: str) -> str:
    """Where the user came from, if that was a page of this site; else `default`."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return default
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""), default)


def safe_next(target: str | None, default: str) -> str:
    """Only redirect to paths on this site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@dataclass(frozen=True)
class Tile:
    """A big button on the start screen."""

    endpoint: str
    label: object  # a lazy string
    icon: str
    roles: frozenset[Role]
    order: int = 100


TILES: list[Tile] = []


def register_tile(tile: Tile) -> None:
    if all(t.endpoint != tile.endpoint for t in TILES):
        TILES.append(tile)


def tiles_for(role: Role) -> list[Tile]:
    return sorted((t for t in TILES if role in t.roles), key=lambda t: t.order)


# Notices on the start screen: areas register a function user → list of (level, text, endpoint).
NOTICES: list = []


def register_notice(provider) -> None:
    if provider not in NOTICES:
        NOTICES.append(provider)


def notices_for(user) -> list[tuple[str, str, str | None]]:
    found = []
    for provider in NOTICES:
        found.extend(provider(user))
    return found


# Panels on the start screen: areas register a function user → rendered HTML (Markup) or None,
# e.g. the "Kommen / Gehen" buttons for trainees.
PANELS: list = []


def register_panel(provider) -> None:
    if provider not in PANELS:
        PANELS.append(provider)


def panels_for(user) -> list:
    return [html for html in (provider(user) for provider in PANELS) if html]


def show_error(form, error, aliases: dict | None = None, *, flash_too: bool = False) -> None:
    """A service's message at the form field it names (aliases map service → form names);
    as a flash message when no field fits, or also when `flash_too`."""
    name = (aliases or {}).get(error.field or "", error.field)
    target = form[name] if name and name in form else None
    if target is not None:
        target.errors = [*(e for e in target.errors if isinstance(e, str)), error.message]
    if target is None or flash_too:
        flash(error.message, "error")


def refuse_errors(form) -> None:
    """After `form.validate()` in a view that redirects back (a form among many on a page): the
    first field error as a ValidationError naming the field, so inside `attempt` nothing is saved
    and the message is shown. The CSRF token is checked in one place (store.core.access)."""
    for field in form:
        messages = [str(e) for e in field.errors if not isinstance(e, dict | list)]  # lazy ones too
        if messages and field.short_name != "csrf_token":
            raise ValidationError(
                _(
                    "Invalid input in %(field)s: %(message)s",
                    field=field.label.text,
                    message=messages[0],
                ),
                field=field.short_name,
            )


class Outcome:
    """Whether the service call in an `attempt` block went through."""

    ok = False

    def __bool__(self) -> bool:
        return self.ok


@contextmanager
def attempt(form=None, aliases: dict | None = None, *, flash_too: bool = False) -> Iterator[Outcome]:
    """Run a page's service call. If it breaks a rule (ServiceError) or the database refuses it (a
    clash with a simultaneous change), undo the whole transaction and show the message: at the form
    field it names, else as a flash message. The page then renders again with what was typed.

        with attempt(form) as done:
            services.move_cash(...)
        if done:
            return redirect(...)
    """
    outcome = Outcome()
    try:
        yield outcome
        db.session.flush()  # a clash shows here, at the form, not after the page was answered
    except ServiceError as error:
        db.session.rollback()
        if form is None:
            flash(error.message, "error")
        else:
            show_error(form, error, aliases, flash_too=flash_too)
    except IntegrityError:
        db.session.rollback()
        flash(clash_message(), "error")
    else:
        outcome.ok = True


def int_or_none(value) -> int | None:
    """A select's value as int; anything else becomes None (the service says why)."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
