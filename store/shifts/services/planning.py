"""Planned shifts: plan, move and cancel one; fill a week from the templates. Shifts are plans,
changed in place; every change is in the audit log and raises the shift's calendar SEQUENCE."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.shifts import worktime
from store.shifts.models import Shift, ShiftStatus, Station
from store.shifts.services.common import MAX_SHIFT_MINUTES, break_rules, check_times
from store.shifts.services.days import check_range, holiday_name, shift_bounds, week_start
from store.shifts.services.people import get_trainee
from store.shifts.services.stations import get_station
from store.shifts.services.templates import list_templates


def get_shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFoundError(_("This shift does not exist."))
    return shift


def shifts_between(
    first: date, last: date, *, user_ids: Iterable[int] | None = None, include_cancelled: bool = False
) -> list[Shift]:
    query = sa.select(Shift).where(Shift.day >= first, Shift.day <= last)
    if user_ids is not None:
        query = query.where(Shift.user_id.in_(list(user_ids)))
    if not include_cancelled:
        query = query.where(Shift.status == ShiftStatus.PLANNED)
    return list(db.session.scalars(query.order_by(Shift.day, Shift.starts_at, Shift.id)))


def shift_range(
    first: date | None, last: date | None, *, today: date | None = None
) -> tuple[date, date]:
    """The days a list of shifts covers: by default two weeks from the Monday of this week."""
    first = first or week_start(today or local_today())
    last = last or first + timedelta(days=13)
    check_range(first, last)
    return first, last


def planned_minutes(shift: Shift) -> int:
    """The work a shift plans: its length less the break the rule asks for (as when clocked)."""
    return planned_work(shift.starts_at, shift.ends_at)


def planned_work(starts_at: datetime, ends_at: datetime, rules=None) -> int:
    length = worktime.minutes_between(starts_at, ends_at)
    return length - worktime.break_deduction(length, 0, rules or break_rules())


def _shift_data(shift: Shift) -> dict:
    return {
        "user_id": shift.user_id,
        "station_id": shift.station_id,
        "day": shift.day.isoformat(),
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
        "status": shift.status.value,
    }


def _check_shift(
    user_id: int, station_id: int | None, day: date | None, starts: time | None, ends: time | None
) -> tuple[User, Station, datetime, datetime]:
    user = get_trainee(user_id)
    if not user.is_active_account:
        raise ValidationError(_("This account is switched off."), field="user_id")
    station = get_station(station_id)
    if not station.is_active:
        raise ValidationError(_("This station is not in use."), field="station_id")
    if day is None:
        raise ValidationError(_("Please choose the day."), field="day")
    check_times(starts, ends)
    start, end = shift_bounds(day, starts, ends)
    if worktime.minutes_between(start, end) > MAX_SHIFT_MINUTES:
        raise ValidationError(_("A shift can be at most 12 hours long."), field="ends_at")
    return user, station, start, end


def assign_shift(
    actor: Actor,
    *,
    user_id: int,
    station_id: int | None,
    day: date | None,
    starts_at: time | None,
    ends_at: time | None,
    template_id: int | None = None,
    now: datetime | None = None,
) -> Shift:
    """Plan a trainee at a station on a day. Warnings are shown, not enforced: see plan_warnings."""
    now = as_utc(now)
    user, station, start, end = _check_shift(user_id, station_id, day, starts_at, ends_at)
    same = db.session.scalar(
        sa.select(Shift).where(
            Shift.user_id == user.id,
            Shift.station_id == station.id,
            Shift.day == day,
            Shift.starts_at == start,
            Shift.ends_at == end,
        )
    )
    if same is not None and same.is_planned:
        raise ConflictError(_("%(name)s is planned for this shift already.", name=user.short_name))
    if same is not None:  # a cancelled shift comes back: the calendar sees the same event again
        same.status, same.sequence, same.updated_at = ShiftStatus.PLANNED, same.sequence + 1, now
        audit(actor, "shift.restore", same, _shift_data(same), now=now)
        return same
    shift = Shift(
        user_id=user.id,
        station_id=station.id,
        day=day,
        starts_at=start,
        ends_at=end,
        status=ShiftStatus.PLANNED,
        template_id=template_id,
        sequence=0,
        created_at=now,
        updated_at=now,
    )
    db.session.add(shift)
    audit(actor, "shift.assign", shift, _shift_data(shift), now=now)
    return shift


def change_shift(
    actor: Actor,
    shift: Shift,
    *,
    station_id: int | None,
    day: date | None,
    starts_at: time | None,
    ends_at: time | None,
    now: datetime | None = None,
) -> Shift:
    """Move a planned shift; the calendar feed shows the change (SEQUENCE goes up)."""
    now = as_utc(now)
    if not shift.is_planned:
        raise ConflictError(_("This shift is cancelled. Plan a new one instead."))
    _user, station, start, end = _check_shift(shift.user_id, station_id, day, starts_at, ends_at)
    before = _shift_data(shift)
    shift.station_id, shift.day, shift.starts_at, shift.ends_at = station.id, day, start, end
    if _shift_data(shift) != before:
        shift.sequence += 1
        shift.updated_at = now
        audit(actor, "shift.change", shift, {"before": before, "after": _shift_data(shift)}, now=now)
    return shift


def cancel_shift(actor: Actor, shift: Shift, *, now: datetime | None = None) -> Shift:
    """Unassign: the shift stays as cancelled, so phones that subscribed remove it."""
    now = as_utc(now)
    if not shift.is_planned:
        raise ConflictError(_("This shift is cancelled already."))
    shift.status, shift.sequence, shift.updated_at = ShiftStatus.CANCELLED, shift.sequence + 1, now
    audit(actor, "shift.cancel", shift, _shift_data(shift), now=now)
    return shift


@dataclass
class FillResult:
    created: list[Shift] = field(default_factory=list)
    existing: int = 0
    holidays: list[tuple[date, str]] = field(default_factory=list)


def plan_week(actor: Actor, monday: date, *, now: datetime | None = None) -> FillResult:
    """Create the week's shifts from the active templates for their trainees.

    Shifts that exist already are left alone (filling twice changes nothing); public holidays
    are skipped and reported.
    """
    now = as_utc(now)
    monday = week_start(monday)
    result = FillResult()
    existing = {
        (s.user_id, s.station_id, s.starts_at, s.ends_at): s
        for s in shifts_between(monday, monday + timedelta(days=6), include_cancelled=True)
    }
    for template in list_templates(include_inactive=False):
        if not template.station.is_active:
            continue
        for weekday in template.weekdays:
            day = monday + timedelta(days=weekday)
            name = holiday_name(day)
            if name:
                if (day, name) not in result.holidays:
                    result.holidays.append((day, name))
                continue
            start, end = shift_bounds(day, template.starts_at, template.ends_at)
            for member in template.members:
                if not member.is_active_account:
                    continue
                if (member.id, template.station_id, start, end) in existing:
                    result.existing += 1
                    continue
                shift = Shift(
                    user_id=member.id,
                    station_id=template.station_id,
                    day=day,
                    starts_at=start,
                    ends_at=end,
                    status=ShiftStatus.PLANNED,
                    template_id=template.id,
                    sequence=0,
                    created_at=now,
                    updated_at=now,
                )
                db.session.add(shift)
                existing[(member.id, template.station_id, start, end)] = shift
                result.created.append(shift)
    db.session.flush()
    audit(
        actor,
        "shift.plan_week",
        None,
        {"week": monday.isoformat(), "created": [s.id for s in result.created]},
        now=now,
    )
    return result
