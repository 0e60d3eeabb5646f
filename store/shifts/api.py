"""API: participants, clocking by badge, hours sheets, attendance, shifts and clock entries.

A trainee's token sees only its own person; supervisors, coordinators and admins see every trainee.
"""

from datetime import date, datetime, timedelta
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from store.auth.models import User
from store.core.access import ALL_ROLES, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.errors import ConflictError, PermissionDeniedError, ValidationError
from store.core.timeutil import local_today, to_local
from store.core.web import current_actor
from store.extensions import db
from store.shifts import services, sheets
from store.shifts.models import AttendanceCode, AttendanceEntry, ClockEvent, Shift

bp = api_blueprint("shifts_api")

STAFF = [Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN]
CONFIRMERS = STAFF
PLANNERS = [Role.SUPERVISOR, Role.ADMIN]
CLOCKERS = [Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN]

Code = Literal[
    "present",
    "sick_certificate",
    "sick_no_certificate",
    "child_sick",
    "excused",
    "unexcused",
    "leave",
    "public_holiday",
    "external_measure",
]


def visible(user_id: int) -> User:
    """A participant the caller may see: a trainee only themselves."""
    if current_user.role == Role.TRAINEE and current_user.id != user_id:
        raise PermissionDeniedError("you may only see your own records")
    return services.get_trainee(user_id)


class ParticipantOut(BaseModel):
    id: int
    name: str
    username: str
    badge: str | None

    @classmethod
    def of(cls, user: User) -> "ParticipantOut":
        return cls(id=user.id, name=user.display_name, username=user.username, badge=user.badge)


class ParticipantList(BaseModel):
    participants: list[ParticipantOut]


@endpoint(
    bp,
    "/participants",
    roles=ALL_ROLES,
    response=ParticipantList,
    summary="Participants the caller may see (a trainee: only themselves)",
)
def participants():
    if current_user.role == Role.TRAINEE:
        people = [current_user]
    else:
        people = services.list_trainees()
    return ParticipantList(participants=[ParticipantOut.of(u) for u in people])


class ClockIn(Schema):
    badge: str = Field(min_length=1, max_length=64)
    action: Literal["in", "out"]


class ClockOut(BaseModel):
    id: int
    participant: ParticipantOut
    action: str
    at: datetime
    local_time: str = Field(description="H:MM in the store's zone")
    message: str


@endpoint(
    bp,
    "/clock",
    methods=["POST"],
    roles=CLOCKERS,
    body=ClockIn,
    response=ClockOut,
    status=201,
    summary="Clock in or out by badge",
)
def clock(body: ClockIn):
    """Refuses "out" without "in" and a second "in" with 409 and a message; books nothing then.
    A trainee's token may clock only its own badge."""
    from flask_babel import gettext as _

    user = services.trainee_by_badge(body.badge)
    if current_user.role == Role.TRAINEE and user.id != current_user.id:
        raise PermissionDeniedError("a trainee may clock only with their own badge")
    try:
        event = services.clock(current_actor(), user, body.action)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConflictError("recorded at the same moment by another device; look again") from None
    when = services.clock_time(event.at)
    message = (
        _("Clocked in at %(time)s.", time=when)
        if body.action == "in"
        else _("Clocked out at %(time)s.", time=when)
    )
    return ClockOut(
        id=event.id,
        participant=ParticipantOut.of(user),
        action=body.action,
        at=event.at,
        local_time=when,
        message=message,
    )


class MonthQuery(Schema):
    month: str | None = Field(
        default=None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default: this month"
    )


class DayOut(BaseModel):
    date: date
    holiday: str | None
    planned_minutes: int
    clocked_minutes: int | None = Field(description="after the break rule; null if incomplete")
    confirmed_minutes: int | None
    code: str | None
    late_minutes: int
    early_leave_minutes: int
    certificate_until: date | None
    note: str | None


class CorrectionOut(BaseModel):
    date: date
    code_before: str | None
    minutes_before: int | None
    code: str
    minutes: int
    reason: str | None
    allowance_diff_cents: int


class TotalsOut(BaseModel):
    planned_minutes: int
    clocked_minutes: int
    confirmed_minutes: int
    attended_minutes: int


class HoursOut(BaseModel):
    participant: ParticipantOut
    month: str
    closed: bool
    closed_at: datetime | None
    days: list[DayOut]
    totals: TotalsOut
    absences: dict[str, int] = Field(description="days by attendance code")
    hourly_allowance_cents: int | None
    allowance_cents: int
    corrections: list[CorrectionOut]
    corrections_cents: int
    payable_cents: int

    @classmethod
    def of(cls, sheet: sheets.MonthSheet) -> "HoursOut":
        return cls(
            participant=ParticipantOut.of(sheet.user),
            month=sheet.key,
            closed=sheet.closing is not None,
            closed_at=sheet.closing.closed_at if sheet.closing else None,
            days=[
                DayOut(
                    date=d.day,
                    holiday=d.holiday,
                    planned_minutes=d.planned,
                    clocked_minutes=d.clocked,
                    confirmed_minutes=d.confirmed,
                    code=d.code.value if d.code else None,
                    late_minutes=d.entry.late_minutes if d.entry else 0,
                    early_leave_minutes=d.entry.early_leave_minutes if d.entry else 0,
                    certificate_until=d.entry.certificate_until if d.entry else None,
                    note=d.entry.note if d.entry else None,
                )
                for d in sheet.days
            ],
            totals=TotalsOut(
                planned_minutes=sheet.planned,
                clocked_minutes=sheet.clocked,
                confirmed_minutes=sheet.confirmed,
                attended_minutes=sheet.attended,
            ),
            absences={
                code.value: n for code, n in sheet.counts.items() if code != AttendanceCode.PRESENT
            },
            hourly_allowance_cents=(sheet.agreement.hourly_allowance_cents if sheet.agreement else None),
            allowance_cents=sheet.allowance_cents,
            corrections=[
                CorrectionOut(
                    date=c.entry.day,
                    code_before=c.before.code.value if c.before else None,
                    minutes_before=c.before.minutes if c.before else None,
                    code=c.entry.code.value,
                    minutes=c.entry.minutes,
                    reason=c.entry.reason,
                    allowance_diff_cents=c.allowance_diff_cents,
                )
                for c in sheet.corrections
            ],
            corrections_cents=sheet.corrections_cents,
            payable_cents=sheet.payable_cents,
        )


@endpoint(
    bp,
    "/participants/<int:user_id>/hours",
    roles=ALL_ROLES,
    query=MonthQuery,
    response=HoursOut,
    summary="A participant's monthly hours sheet",
)
def hours(user_id: int, query: MonthQuery):
    """Per day planned, clocked and confirmed minutes and the code; totals; the allowance in
    cents (only for hours attended, at the person's rate). A closed month is shown as closed;
    later changes appear under `corrections` of the next open month."""
    user = visible(user_id)
    year, month = services.parse_month(query.month)
    return HoursOut.of(sheets.month_sheet(user, year, month))


class AttendanceIn(Schema):
    date: date
    code: Code
    hours: float | None = Field(
        default=None, ge=0, le=12, description="present: hours worked (default: as clocked)"
    )
    note: str | None = Field(default=None, max_length=200, description="never a diagnosis")
    certificate_until: date | None = Field(default=None, description="sick_certificate: required")
    reason: str | None = Field(
        default=None, max_length=200, description="required to change a confirmed day or closed month"
    )


class AttendanceOut(BaseModel):
    id: int
    participant_id: int
    date: date
    code: str
    minutes: int
    break_minutes: int
    late_minutes: int
    early_leave_minutes: int
    certificate_until: date | None
    note: str | None
    confirmed_by: str | None
    confirmed_at: datetime
    replaces: int | None
    reason: str | None
    reported_in: str | None

    @classmethod
    def of(cls, entry: AttendanceEntry) -> "AttendanceOut":
        return cls(
            id=entry.id,
            participant_id=entry.user_id,
            date=entry.day,
            code=entry.code.value,
            minutes=entry.minutes,
            break_minutes=entry.break_minutes,
            late_minutes=entry.late_minutes,
            early_leave_minutes=entry.early_leave_minutes,
            certificate_until=entry.certificate_until,
            note=entry.note,
            confirmed_by=entry.confirmed_by.username if entry.confirmed_by else None,
            confirmed_at=entry.confirmed_at,
            replaces=entry.replaces_id,
            reason=entry.reason,
            reported_in=entry.reported_in,
        )


@endpoint(
    bp,
    "/participants/<int:user_id>/attendance",
    methods=["POST"],
    roles=CONFIRMERS,
    body=AttendanceIn,
    response=AttendanceOut,
    status=201,
    summary="Confirm a day or record an absence",
)
def attendance(user_id: int, body: AttendanceIn):
    """A day that is confirmed already, or in a closed month, changes only with a `reason`: the
    answer is then a counter-entry that replaces the earlier one."""
    user = services.get_trainee(user_id)
    minutes = round(body.hours * 60) if body.hours is not None else None
    try:
        entry = services.confirm_attendance(
            current_actor(),
            user,
            body.date,
            body.code,
            minutes=minutes,
            note=body.note,
            certificate_until=body.certificate_until,
            reason=body.reason,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConflictError("confirmed at the same moment by someone else; look again") from None
    return AttendanceOut.of(entry)


class ShiftsQuery(Schema):
    date_from: date | None = Field(default=None, description="default: Monday of this week")
    date_to: date | None = Field(default=None, description="default: 13 days after date_from")
    participant: int | None = None
    include_cancelled: bool = False


class ShiftOut(BaseModel):
    id: int
    participant: ParticipantOut
    station: str
    date: date
    starts_at: datetime
    ends_at: datetime
    local_start: str
    local_end: str
    minutes: int = Field(description="length of the shift")
    work_minutes: int = Field(description="planned work: the length less the break rule")
    status: str
    sequence: int
    updated_at: datetime

    @classmethod
    def of(cls, shift: Shift) -> "ShiftOut":
        return cls(
            id=shift.id,
            participant=ParticipantOut.of(shift.user),
            station=shift.station.name,
            date=shift.day,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            local_start=services.clock_time(shift.starts_at),
            local_end=services.clock_time(shift.ends_at),
            minutes=shift.minutes,
            work_minutes=services.planned_minutes(shift),
            status=shift.status.value,
            sequence=shift.sequence,
            updated_at=shift.updated_at,
        )


class ShiftList(BaseModel):
    shifts: list[ShiftOut]


@endpoint(
    bp,
    "/shifts",
    roles=ALL_ROLES,
    query=ShiftsQuery,
    response=ShiftList,
    summary="Planned shifts (a trainee: only their own)",
)
def shifts(query: ShiftsQuery):
    first = query.date_from or services.week_start(local_today())
    last = query.date_to or first + timedelta(days=13)
    if last < first or (last - first).days > 366:
        raise ValidationError("date_to must be after date_from, at most a year later")
    user_ids = None
    if current_user.role == Role.TRAINEE:
        user_ids = [current_user.id]
        if query.participant not in (None, current_user.id):
            raise PermissionDeniedError("you may only see your own shifts")
    elif query.participant is not None:
        user_ids = [query.participant]
    return ShiftList(
        shifts=[
            ShiftOut.of(s)
            for s in services.shifts_between(
                first, last, user_ids=user_ids, include_cancelled=query.include_cancelled
            )
        ]
    )


class ShiftIn(Schema):
    participant: int
    station: int
    date: date
    starts: str = Field(pattern=r"^\d{1,2}:\d{2}$", description="local time, e.g. 9:00")
    ends: str = Field(
        pattern=r"^\d{1,2}:\d{2}$", description="local time; at or before `starts` means the next day"
    )


class PlannedOut(BaseModel):
    shift: ShiftOut
    warnings: list[str]


@endpoint(
    bp,
    "/shifts",
    methods=["POST"],
    roles=PLANNERS,
    body=ShiftIn,
    response=PlannedOut,
    status=201,
    summary="Plan a shift; the answer lists the planning warnings",
)
def plan_shift(body: ShiftIn):
    shift = services.assign_shift(
        current_actor(),
        user_id=body.participant,
        station_id=body.station,
        day=body.date,
        starts_at=services.parse_time(body.starts, "starts"),
        ends_at=services.parse_time(body.ends, "ends"),
    )
    db.session.commit()
    monday = services.week_start(shift.day)
    warnings = [
        w.message
        for w in services.plan_warnings(monday, monday + timedelta(days=6), user_ids=[shift.user_id])
    ]
    return PlannedOut(shift=ShiftOut.of(shift), warnings=warnings)


class ClockEventOut(BaseModel):
    id: int
    kind: str
    at: datetime
    local_time: str
    recorded_at: datetime
    recorded_by: str | None
    till_id: int | None
    source: str
    replaces: int | None
    reason: str | None


class ClockEventList(BaseModel):
    events: list[ClockEventOut]


class RangeQuery(Schema):
    date_from: date | None = Field(default=None, description="default: today")
    date_to: date | None = Field(default=None, description="default: date_from")


@endpoint(
    bp,
    "/participants/<int:user_id>/clock-events",
    roles=ALL_ROLES,
    query=RangeQuery,
    response=ClockEventList,
    summary="Clock entries with their corrections",
)
def clock_events(user_id: int, query: RangeQuery):
    """Every row: counter-entries name the entry they replace (`replaces`) and their reason."""
    user = visible(user_id)
    first = query.date_from or local_today()
    last = query.date_to or first
    if last < first or (last - first).days > 366:
        raise ValidationError("date_to must be after date_from, at most a year later")
    events: list[ClockEvent] = services.clock_events([user.id], first, last)
    kept = {e.id for e in events if first <= to_local(e.at).date() <= last}
    events = [e for e in events if e.id in kept or e.replaces_id in kept]
    return ClockEventList(
        events=[
            ClockEventOut(
                id=e.id,
                kind=e.kind.value,
                at=e.at,
                local_time=services.clock_time(e.at),
                recorded_at=e.recorded_at,
                recorded_by=e.recorded_by.username if e.recorded_by else None,
                till_id=e.till_id,
                source=e.source,
                replaces=e.replaces_id,
                reason=e.reason,
            )
            for e in events
        ]
    )
