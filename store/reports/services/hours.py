"""Hours attended per station and per measure, and the attendance rate, from the confirmed days
(the latest entry of each day; a correction replaces the entry before it)."""

from collections import defaultdict

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


def current_entries(period: Period):
    """(user id, day, code, minutes) of the latest entry of each day in the period."""
    later = so.aliased(AttendanceEntry)
    replaced = sa.exists().where(later.replaces_id == AttendanceEntry.id)
    return db.session.execute(
        sa.select(
            AttendanceEntry.user_id, AttendanceEntry.day, AttendanceEntry.code, AttendanceEntry.minutes
        ).where(AttendanceEntry.day >= period.first, AttendanceEntry.day <= period.last, ~replaced)
    ).all()


def hours(period: Period, group: str = "station") -> dict:
    entries = current_entries(period)
    stations = dict(
        ((uid, day), name)
        for uid, day, name in db.session.execute(
            sa.select(Shift.user_id, Shift.day, Station.name)
            .join(Station, Station.id == Shift.station_id)
            .where(
                Shift.day >= period.first,
                Shift.day <= period.last,
                Shift.status == ShiftStatus.PLANNED,
            )
            .order_by(Shift.starts_at.desc())
        )
    )
    agreements = defaultdict(list)
    for a in db.session.scalars(sa.select(Agreement).where(Agreement.starts_on <= period.last)):
        agreements[a.user_id].append(a)
    minutes = present = due = 0
    people = set()
    by_station: dict[str, int] = defaultdict(int)
    by_measure: dict[str, int] = defaultdict(int)
    for uid, day, code, worked in entries:
        code = AttendanceCode(code)
        if code in DUE:
            due += 1
        if code != AttendanceCode.PRESENT:
            continue
        present += 1
        minutes += worked
        people.add(uid)
        by_station[stations.get((uid, day), "–")] += worked
        measure = next(
            (
                a.measure.value
                for a in agreements.get(uid, ())
                if a.starts_on <= day and (a.ends_on is None or a.ends_on >= day)
            ),
            "–",
        )
        by_measure[measure] += worked
    chosen = by_measure if group == "measure" else by_station
    return {
        "minutes_attended": minutes,
        "days_present": present,
        "days_due": due,
        "attendance_rate_percent": round(100 * present / due, 1) if due else None,
        "participants": len(people),
        "by_station": [{"key": k, "minutes": v} for k, v in sorted(by_station.items())],
        "by_measure": [{"key": k, "minutes": v} for k, v in sorted(by_measure.items())],
        "groups": [{"key": k, "minutes": v} for k, v in sorted(chosen.items())],
    }
