"""The monthly hours sheet (Stundennachweis / Anwesenheitsliste) of each trainee.

Per day: planned, clocked and confirmed minutes and one attendance code; absences counted by type;
totals; and the allowance (Mehraufwandsentschädigung) for the hours actually attended, at the
person's own rate. A closed month is shown as it was closed; later counter-entries appear as
corrections on the sheet of the next open month. Many sheets are computed with a handful of queries.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from store.auth.models import User
from store.core.timeutil import local_today, month_key
from store.extensions import db
from store.shifts import services
from store.shifts.models import (
    Agreement,
    AttendanceCode,
    AttendanceEntry,
    MonthClosing,
    Shift,
    ShiftStatus,
)
from store.shifts.worktime import DayClock


def allowance_cents(minutes: int, rate_cents: int | None) -> int:
    """Minutes at an hourly rate, rounded half up to the cent."""
    if not rate_cents or minutes <= 0:
        return 0
    return (minutes * rate_cents * 2 + 60) // 120


def entry_allowance(entry: AttendanceEntry | None, rate_cents: int | None) -> int:
    """Only hours actually attended are paid: sick, leave, holidays and the rest yield 0."""
    if entry is None or entry.code != AttendanceCode.PRESENT:
        return 0
    return allowance_cents(entry.minutes, rate_cents)


@dataclass
class SheetDay:
    day: date
    holiday: str | None
    planned: int
    clock: DayClock | None
    entry: AttendanceEntry | None  # or a result row with its columns
    is_workday: bool

    @property
    def clocked(self) -> int | None:
        return self.clock.net if self.clock is not None and self.clock.is_complete else None

    @property
    def confirmed(self) -> int | None:
        return self.entry.minutes if self.entry is not None else None

    @property
    def code(self) -> AttendanceCode | None:
        return self.entry.code if self.entry is not None else None

    @property
    def is_open(self) -> bool:
        """Planned (or clocked) but not confirmed yet."""
        return self.entry is None and (self.planned > 0 or self.clock is not None)


@dataclass
class Correction:
    """A change to a day of a month that was closed already."""

    entry: AttendanceEntry
    before: AttendanceEntry | None
    allowance_diff_cents: int


@dataclass
class MonthSheet:
    user: User
    year: int
    month: int
    days: list[SheetDay]
    agreements: list[Agreement]
    closing: MonthClosing | None
    corrections: list[Correction] = field(default_factory=list)
    # The Jobcenter's customer number: set only by the coordinators' export for the Jobcenter
    # (store.network.exports), never on the sheets supervisors download.
    reference: str | None = None

    @property
    def key(self) -> str:
        return month_key(self.year, self.month)

    @property
    def first(self) -> date:
        return self.days[0].day

    @property
    def agreement(self) -> Agreement | None:
        """The agreement of the month's last covered day (what the sheet's head shows)."""
        return self.agreements[-1] if self.agreements else None

    def rate_on(self, day: date) -> int | None:
        agreement = services.covering(self.agreements, day)
        return agreement.hourly_allowance_cents if agreement else None

    @property
    def rates(self) -> list[int]:
        return sorted({a.hourly_allowance_cents for a in self.agreements if a.hourly_allowance_cents})

    @property
    def planned(self) -> int:
        return sum(d.planned for d in self.days)

    @property
    def clocked(self) -> int:
        return sum(d.clocked or 0 for d in self.days)

    @property
    def confirmed(self) -> int:
        return sum(d.confirmed or 0 for d in self.days)

    @property
    def attended(self) -> int:
        """Minutes confirmed as present: the ones the allowance pays."""
        return sum(d.confirmed or 0 for d in self.days if d.code == AttendanceCode.PRESENT)

    @property
    def counts(self) -> Counter:
        return Counter(d.code for d in self.days if d.code is not None)

    @property
    def open_days(self) -> list[SheetDay]:
        """Past days that were planned or clocked but are not confirmed."""
        today = local_today()
        return [d for d in self.days if d.is_open and d.day < today]

    @property
    def allowance_cents(self) -> int:
        """Attended minutes at each rate in force, each sum rounded half up to the cent."""
        by_rate: dict[int, int] = defaultdict(int)
        for d in self.days:
            if d.code == AttendanceCode.PRESENT:
                rate = self.rate_on(d.day)
                if rate:
                    by_rate[rate] += d.entry.minutes
        return sum(allowance_cents(minutes, rate) for rate, minutes in by_rate.items())

    @property
    def corrections_cents(self) -> int:
        return sum(c.allowance_diff_cents for c in self.corrections)

    @property
    def payable_cents(self) -> int:
        return self.allowance_cents + self.corrections_cents

    @property
    def has_allowance(self) -> bool:
        return bool(self.rates) or bool(self.corrections_cents)


def month_sheet(user: User, year: int, month: int) -> MonthSheet:
    return month_sheets([user], year, month)[0]


def month_sheets(users: list[User], year: int, month: int) -> list[MonthSheet]:
    """The sheets of `users` for one month, in their order, with a fixed number of queries."""
    days = services.month_days(year, month)
    first, last = days[0], days[-1]
    key = month_key(year, month)
    ids = [u.id for u in users]
    everybody, own = services.closings_of(key)

    def closing_of(user_id: int) -> MonthClosing | None:
        return own.get(user_id) or everybody

    # A closed month is shown as it was when it was closed.
    as_of = {uid: c.closed_at for uid in ids if (c := closing_of(uid)) is not None}
    effective = _entries_as_of(ids, first, last, as_of)
    clocks = _clocks_as_of(ids, first, last, as_of)
    planned = _planned(ids, first, last)
    agreements = services.agreements_between(ids, first, last)
    holidays = {d: h for d in days if (h := services.holiday_name(d))}
    corrections = _corrections(ids, key)
    sheets = []
    for user in users:
        mine = agreements.get(user.id, [])
        sheet_days = []
        for day in days:
            agreement = services.covering(mine, day)
            sheet_days.append(
                SheetDay(
                    day=day,
                    holiday=holidays.get(day),
                    planned=planned.get((user.id, day), 0),
                    clock=clocks.get((user.id, day)),
                    entry=effective.get((user.id, day)),
                    is_workday=agreement is not None and day.weekday() in agreement.workdays,
                )
            )
        sheets.append(
            MonthSheet(
                user=user,
                year=year,
                month=month,
                days=sheet_days,
                agreements=mine,
                closing=closing_of(user.id),
                corrections=corrections.get(user.id, []),
            )
        )
    return sheets


def _entries_as_of(
    ids: list[int], first: date, last: date, as_of: dict[int, datetime]
) -> dict[tuple[int, date], object]:
    """The entry that counts per (user, day), each person's as it was at their closing (if any).
    Plain rows, not ORM objects: for 200 sheets, building objects would be most of the cost."""
    latest = max(as_of.values(), default=None) if len(as_of) == len(ids) else None
    entries = db.session.execute(
        sa.select(*AttendanceEntry.__table__.c).where(
            AttendanceEntry.user_id.in_(ids),
            AttendanceEntry.day >= first,
            AttendanceEntry.day <= last,
            *([AttendanceEntry.confirmed_at <= latest] if latest is not None else []),
        )
    ).all()
    per_user_entries: dict[int, list] = defaultdict(list)
    for entry in entries:
        if entry.user_id not in as_of or entry.confirmed_at <= as_of[entry.user_id]:
            per_user_entries[entry.user_id].append(entry)
    effective = {}
    for own_entries in per_user_entries.values():
        effective.update(services.resolve_entries(own_entries))
    return effective


def _clocks_as_of(
    ids: list[int], first: date, last: date, as_of: dict[int, datetime]
) -> dict[tuple[int, date], DayClock]:
    """Worked time per (user, day) from the clock rows recorded up to each person's closing."""
    events = services.clock_events(ids, first, last, rows=True)
    clocks = {}
    per_user_events = defaultdict(list)
    for event in events:
        if event.user_id not in as_of or event.recorded_at <= as_of[event.user_id]:
            per_user_events[event.user_id].append(event)
    for user_id, own_events in per_user_events.items():
        clocks.update(services.day_clocks([user_id], first, last, events=own_events))
    return clocks


def _planned(ids: list[int], first: date, last: date) -> dict[tuple[int, date], int]:
    """Planned work minutes per (user, day)."""
    planned: dict[tuple[int, date], int] = defaultdict(int)
    rules = services.break_rules()
    for user_id, day, starts_at, ends_at in db.session.execute(
        sa.select(Shift.user_id, Shift.day, Shift.starts_at, Shift.ends_at).where(
            Shift.user_id.in_(ids),
            Shift.day >= first,
            Shift.day <= last,
            Shift.status == ShiftStatus.PLANNED,
        )
    ):
        planned[(user_id, day)] += services.planned_work(starts_at, ends_at, rules)
    return planned


def _corrections(user_ids: list[int], key: str) -> dict[int, list[Correction]]:
    """Counter-entries to closed months that this month's sheet reports."""
    rows = list(
        db.session.scalars(
            sa.select(AttendanceEntry)
            .where(AttendanceEntry.user_id.in_(user_ids), AttendanceEntry.reported_in == key)
            .order_by(AttendanceEntry.day, AttendanceEntry.id)
        )
    )
    if not rows:
        return {}
    before_ids = [r.replaces_id for r in rows if r.replaces_id]
    before = (
        {
            e.id: e
            for e in db.session.scalars(
                sa.select(AttendanceEntry).where(AttendanceEntry.id.in_(before_ids))
            )
        }
        if before_ids
        else {}
    )
    days = [r.day for r in rows]
    agreements = services.agreements_between(user_ids, min(days), max(days))
    found: dict[int, list[Correction]] = defaultdict(list)
    for row in rows:
        agreement = services.covering(agreements.get(row.user_id, []), row.day)
        rate = agreement.hourly_allowance_cents if agreement else None
        old = before.get(row.replaces_id)
        found[row.user_id].append(
            Correction(
                entry=row,
                before=old,
                allowance_diff_cents=entry_allowance(row, rate) - entry_allowance(old, rate),
            )
        )
    return found


def later_corrections(sheet: MonthSheet) -> list[AttendanceEntry]:
    """Counter-entries to this closed month, made after it was closed (later sheets show them)."""
    if sheet.closing is None:
        return []
    return list(
        db.session.scalars(
            sa.select(AttendanceEntry).where(
                AttendanceEntry.user_id == sheet.user.id,
                AttendanceEntry.day >= sheet.first,
                AttendanceEntry.day <= sheet.days[-1].day,
                AttendanceEntry.reported_in.is_not(None),
            )
        )
    )


def sheets_for_files(year: int, month: int, branch_ids: set[int] | None = None) -> list[MonthSheet]:
    """The sheets a month's files hold: every trainee (former ones too; of these branches, None:
    of all) with something in the month (an agreement, planned or confirmed hours, or a
    correction of a closed month)."""
    return [
        s
        for s in month_sheets(services.trainees_of(branch_ids, include_inactive=True), year, month)
        if s.agreements or s.confirmed or s.planned or s.corrections
    ]
