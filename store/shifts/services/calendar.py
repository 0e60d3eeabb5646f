"""Calendar links: a secret, revocable address per trainee for the iCalendar feed of their shifts
(store.shifts.ical renders the feed). Only the token's hash is stored."""

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import as_utc
from store.extensions import db
from store.shifts.models import CalendarToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_token(actor: Actor, user: User, *, now: datetime | None = None) -> str:
    """A new secret calendar link for the user; the old one stops working. Shown once."""
    now = as_utc(now)
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Only participants have a shift calendar."))
    revoke_calendar_tokens(actor, user, now=now)
    plain = secrets.token_urlsafe(24)
    token = CalendarToken(user_id=user.id, token_hash=_digest(plain), created_at=now)
    db.session.add(token)
    audit(actor, "calendar.create", token, {"user": user.username}, now=now)
    return plain


def revoke_calendar_tokens(actor: Actor, user: User, *, now: datetime | None = None) -> int:
    now = as_utc(now)
    tokens = db.session.scalars(
        sa.select(CalendarToken).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    ).all()
    for token in tokens:
        token.revoked_at = now
        audit(actor, "calendar.revoke", token, {"user": user.username}, now=now)
    return len(tokens)


def active_calendar_token(user: User) -> CalendarToken | None:
    return db.session.scalar(
        sa.select(CalendarToken).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    )


def user_for_calendar_token(plain: str) -> User | None:
    token = db.session.scalar(
        sa.select(CalendarToken).where(CalendarToken.token_hash == _digest(plain or ""))
    )
    if token is None or token.revoked_at is not None or not token.user.is_active_account:
        return None
    return token.user
