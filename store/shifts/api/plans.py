"""API: planned shifts (list and plan one, with the planning warnings) and a participant's clock
entries with their corrections."""

from datetime import date, datetime, timedelta

from flask_login import current_user
from pydantic import BaseModel, Field

from store.core.access import ALL_ROLES
from store.core.api import Schema, endpoint
from store.core.bounds import Day, Id
from store.core.web import current_actor
from store.shifts import services
from store.shifts.api.common import PLANNERS, ParticipantOut, bp
from store.shifts.models import Shift


class ShiftsQuery(Schema):
    date_from: Day | None = Field(default=None, description="default: Monday of this week")
    date_to: Day | None = Field(default=None, description="default: 13 days after date_from")
    participant: Id | None = None
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
    first, last = services.shift_range(query.date_from, query.date_to)
    user_ids = services.visible_user_ids(current_user, query.participant)
    return ShiftList(
        shifts=[
            ShiftOut.of(s)
            for s in services.shifts_between(
                first, last, user_ids=user_ids, include_cancelled=query.include_cancelled
            )
        ]
    )


class ShiftIn(Schema):
    participant: Id
    station: Id
    date: Day
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
    date_from: Day | None = Field(default=None, description="default: today")
    date_to: Day | None = Field(default=None, description="default: date_from")


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
    user = services.visible_trainee(current_user, user_id)
    first, last = services.clock_event_range(query.date_from, query.date_to)
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
            for e in services.clock_events_on(user.id, first, last)
        ]
    )
