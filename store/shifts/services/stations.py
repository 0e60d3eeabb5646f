"""Stations: the places of work (till, goods intake, sorting, …) and the weekdays they need people."""

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from store.branches.services import is_branch
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, ValidationError
from store.extensions import db
from store.shifts.models import Station
from store.shifts.services.common import check_weekdays


def list_stations(include_inactive: bool = False, branch_ids: set[int] | None = None) -> list[Station]:
    """The stations (of these branches; None: of all)."""
    query = sa.select(Station).order_by(Station.sort, Station.name)
    if branch_ids is not None:
        query = query.where(Station.branch_id.in_(branch_ids))
    if not include_inactive:
        query = query.where(Station.is_active.is_(True))
    return list(db.session.scalars(query))


def get_station(station_id: int | None) -> Station:
    station = db.session.get(Station, station_id) if station_id else None
    if station is None:
        raise NotFoundError(_("This station does not exist."))
    return station


def save_station(
    actor: Actor,
    station: Station | None,
    *,
    name: str,
    staffed_weekdays: Iterable = (),
    sort: int = 0,
    is_active: bool = True,
    branch_id: int | None = None,
) -> Station:
    """Create or change a station; the name must be free."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the station a name."), field="name")
    other = db.session.scalar(sa.select(Station.id).where(Station.name == name))
    if other and (station is None or other != station.id):
        raise ValidationError(_("A station with this name exists already."), field="name")
    days = check_weekdays(staffed_weekdays, "staffed_weekdays", required=False)
    if station is None:
        station = Station()
        db.session.add(station)
    station.name, station.staffed_weekdays = name[:60], days
    station.sort, station.is_active = int(sort or 0), bool(is_active)
    if branch_id is not None and not is_branch(branch_id):
        raise ValidationError(_("There is no such branch."), field="branch_id")
    if branch_id is not None:  # None: a new station is the first branch's, a saved one stays
        station.branch_id = branch_id
    audit(
        actor,
        "station.save",
        station,
        {"name": station.name, "staffed_weekdays": days, "is_active": station.is_active},
    )
    return station
