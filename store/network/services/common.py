"""What several service modules of the network share: event scopes, cleaning typed text, choosing
a code from a form, and looking up a participant's record."""

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.errors import ValidationError
from store.extensions import db
from store.network.models import ConsentScope, ParticipantRecord
from store.shifts.models import AttendanceCode

# Event type → what a consent must cover for a partner to receive it.
EVENT_SCOPES = {
    "attendance.confirmed": ConsentScope.HOURS,
    "month.closed": ConsentScope.HOURS,
    "assessment.recorded": ConsentScope.SKILLS,
    "participant.exited": ConsentScope.EXIT,
}
EVENT_TYPES = tuple(EVENT_SCOPES)
# Days with these codes are sent as they are; any other code is an absence the participant must
# have seen before it goes out.
UNHELD_CODES = frozenset({AttendanceCode.PRESENT, AttendanceCode.PUBLIC_HOLIDAY})


def clean_text(value: str | None, length: int) -> str | None:
    """Typed text with its whitespace collapsed, cut to `length`; empty → None."""
    return " ".join((value or "").split())[:length] or None


def choice(cls, value, field: str):
    """A code from a form as its enum (empty → None); anything else is refused at `field`."""
    if value in (None, ""):
        return None
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(_("Please choose one of the offered values."), field=field) from None


def record_of(user: User) -> ParticipantRecord | None:
    return db.session.scalar(sa.select(ParticipantRecord).where(ParticipantRecord.user_id == user.id))
