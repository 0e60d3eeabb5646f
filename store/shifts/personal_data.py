"""What shifts holds about a person: agreements, planned shifts and shift patterns, clock events,
confirmed attendance, month closings and calendar links (registered with
store.core.personal_data for the Art. 15 export and the retention run)."""

from datetime import datetime

import sqlalchemy as sa

from store.auth.models import User
from store.core.personal_data import Section, register, who
from store.core.timeutil import month_key
from store.extensions import db
from store.shifts.models import (
    Agreement,
    AttendanceEntry,
    CalendarToken,
    ClockEvent,
    MonthClosing,
    Shift,
    ShiftTemplate,
    template_member,
)


def _all(query) -> list:
    return list(db.session.scalars(query))


def _dash(column):
    """A correction keeps a reason (a dash): that it was a correction is not personal."""
    return sa.case((column.is_not(None), "-"), else_=None)


def agreements(user: User, now: datetime) -> list:
    rows = _all(
        sa.select(Agreement).where(Agreement.user_id == user.id).order_by(Agreement.starts_on.desc())
    )
    return [
        {
            "id": a.id,
            "measure": a.measure,
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
            "weekly_minutes": a.weekly_minutes,
            "workdays": a.workdays,
            "hourly_allowance_cents": a.hourly_allowance_cents,
            "max_months": a.max_months,
            "updated_at": a.updated_at,
        }
        for a in sorted(rows, key=lambda a: a.starts_on)
    ]


def shifts(user: User, now: datetime) -> list:
    rows = _all(sa.select(Shift).where(Shift.user_id == user.id).order_by(Shift.day, Shift.starts_at))
    return [
        {
            "id": s.id,
            "day": s.day,
            "station": s.station.name,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "status": s.status,
            "created_at": s.created_at,
            "updated_at": s.updated_at,
        }
        for s in rows
    ]


def shift_templates(user: User, now: datetime) -> list:
    templates = _all(
        sa.select(ShiftTemplate)
        .join(template_member, template_member.c.template_id == ShiftTemplate.id)
        .where(template_member.c.user_id == user.id)
        .order_by(ShiftTemplate.id)
    )
    return [
        {
            "id": t.id,
            "station": t.station.name,
            "weekdays": t.weekdays,
            "starts_at": t.starts_at.strftime("%H:%M"),
            "ends_at": t.ends_at.strftime("%H:%M"),
            "is_active": t.is_active,
        }
        for t in templates
    ]


def clock_events(user: User, now: datetime) -> list:
    rows = _all(
        sa.select(ClockEvent).where(ClockEvent.user_id == user.id).order_by(ClockEvent.at, ClockEvent.id)
    )
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "at": e.at,
            "recorded_at": e.recorded_at,
            "recorded_by": who(e.recorded_by, user.id),
            "till_id": e.till_id,
            "source": e.source,
            "address": e.address,
            "replaces": e.replaces_id,
            "reason": e.reason,
        }
        for e in rows
    ]


def erase_clock_texts(user: User, actor, now: datetime) -> None:
    """The reason and the address a clock event came from (inside the retention run's erasure
    window, store.core.immutable)."""
    db.session.execute(
        sa.update(ClockEvent)
        .where(ClockEvent.user_id == user.id)
        .values(reason=_dash(ClockEvent.reason), address=None),
        execution_options={"synchronize_session": False},
    )


def attendance_entries(user: User, now: datetime) -> list:
    entries = _all(
        sa.select(AttendanceEntry)
        .where(AttendanceEntry.user_id == user.id)
        .order_by(AttendanceEntry.day, AttendanceEntry.id)
    )
    replaced = {e.replaces_id for e in entries if e.replaces_id}
    return [
        {
            "id": e.id,
            "day": e.day,
            "code": e.code,
            "minutes": e.minutes,
            "break_minutes": e.break_minutes,
            "late_minutes": e.late_minutes,
            "early_leave_minutes": e.early_leave_minutes,
            "certificate_until": e.certificate_until,
            "note": e.note,
            "confirmed_by": who(e.confirmed_by, user.id),
            "confirmed_at": e.confirmed_at,
            "source": e.source,
            "replaces": e.replaces_id,
            "reason": e.reason,
            "reported_in": e.reported_in,
            "replaced": e.id in replaced,
        }
        for e in entries
    ]


def erase_attendance_texts(user: User, actor, now: datetime) -> None:
    """The note and the reason of confirmed days (inside the erasure window, as above)."""
    db.session.execute(
        sa.update(AttendanceEntry)
        .where(AttendanceEntry.user_id == user.id)
        .values(note=None, reason=_dash(AttendanceEntry.reason)),
        execution_options={"synchronize_session": False},
    )


def month_closings(user: User, now: datetime) -> list:
    """The person's own closings, and the closings for everybody of the months they worked in."""
    days = [
        *db.session.scalars(sa.select(AttendanceEntry.day).where(AttendanceEntry.user_id == user.id)),
        *db.session.scalars(sa.select(Shift.day).where(Shift.user_id == user.id)),
    ]
    months = sorted({month_key(day.year, day.month) for day in days})
    closings = (
        _all(
            sa.select(MonthClosing)
            .where(
                sa.or_(
                    MonthClosing.user_id == user.id,
                    sa.and_(MonthClosing.user_id.is_(None), MonthClosing.month.in_(months)),
                )
            )
            .order_by(MonthClosing.month, MonthClosing.id)
        )
        if months
        else _all(sa.select(MonthClosing).where(MonthClosing.user_id == user.id))
    )
    return [
        {
            "id": c.id,
            "month": c.month,
            "for": "person" if c.user_id else "everybody",
            "closed_at": c.closed_at,
            "closed_by": who(c.closed_by, user.id),
        }
        for c in closings
    ]


def calendar_links(user: User, now: datetime) -> list:
    links = _all(
        sa.select(CalendarToken).where(CalendarToken.user_id == user.id).order_by(CalendarToken.id)
    )
    return [{"id": t.id, "created_at": t.created_at, "revoked_at": t.revoked_at} for t in links]


def delete_calendar_links(user: User, actor, now: datetime) -> None:
    db.session.execute(sa.delete(CalendarToken).where(CalendarToken.user_id == user.id))


register(
    Section("agreements", agreements, audit_type="agreement"),
    Section("shifts", shifts, audit_type="shift"),
    Section("shift_templates", shift_templates),
    Section("clock_events", clock_events, erase_clock_texts, audit_type="clock_event"),
    Section(
        "attendance_entries", attendance_entries, erase_attendance_texts, audit_type="attendance_entry"
    ),
    Section("month_closings", month_closings),
    Section("calendar_links", calendar_links, delete_calendar_links, audit_type="calendar_token"),
)
