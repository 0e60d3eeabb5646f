"""Confirming attendance: a supervisor confirms a day (present, with the minutes worked) or records
an absence with its code, for one day or several; the day view they do it from.

A confirmed day is locked: a second confirmation needs a reason and becomes a counter-entry that
replaces the first. A day in a closed month likewise, and it is reported as a correction on the
sheet of the next open month.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core import events
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import ValidationError
from store.core.timeutil import as_utc, local_today, store_zone
from store.extensions import db
from store.shifts import worktime
from store.shifts.models import (
    Agreement,
    AttendanceCode,
    AttendanceEntry,
    ClockEvent,
    MonthClosing,
    Shift,
)
from store.shifts.services.agreements import agreements_between, covering
from store.shifts.services.clock import clock_events, day_clocks, lateness
from store.shifts.services.common import MAX_SHIFT_MINUTES, correction_reason
from store.shifts.services.days import day_label, holiday_name, month_key
from store.shifts.services.entries import effective_entries
from store.shifts.services.months import closing_for, closings_of, first_open_month_after
from store.shifts.services.people import list_trainees
from store.shifts.services.planning import planned_minutes, shifts_between

# ---------------------------------------------------------------- one day


def _attendance_code(
    user: User, day: date | None, code: AttendanceCode | str, now: datetime
) -> AttendanceCode:
    """The code for the day, checked against the person and the date."""
    if user.role != Role.TRAINEE:
        raise ValidationError(_("Attendance is recorded for participants only."))
    if day is None:
        raise ValidationError(_("Please choose the day."), field="date")
    try:
        code = AttendanceCode(code)
    except ValueError:
        raise ValidationError(_("Please choose what applies to the day."), field="code") from None
    if code in (AttendanceCode.PRESENT, AttendanceCode.UNEXCUSED) and day > local_today(now):
        raise ValidationError(_("This day has not come yet."), field="date")
    return code


def _check_certificate(code: AttendanceCode, day: date, certificate_until: date | None) -> None:
    """Only a sick note with a certificate has an until-date, and it must have one."""
    if code == AttendanceCode.SICK_CERTIFICATE:
        if certificate_until is None:
            raise ValidationError(_("Until when does the certificate hold?"), field="certificate_until")
        if certificate_until < day:
            raise ValidationError(_("The certificate ends before this day."), field="certificate_until")
    elif certificate_until is not None:
        raise ValidationError(
            _("Only “sick with certificate” has an until-date."), field="certificate_until"
        )
    if code == AttendanceCode.PUBLIC_HOLIDAY and not holiday_name(day):
        raise ValidationError(
            _("%(day)s is not a public holiday here.", day=day_label(day)), field="code"
        )


def _worked(
    user: User, day: date, code: AttendanceCode, minutes: int | None
) -> tuple[int | None, int, int, int]:
    """(minutes, break minutes, minutes late, minutes left early) of the day. At work: the minutes
    given, else as clocked (complete clock times needed); an absence has no hours."""
    if code != AttendanceCode.PRESENT:
        if minutes:
            raise ValidationError(_("Hours are recorded only for days at work."), field="hours")
        return minutes, 0, 0, 0
    break_minutes = 0
    clock_day = day_clocks([user.id], day, day).get((user.id, day))
    shifts = shifts_between(day, day, user_ids=[user.id])
    if minutes is None:
        if clock_day is None or not clock_day.is_complete:
            raise ValidationError(
                _(
                    "The clock times of this day are not complete. Please "
                    "enter the hours worked, or correct the clock times."
                ),
                field="hours",
            )
        minutes, break_minutes = clock_day.net, clock_day.deducted_break
    if not 0 < minutes <= MAX_SHIFT_MINUTES:
        raise ValidationError(
            _("Please enter between 0 and %(n)s hours.", n=MAX_SHIFT_MINUTES // 60), field="hours"
        )
    late, early = lateness(shifts, clock_day)
    return minutes, break_minutes, late, early


def _replacing(
    user: User, day: date, reason: str | None
) -> tuple[AttendanceEntry | None, MonthClosing | None, str | None]:
    """(the entry that counts so far, the month's closing, the reason of the change). A change of
    a confirmed day or of a closed month needs a reason."""
    current = effective_entries([user.id], day, day).get((user.id, day))
    closing = closing_for(user.id, month_key(day))
    if current is None and closing is None:
        return current, closing, None
    if not (reason or "").strip():
        message = (
            _("This month is closed. Please give a reason for the correction.")
            if closing is not None
            else _("This day is confirmed already. Please give a reason for the change.")
        )
        raise ValidationError(message, field="reason")
    return current, closing, correction_reason(reason)


def confirm_attendance(
    actor: Actor,
    user: User,
    day: date,
    code: AttendanceCode | str,
    *,
    minutes: int | None = None,
    note: str | None = None,
    certificate_until: date | None = None,
    reason: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> AttendanceEntry:
    """Confirm a day (present, with the minutes worked) or record an absence with its code.

    A confirmed day is locked: a second confirmation needs a reason and becomes a counter-entry
    that replaces the first. A day in a closed month likewise, and it is reported as a correction
    on the sheet of the next open month.
    """
    now = as_utc(now)
    code = _attendance_code(user, day, code, now)
    note = " ".join((note or "").split())[:200] or None
    _check_certificate(code, day, certificate_until)
    minutes, break_minutes, late, early = _worked(user, day, code, minutes)
    current, closing, reason = _replacing(user, day, reason)
    entry = AttendanceEntry(
        user_id=user.id,
        day=day,
        code=code,
        minutes=minutes or 0,
        break_minutes=break_minutes,
        late_minutes=late,
        early_leave_minutes=early,
        certificate_until=certificate_until,
        note=note,
        confirmed_by_id=actor.user_id,
        confirmed_at=now,
        source=source or actor.source,
        replaces_id=current.id if current else None,
        reason=reason,
        reported_in=first_open_month_after(user.id, month_key(day)) if closing is not None else None,
    )
    db.session.add(entry)
    audit(
        actor,
        "attendance.correct" if current or closing else "attendance.confirm",
        entry,
        {
            "user": user.username,
            "day": day.isoformat(),
            "code": code.value,
            "minutes": entry.minutes,
            "replaces": entry.replaces_id,
            "reason": reason,
            "reported_in": entry.reported_in,
        },
        now=now,
    )
    events.attendance_confirmed.send(entry, actor=actor)
    return entry


# ---------------------------------------------------------------- several days


def record_absence(
    actor: Actor,
    user: User,
    first: date,
    last: date | None,
    code: AttendanceCode | str,
    *,
    certificate_until: date | None = None,
    note: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[AttendanceEntry]:
    """An absence over several days: one entry for each agreed or planned workday in [first,
    last] that has none yet (public holidays are left out)."""
    try:
        code = AttendanceCode(code)
    except ValueError:
        raise ValidationError(_("Please choose what applies to the day."), field="code") from None
    if code == AttendanceCode.PRESENT:
        raise ValidationError(_("Please choose a kind of absence."), field="code")
    last = last or certificate_until or first
    if last < first:
        raise ValidationError(_("The last day is before the first."), field="last")
    if (last - first).days > 62:
        raise ValidationError(_("Please record at most two months at once."), field="last")
    if last == first:
        return [
            confirm_attendance(
                actor,
                user,
                first,
                code,
                certificate_until=certificate_until,
                note=note,
                reason=reason,
                now=now,
            )
        ]
    agreements = agreements_between([user.id], first, last).get(user.id, [])
    planned = {s.day for s in shifts_between(first, last, user_ids=[user.id])}
    existing = effective_entries([user.id], first, last)
    created = []
    day = first
    while day <= last:
        agreement = covering(agreements, day)
        workday = day in planned or (agreement is not None and day.weekday() in agreement.workdays)
        if workday and (user.id, day) not in existing and not holiday_name(day):
            created.append(
                confirm_attendance(
                    actor,
                    user,
                    day,
                    code,
                    certificate_until=certificate_until,
                    note=note,
                    reason=reason,
                    now=now,
                )
            )
        day += timedelta(days=1)
    if not created:
        raise ValidationError(_("There is no open workday in this time."), field="last")
    return created


def record_day(
    actor: Actor,
    user: User,
    day: date,
    code: AttendanceCode | str | None,
    *,
    last_day: date | None = None,
    minutes: int | None = None,
    certificate_until: date | None = None,
    note: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> list[AttendanceEntry]:
    """What the day view's form records: an absence up to `last_day` over several days, else the
    one day (confirmed, or its absence)."""
    if code and code != AttendanceCode.PRESENT.value and last_day:
        return record_absence(
            actor,
            user,
            day,
            last_day,
            code,
            certificate_until=certificate_until,
            note=note,
            reason=reason,
            now=now,
        )
    return [
        confirm_attendance(
            actor,
            user,
            day,
            code,
            minutes=minutes,
            certificate_until=certificate_until,
            note=note,
            reason=reason,
            now=now,
        )
    ]


# ---------------------------------------------------------------- the day view


@dataclass
class DayRow:
    """One trainee on the supervisor's day view."""

    user: User
    shifts: list[Shift]
    clock: worktime.DayClock | None
    events: list[ClockEvent]  # every row, corrections included, oldest first
    entry: AttendanceEntry | None
    history: list[AttendanceEntry]
    agreement: Agreement | None
    late: int
    early: int
    closed: bool

    @property
    def planned(self) -> int:
        return sum(planned_minutes(s) for s in self.shifts)

    @property
    def replaced_ids(self) -> set[int]:
        return {e.replaces_id for e in self.events if e.replaces_id is not None}

    @property
    def replaced_entry_ids(self) -> set[int]:
        return {e.replaces_id for e in self.history if e.replaces_id is not None}

    @property
    def can_confirm_as_clocked(self) -> bool:
        return self.entry is None and self.clock is not None and self.clock.is_complete

    @property
    def ready_to_confirm(self) -> bool:
        """Confirmed as clocked by one press: clock times complete, the day open, the month too."""
        return self.can_confirm_as_clocked and not self.closed


def day_overview(day: date, *, now: datetime | None = None) -> list[DayRow]:
    """Everyone with a shift, a clock entry, an entry or an agreed workday on `day`."""
    trainees = list_trainees()
    ids = [t.id for t in trainees]
    shifts = shifts_between(day, day, user_ids=ids)
    events = clock_events(ids, day, day)
    clocks = day_clocks(ids, day, day, events=events)
    entries = effective_entries(ids, day, day)
    history: dict[int, list[AttendanceEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        sa.select(AttendanceEntry).where(AttendanceEntry.day == day).order_by(AttendanceEntry.id)
    ):
        history[entry.user_id].append(entry)
    agreements = agreements_between(ids, day, day)
    everybody, own = closings_of(month_key(day))
    zone = store_zone()
    rows = []
    for trainee in trainees:
        mine = [s for s in shifts if s.user_id == trainee.id]
        clock_day = clocks.get((trainee.id, day))
        agreement = covering(agreements.get(trainee.id, []), day)
        agreed = agreement is not None and day.weekday() in agreement.workdays
        if not (mine or clock_day or (trainee.id, day) in entries or agreed):
            continue
        pair_ids = {
            e.id
            for p in (clock_day.pairs if clock_day else [])
            for e in (p.start, p.end)
            if e is not None
        }
        own_events = [
            e
            for e in events
            if e.user_id == trainee.id and (e.id in pair_ids or e.at.astimezone(zone).date() == day)
        ]
        late, early = lateness(mine, clock_day)
        rows.append(
            DayRow(
                user=trainee,
                shifts=mine,
                clock=clock_day,
                events=sorted(own_events, key=lambda e: e.seq),
                entry=entries.get((trainee.id, day)),
                history=history[trainee.id],
                agreement=agreement,
                late=late,
                early=early,
                closed=everybody is not None or trainee.id in own,
            )
        )
    return rows


def confirm_clocked(actor: Actor, day: date, *, now: datetime | None = None) -> list[AttendanceEntry]:
    """Confirm as clocked everyone of the day whose clock times are complete and not confirmed."""
    done = []
    for row in day_overview(day, now=now):
        if row.ready_to_confirm:
            done.append(confirm_attendance(actor, row.user, day, AttendanceCode.PRESENT, now=now))
    return done
