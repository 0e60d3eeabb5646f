"""API: a participant's monthly hours sheet, and confirming a day or recording an absence."""

from datetime import date, datetime
from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, Field

from store.core.access import ALL_ROLES
from store.core.api import Schema, endpoint
from store.core.bounds import Day, Text
from store.core.web import current_actor
from store.shifts import services, sheets
from store.shifts.api.common import CONFIRMERS, ParticipantOut, bp
from store.shifts.models import AttendanceCode, AttendanceEntry

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
    user = services.visible_trainee(current_user, user_id)
    year, month = services.parse_month(query.month)
    return HoursOut.of(sheets.month_sheet(user, year, month))


class AttendanceIn(Schema):
    date: Day
    code: Code
    hours: float | None = Field(
        default=None, ge=0, le=12, description="present: hours worked (default: as clocked)"
    )
    note: Text(200, multiline=True) | None = Field(default=None, description="never a diagnosis")
    certificate_until: Day | None = Field(default=None, description="sick_certificate: required")
    reason: Text(200, multiline=True) | None = Field(
        default=None, description="required to change a confirmed day or closed month"
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
    return AttendanceOut.of(entry)
