"""Hours attended per station and per measure, and the attendance rate, from the confirmed days
(the latest entry of each day; a correction replaces the entry before it).

An entry's branch is the branch of the station of the day's planned shift; without one, the first
branch the person works in (else the store's first): so every minute counts in exactly one branch,
and the branches add up to the total."""

from collections import defaultdict

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from store.branches.models import Branch, user_branch
from store.reports.services.period import Period
from store.reports.services.sql import read
from store.shifts.models import (
    Agreement,
    AttendanceCode,
    AttendanceEntry,
    Shift,
    ShiftStatus,
    Station,
)

HOURS_METHOD = _l(
    "Confirmed attendance (the latest entry of each day): minutes attended = minutes worked on days "
    "marked present. Station = the station of the day's planned shift; measure = the agreement valid "
    "on the day. Attendance rate = days present / days due (present, sick, child sick, excused, "
    "unexcused)."
)
DUE = {
    AttendanceCode.PRESENT,
    AttendanceCode.SICK_CERTIFICATE,
    AttendanceCode.SICK_NO_CERTIFICATE,
    AttendanceCode.CHILD_SICK,
    AttendanceCode.EXCUSED,
    AttendanceCode.UNEXCUSED,
}


def _current(period: Period):
    """The latest entry of each day in the period (an entry no later one replaces)."""
    later = so.aliased(AttendanceEntry)
    return sa.and_(
        AttendanceEntry.day >= period.first,
        AttendanceEntry.day <= period.last,
        ~sa.exists().where(later.replaces_id == AttendanceEntry.id),
    )


def _planned_station(column):
    """`column` of the station of the entry's planned shift that day (correlated; None: none)."""
    return (
        sa.select(sa.func.min(column))
        .join(Shift, Shift.station_id == Station.id)
        .where(
            Shift.user_id == AttendanceEntry.user_id,
            Shift.day == AttendanceEntry.day,
            Shift.status == ShiftStatus.PLANNED,
        )
        .scalar_subquery()
    )


def entry_branch():
    """The branch id of an attendance entry (a correlated scalar expression)."""
    planned = _planned_station(Station.branch_id)
    own = (
        sa.select(sa.func.min(user_branch.c.branch_id))
        .where(user_branch.c.user_id == AttendanceEntry.user_id)
        .scalar_subquery()
    )
    any_branch = so.aliased(Branch)  # not correlated with a Branch of an enclosing query
    first = sa.select(sa.func.min(any_branch.id)).scalar_subquery()
    return sa.func.coalesce(planned, own, first)


def _of(branches: frozenset[int] | None):
    return sa.true() if branches is None else entry_branch().in_(sorted(branches))


def _word(value) -> str:
    return getattr(value, "value", value) or "–"


def hours(period: Period, group: str = "station", branches: frozenset[int] | None = None) -> dict:
    """Minutes attended, days present and due, the rate; minutes by station, measure and branch; of
    the entries of `branches` (None: every branch)."""
    by_code = {
        AttendanceCode(code): (int(n), int(minutes or 0), int(people))
        for code, n, minutes, people in read(
            sa.select(
                AttendanceEntry.code,
                sa.func.count(),
                sa.func.sum(AttendanceEntry.minutes),
                sa.func.count(sa.distinct(AttendanceEntry.user_id)),
            )
            .where(_current(period), _of(branches))
            .group_by(AttendanceEntry.code)
        )
    }
    station = _planned_station(Station.name).label("station")
    branch = entry_branch().label("branch")
    names = dict(read(sa.select(Branch.id, Branch.name)).all())
    measure = (
        sa.select(sa.func.min(Agreement.measure))
        .where(
            Agreement.user_id == AttendanceEntry.user_id,
            Agreement.starts_on <= AttendanceEntry.day,
            sa.or_(Agreement.ends_on.is_(None), Agreement.ends_on >= AttendanceEntry.day),
        )
        .scalar_subquery()
        .label("measure")
    )
    by_station: dict[str, int] = defaultdict(int)
    by_measure: dict[str, int] = defaultdict(int)
    by_branch: dict[str, int] = defaultdict(int)
    for where, what, shop, minutes in read(
        sa.select(station, measure, branch, sa.func.sum(AttendanceEntry.minutes))
        .where(_current(period), AttendanceEntry.code == AttendanceCode.PRESENT, _of(branches))
        .group_by(station, measure, branch)
    ):
        by_station[_word(where)] += int(minutes or 0)
        by_measure[_word(what)] += int(minutes or 0)
        by_branch[names.get(shop, "–")] += int(minutes or 0)
    stations = [{"key": k, "minutes": v} for k, v in sorted(by_station.items())]
    measures = [{"key": k, "minutes": v} for k, v in sorted(by_measure.items())]
    shops = [{"key": k, "minutes": v} for k, v in sorted(by_branch.items())]
    present, minutes, people = by_code.get(AttendanceCode.PRESENT, (0, 0, 0))
    due = sum(n for code, (n, _m, _p) in by_code.items() if code in DUE)
    return {
        "minutes_attended": minutes,
        "days_present": present,
        "days_due": due,
        "attendance_rate_percent": round(100 * present / due, 1) if due else None,
        "participants": people,
        "by_station": stations,
        "by_measure": measures,
        "by_branch": shops,
        "groups": {"measure": measures, "branch": shops}.get(group, stations),
    }
