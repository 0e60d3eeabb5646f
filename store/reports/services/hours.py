"""Hours attended per station and per measure, and the attendance rate, from the confirmed days
(the latest entry of each day; a correction replaces the entry before it)."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.extensions import db
from store.reports.services.period import Period
from store.shifts.models import (
    Agreement,
    AttendanceCode,
    AttendanceEntry,
    Shift,
    ShiftStatus,
    Station,
)

HOURS_METHOD = (
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


def _present_minutes_by(key, period: Period) -> list[dict]:
    label = key.label("key")
    rows = db.session.execute(
        sa.select(label, sa.func.sum(AttendanceEntry.minutes))
        .where(_current(period), AttendanceEntry.code == AttendanceCode.PRESENT)
        .group_by(label)
    )
    sums: dict[str, int] = {}
    for name, minutes in rows:
        name = getattr(name, "value", name) or "–"
        sums[name] = sums.get(name, 0) + int(minutes or 0)
    return [{"key": k, "minutes": v} for k, v in sorted(sums.items())]


def hours(period: Period, group: str = "station") -> dict:
    """Minutes attended, days present and due, the rate; minutes by station and by measure."""
    by_code = {
        AttendanceCode(code): (int(n), int(minutes or 0))
        for code, n, minutes in db.session.execute(
            sa.select(AttendanceEntry.code, sa.func.count(), sa.func.sum(AttendanceEntry.minutes))
            .where(_current(period))
            .group_by(AttendanceEntry.code)
        )
    }
    people = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(AttendanceEntry.user_id))).where(
            _current(period), AttendanceEntry.code == AttendanceCode.PRESENT
        )
    )
    station = (
        sa.select(sa.func.min(Station.name))
        .join(Shift, Shift.station_id == Station.id)
        .where(
            Shift.user_id == AttendanceEntry.user_id,
            Shift.day == AttendanceEntry.day,
            Shift.status == ShiftStatus.PLANNED,
        )
        .scalar_subquery()
    )
    measure = (
        sa.select(sa.func.min(Agreement.measure))
        .where(
            Agreement.user_id == AttendanceEntry.user_id,
            Agreement.starts_on <= AttendanceEntry.day,
            sa.or_(Agreement.ends_on.is_(None), Agreement.ends_on >= AttendanceEntry.day),
        )
        .scalar_subquery()
    )
    by_station = _present_minutes_by(station, period)
    by_measure = _present_minutes_by(measure, period)
    present, minutes = by_code.get(AttendanceCode.PRESENT, (0, 0))
    due = sum(n for code, (n, _m) in by_code.items() if code in DUE)
    return {
        "minutes_attended": minutes,
        "days_present": present,
        "days_due": due,
        "attendance_rate_percent": round(100 * present / due, 1) if due else None,
        "participants": int(people or 0),
        "by_station": by_station,
        "by_measure": by_measure,
        "groups": by_measure if group == "measure" else by_station,
    }
