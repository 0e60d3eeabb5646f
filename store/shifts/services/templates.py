"""Shift templates: weekly patterns (station, weekdays, times) and the trainees who usually work
them; the week plan is filled from them."""

from collections.abc import Iterable
from datetime import date, time

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.extensions import db
from store.shifts import worktime
from store.shifts.models import ShiftTemplate, Station
from store.shifts.services.common import MAX_SHIFT_MINUTES, check_times, check_weekdays
from store.shifts.services.days import shift_bounds
from store.shifts.services.people import get_trainee
from store.shifts.services.stations import get_station

# The times a new shift or template starts from when nothing else fits.
DEFAULT_TIMES = (time(9, 0), time(13, 0))


def list_templates(include_inactive: bool = True) -> list[ShiftTemplate]:
    query = (
        sa.select(ShiftTemplate)
        .join(Station)
        .order_by(Station.sort, Station.name, ShiftTemplate.starts_at)
    )
    if not include_inactive:
        query = query.where(ShiftTemplate.is_active.is_(True))
    return list(db.session.scalars(query))


def get_template(template_id: int) -> ShiftTemplate:
    template = db.session.get(ShiftTemplate, template_id)
    if template is None:
        raise NotFoundError(_("This template does not exist."))
    return template


def save_template(
    actor: Actor,
    template: ShiftTemplate | None,
    *,
    station_id: int | None,
    weekdays: Iterable,
    starts_at: time | None,
    ends_at: time | None,
    member_ids: Iterable[int] = (),
    is_active: bool = True,
) -> ShiftTemplate:
    """Create or change a weekly pattern and the trainees who usually work it."""
    station = get_station(station_id)
    days = check_weekdays(weekdays, "weekdays", required=True)
    check_times(starts_at, ends_at)
    probe = date(2026, 1, 5)  # any Monday: only the length matters here
    start, end = shift_bounds(probe, starts_at, ends_at)
    if worktime.minutes_between(start, end) > MAX_SHIFT_MINUTES:
        raise ValidationError(_("A shift can be at most 12 hours long."), field="ends_at")
    members = [get_trainee(int(uid)) for uid in dict.fromkeys(member_ids or [])]
    if template is None:
        template = ShiftTemplate()
        db.session.add(template)
    template.station_id, template.weekdays = station.id, days
    template.starts_at, template.ends_at = starts_at, ends_at
    template.members = members
    template.is_active = bool(is_active)
    audit(
        actor,
        "shift_template.save",
        template,
        {
            "station": station.name,
            "weekdays": days,
            "starts_at": starts_at.isoformat("minutes"),
            "ends_at": ends_at.isoformat("minutes"),
            "members": [m.username for m in members],
            "is_active": template.is_active,
        },
    )
    return template


def usual_times(station_id: int | None, day: date | None) -> tuple[time, time]:
    """The times of a new shift at a station on a day: those of its template for that weekday,
    else DEFAULT_TIMES."""
    if station_id and day:
        for template in list_templates(include_inactive=False):
            if template.station_id == station_id and day.weekday() in template.weekdays:
                return (
                    template.starts_at.replace(second=0, microsecond=0),
                    template.ends_at.replace(second=0, microsecond=0),
                )
    return DEFAULT_TIMES
