"""API tokens and their users, kept in memory for a few seconds: every API call needs them, and a
till sends several calls a second. Revoking a token, or changing or locking out its user, forgets
them at once in this process; other processes see it within CACHE_SECONDS."""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.auth.models import ApiToken, User
from store.auth.services import token_for
from store.core.rows import as_loaded, in_session
from store.core.timeutil import as_utc
from store.extensions import db

CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class _Known:
    until: float  # time.monotonic() after which the database is asked again
    expires_at: datetime | None
    scope: str
    user: dict  # the user's columns
    branch_id: int | None = None  # a print agent's branch (None: every branch)


_known: dict[tuple[str, str], _Known] = {}
_lock = threading.Lock()
_USER_COLUMNS = [c.key for c in sa.inspect(User).column_attrs]


def user_and_scope(plain: str, now: datetime | None = None) -> tuple[User, str] | None:
    """The active user of a valid token and the token's scope ("read" or "write"), or None. The
    user is attached to this request's session without a statement when the token was seen within
    the last CACHE_SECONDS."""
    grant = token_grant(plain, now)
    return grant[:2] if grant is not None else None


def token_grant(plain: str, now: datetime | None = None) -> tuple[User, str, int | None] | None:
    """As user_and_scope, with the token's branch (a print agent's; None: every branch)."""
    now = as_utc(now)
    key = (str(db.engine.url), plain)
    known = _known.get(key)
    if known is not None and known.until > time.monotonic():
        if known.expires_at is not None and known.expires_at <= now:
            return None
        user = in_session(as_loaded(User, known.user, known.user["id"]))  # as if read
        return user, known.scope, known.branch_id
    token = token_for(plain, now)
    if token is None:
        return None
    user = token.user
    with _lock:
        _known[key] = _Known(
            time.monotonic() + CACHE_SECONDS,
            token.expires_at,
            token.scope,
            {name: getattr(user, name) for name in _USER_COLUMNS},
            token.branch_id,
        )
    return user, token.scope, token.branch_id


def forget() -> None:
    with _lock:
        _known.clear()


@sa.event.listens_for(so.Session, "after_flush")
def _changed(session: so.Session, _context) -> None:
    """A token or a user written in this process: forget what is kept (a revoked token, a locked
    or demoted user must not work on from memory)."""
    for obj in (*session.dirty, *session.new, *session.deleted):
        if isinstance(obj, ApiToken | User) and not _only_used(obj, session):
            forget()
            return


def _only_used(obj, session: so.Session) -> bool:
    """Whether the change is a token's note of when it was last used (every call may write it)."""
    if not isinstance(obj, ApiToken) or obj not in session.dirty:
        return False
    state = sa.inspect(obj)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    return changed <= {"last_used_at"}
