"""Stations, agreements, shift templates and planned shifts; clock events, attendance entries and
month closings (append-only bookings), and the secret calendar links.

Times of day are planned in the store's zone and stored as aware UTC instants; the local date of a
shift is kept beside them, because a day in Europe/Berlin can be 23 or 25 hours long.
"""

from datetime import UTC, date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.branches.models import BranchOwned
from store.core.types import UTCDateTime
from store.extensions import db


def _enum(cls, length: int = 24):
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Station(BranchOwned, db.Model):
    """A place in the store where trainees work (Kasse, Warenannahme, …). Admins edit them."""

    __tablename__ = "station"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    # Weekdays (0 = Monday) on which the planner warns when nobody is planned here.
    staffed_weekdays: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    sort: so.Mapped[int] = so.mapped_column(default=0)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)


class Measure(StrEnum):
    AGH = "agh"  # Arbeitsgelegenheit, §16d SGB II (allowance per hour attended)
    TAM = "tam"  # Teilhabe am Arbeitsmarkt, §16i SGB II (employment, no allowance)
    INTERNSHIP = "internship"
    APPRENTICESHIP = "apprenticeship"
    VOLUNTEER = "volunteer"


class Agreement(db.Model):
    """What a trainee's measure allows: dates, hours, days and allowance. Coordinators edit it.

    Only fields the shift planning and the hours sheet use; the participant records extend it.
    """

    __tablename__ = "agreement"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    measure: so.Mapped[Measure] = so.mapped_column(_enum(Measure))
    # The planner warns about shifts before the start or after the planned end.
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date | None]
    # Agreed hours per week (as minutes): the planner warns above them.
    weekly_minutes: so.Mapped[int]
    # Agreed weekdays (0 = Monday): the planner warns about shifts on other days.
    workdays: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # Mehraufwandsentschädigung per attended hour (AGH); None = no allowance.
    hourly_allowance_cents: so.Mapped[int | None]
    # Longest allowed duration from the start (AGH: 24 months); the planner warns after it.
    max_months: so.Mapped[int | None]
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    user = so.relationship("User")


template_member = sa.Table(
    "shift_template_member",
    db.metadata,
    sa.Column("template_id", sa.ForeignKey("shift_template.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id"), primary_key=True),
)


class ShiftTemplate(db.Model):
    """A weekly pattern (Mon–Fri 9:00–13:00 at Warenannahme) and the trainees who usually work it."""

    __tablename__ = "shift_template"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    station_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("station.id"), index=True)
    weekdays: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    starts_at: so.Mapped[time]  # local time of day
    ends_at: so.Mapped[time]
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    station: so.Mapped[Station] = so.relationship()
    members = so.relationship("User", secondary=template_member, order_by="User.first_name")


class ShiftStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class Shift(db.Model):
    """A planned shift. Changed or cancelled in place (audited); the calendar feed follows by
    SEQUENCE and LAST-MODIFIED, so a cancelled shift stays as a row."""

    __tablename__ = "shift"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"))
    station_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("station.id"), index=True)
    day: so.Mapped[date] = so.mapped_column(index=True)  # the local date
    starts_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    ends_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    status: so.Mapped[ShiftStatus] = so.mapped_column(
        _enum(ShiftStatus, 16), default=ShiftStatus.PLANNED
    )
    template_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("shift_template.id"))
    sequence: so.Mapped[int] = so.mapped_column(default=0)  # iCalendar SEQUENCE
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    user = so.relationship("User")
    station: so.Mapped[Station] = so.relationship()

    __table_args__ = (sa.Index("ix_shift_user_day", "user_id", "day"),)

    @property
    def minutes(self) -> int:
        # In UTC: two datetimes of one zone subtract by their wall clocks (wrong across DST).
        return int((self.ends_at.astimezone(UTC) - self.starts_at.astimezone(UTC)).total_seconds() // 60)

    @property
    def is_planned(self) -> bool:
        return self.status == ShiftStatus.PLANNED


class ClockKind(StrEnum):
    IN = "in"
    OUT = "out"
    VOID = "void"  # only as a counter-entry: the replaced event did not happen


class ClockEvent(db.Model):
    """Kommen or Gehen, as pressed at a till or entered by a supervisor. Never changed: a
    correction is a new row that replaces an earlier one, with reason and who."""

    __tablename__ = "clock_event"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"))
    # Per-user counter: two tills pressing at the same moment cannot both book (unique).
    seq: so.Mapped[int]
    kind: so.Mapped[ClockKind] = so.mapped_column(_enum(ClockKind, 8))
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)  # when it happened
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)  # when it was written
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    till_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("till.id"))
    source: so.Mapped[str] = so.mapped_column(sa.String(16))  # web | api | cli | correction
    address: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    replaces_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("clock_event.id"), unique=True)
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))

    user = so.relationship("User", foreign_keys=[user_id])
    recorded_by = so.relationship("User", foreign_keys=[recorded_by_id])
    till = so.relationship("Till")

    __table_args__ = (
        sa.UniqueConstraint("user_id", "seq"),
        sa.Index("ix_clock_event_user_at", "user_id", "at"),
    )

    @property
    def is_correction(self) -> bool:
        return self.reason is not None


class AttendanceCode(StrEnum):
    PRESENT = "present"
    SICK_CERTIFICATE = "sick_certificate"  # krank mit AU (with until-date)
    SICK_NO_CERTIFICATE = "sick_no_certificate"
    CHILD_SICK = "child_sick"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"
    LEAVE = "leave"
    PUBLIC_HOLIDAY = "public_holiday"
    EXTERNAL_MEASURE = "external_measure"  # e.g. a language course at a partner


class AttendanceEntry(db.Model):
    """One trainee's confirmed day: one code, the minutes worked, late or early. Never changed:
    a later change is a new entry that replaces this one (with reason and who)."""

    __tablename__ = "attendance_entry"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"))
    day: so.Mapped[date]
    code: so.Mapped[AttendanceCode] = so.mapped_column(_enum(AttendanceCode))
    minutes: so.Mapped[int] = so.mapped_column(default=0)  # worked, after the break
    break_minutes: so.Mapped[int] = so.mapped_column(default=0)  # deducted by the break rule
    late_minutes: so.Mapped[int] = so.mapped_column(default=0)
    early_leave_minutes: so.Mapped[int] = so.mapped_column(default=0)
    # Sick with a certificate: until when it holds. Never a diagnosis anywhere.
    certificate_until: so.Mapped[date | None]
    note: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    confirmed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    confirmed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    source: so.Mapped[str] = so.mapped_column(sa.String(16))
    replaces_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("attendance_entry.id"), unique=True
    )
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    # Set when the day's month was closed already: the sheet of this month lists it as a correction.
    reported_in: so.Mapped[str | None] = so.mapped_column(sa.String(7), index=True)

    user = so.relationship("User", foreign_keys=[user_id])
    confirmed_by = so.relationship("User", foreign_keys=[confirmed_by_id])
    replaces: so.Mapped["AttendanceEntry | None"] = so.relationship(remote_side=[id])

    __table_args__ = (
        sa.Index("ix_attendance_entry_user_day", "user_id", "day"),
        # A day is confirmed first once; every later change replaces the entry before it.
        sa.Index(
            "uq_attendance_entry_first",
            "user_id",
            "day",
            unique=True,
            sqlite_where=sa.text("replaces_id IS NULL"),
            postgresql_where=sa.text("replaces_id IS NULL"),
        ),
    )


class MonthClosing(db.Model):
    """A month closed by a coordinator, for one trainee or (user_id NULL) for all."""

    __tablename__ = "month_closing"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    month: so.Mapped[str] = so.mapped_column(sa.String(7))  # "2026-03"
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    closed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    closed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    user = so.relationship("User", foreign_keys=[user_id])
    closed_by = so.relationship("User", foreign_keys=[closed_by_id])

    __table_args__ = (
        sa.UniqueConstraint("month", "user_id"),
        sa.Index(
            "uq_month_closing_all",
            "month",
            unique=True,
            sqlite_where=sa.text("user_id IS NULL"),
            postgresql_where=sa.text("user_id IS NULL"),
        ),
    )


class CalendarToken(db.Model):
    """The secret link of a trainee's calendar feed. Only its SHA-256 is kept; revocable."""

    __tablename__ = "calendar_token"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user = so.relationship("User")
