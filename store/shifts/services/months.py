"""Closing a month: afterwards its days change only by counter-entries, which are reported on the
sheet of the next open month."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core import events
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, ValidationError
from store.core.timeutil import as_utc, local_today, month_days_range, month_key
from store.extensions import db
from store.shifts.models import MonthClosing
from store.shifts.services.days import following_month
from store.shifts.services.entries import effective_entries
from store.shifts.services.planning import shifts_between


def closing_for(user_id: int, month: str) -> MonthClosing | None:
    """The closing of `month` that applies to the user (their own, or the one for everybody)."""
    return db.session.scalar(
        sa.select(MonthClosing)
        .where(
            MonthClosing.month == month,
            sa.or_(MonthClosing.user_id == user_id, MonthClosing.user_id.is_(None)),
        )
        .order_by(MonthClosing.closed_at)
        .limit(1)
    )


def closings_of(month: str) -> tuple[MonthClosing | None, dict[int, MonthClosing]]:
    """(the closing for everybody, {user_id: own closing}) of a month."""
    rows = db.session.scalars(sa.select(MonthClosing).where(MonthClosing.month == month)).all()
    everybody = next((c for c in rows if c.user_id is None), None)
    return everybody, {c.user_id: c for c in rows if c.user_id is not None}


def first_open_month_after(user_id: int, month: str) -> str:
    key = following_month(month)
    while closing_for(user_id, key) is not None:
        key = following_month(key)
    return key


def month_is_over(year: int, month: int, now: datetime | None = None) -> bool:
    """Whether the month's last day is behind us (only then may it be closed)."""
    return month_days_range(year, month)[1] < local_today(now)


def close_month(
    actor: Actor, year: int, month: int, *, user: User | None = None, now: datetime | None = None
) -> MonthClosing:
    """Close a month for one trainee or for everybody. It must be over, and every planned day
    confirmed; afterwards it changes only by counter-entries (reported in the next month)."""
    now = as_utc(now)
    key = month_key(year, month)
    first, last = month_days_range(year, month)
    if not month_is_over(year, month, now):
        raise ValidationError(_("The month is not over yet."), field="month")
    if user is not None and user.role != Role.TRAINEE:
        raise ValidationError(_("Months are closed for participants only."))
    if (closing_for(user.id, key) if user is not None else closings_of(key)[0]) is not None:
        raise ConflictError(_("This month is closed already."))
    user_ids = [user.id] if user is not None else None
    planned = {(s.user_id, s.day) for s in shifts_between(first, last, user_ids=user_ids)}
    confirmed = set(effective_entries(user_ids, first, last))
    open_days = planned - confirmed
    if open_days:
        raise ValidationError(
            _(
                "%(n)s planned days are not confirmed yet. Please confirm them "
                "(or record the absence) first.",
                n=len(open_days),
            )
        )
    closing = MonthClosing(
        month=key, user_id=user.id if user else None, closed_by_id=actor.user_id, closed_at=now
    )
    db.session.add(closing)
    audit(
        actor,
        "attendance.close_month",
        closing,
        {"month": key, "user": user.username if user else None},
        now=now,
    )
    events.month_closed.send(closing, actor=actor)
    return closing
