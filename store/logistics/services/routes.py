"""Vans and their days: scheduling accepted offers into a van's day within its capacity (stops and
load), the order of the stops (by postcode, or by hand), and what a day's routes hold."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.logistics.models import DonationOffer, OfferStatus, Stop, Vehicle

MAX_STOPS = 30  # a van's stops a day (the message below says so)


def list_vehicles(*, active_only: bool = False) -> list[Vehicle]:
    query = sa.select(Vehicle).order_by(Vehicle.name)
    if active_only:
        query = query.where(Vehicle.is_active.is_(True))
    return list(db.session.scalars(query))


def get_vehicle(vehicle_id: int) -> Vehicle:
    vehicle = db.session.get(Vehicle, vehicle_id)
    if vehicle is None:
        raise NotFoundError(_("This vehicle does not exist."))
    return vehicle


def save_vehicle(
    actor: Actor,
    vehicle: Vehicle | None,
    *,
    name: str,
    max_stops: int,
    volume_l: int,
    weekdays: str = "1,2,3,4,5",
    is_active: bool = True,
) -> Vehicle:
    """Create or change a van."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please give the vehicle a name."), field="name")
    if not 1 <= (max_stops or 0) <= MAX_STOPS:
        raise ValidationError(_("Between 1 and 30 stops a day."), field="max_stops")
    if not 100 <= (volume_l or 0) <= 100_000:
        raise ValidationError(_("Please give the load in m³ (at most 100)."), field="volume")
    days = sorted({int(d) for d in str(weekdays).replace(" ", "").split(",") if d in "1234567" and d})
    if not days:
        raise ValidationError(_("Please choose the days it drives."), field="weekdays")
    if vehicle is None:
        vehicle = Vehicle()
        db.session.add(vehicle)
    vehicle.name, vehicle.max_stops, vehicle.volume_l = name[:60], max_stops, volume_l
    vehicle.weekdays = ",".join(str(d) for d in days)
    vehicle.is_active = is_active
    db.session.flush()
    audit(actor, "vehicle.save", vehicle, {"name": vehicle.name})
    return vehicle


@dataclass
class Slot:
    """One van's day: its stops in order, and how full it is."""

    vehicle: Vehicle
    day: date
    stops: list[Stop]

    @property
    def load_l(self) -> int:
        return sum(s.volume_l for s in self.stops)

    @property
    def free_stops(self) -> int:
        return self.vehicle.max_stops - len(self.stops)

    @property
    def free_l(self) -> int:
        return self.vehicle.volume_l - self.load_l


def slot(vehicle: Vehicle, day: date) -> Slot:
    stops = db.session.scalars(
        sa.select(Stop)
        .where(Stop.vehicle_id == vehicle.id, Stop.day == day)
        .order_by(Stop.position, Stop.id)
    ).all()
    return Slot(vehicle, day, list(stops))


def day_slots(day: date) -> list[Slot]:
    """Every van that drives that day, or has stops on it."""
    used = set(db.session.scalars(sa.select(Stop.vehicle_id).where(Stop.day == day)))
    vehicles = [
        v for v in list_vehicles() if v.id in used or (v.is_active and day.isoweekday() in v.day_numbers)
    ]
    return [slot(v, day) for v in vehicles]


def schedule(
    actor: Actor, offer: DonationOffer, vehicle: Vehicle, day: date, *, now: datetime | None = None
) -> Stop:
    """Put an accepted offer on a van's day, if the van drives then and has room."""
    now = as_utc(now)
    if offer.status not in (OfferStatus.ACCEPTED, OfferStatus.SCHEDULED):
        raise ConflictError(_("Only accepted offers can be scheduled."))
    if day < local_today(now):
        raise ValidationError(_("The date must not be in the past."), field="day")
    if day.isoweekday() not in vehicle.day_numbers or not vehicle.is_active:
        raise ValidationError(_("%(v)s does not drive on that day.", v=vehicle.name), field="day")
    # Lock the van (PostgreSQL) so two people cannot fill its last place at once.
    db.session.execute(sa.select(Vehicle.id).where(Vehicle.id == vehicle.id).with_for_update())
    current = slot(vehicle, day)
    others = [s for s in current.stops if s.offer_id != offer.id]
    if len(others) >= vehicle.max_stops:
        raise ConflictError(_("%(v)s has no stop left on that day.", v=vehicle.name))
    load = sum(s.volume_l for s in others)
    if load + offer.volume_l > vehicle.volume_l:
        raise ConflictError(_("%(v)s has not enough room left on that day.", v=vehicle.name))
    stop = offer.stop
    if stop is None:
        stop = Stop(offer=offer, created_at=now)
        db.session.add(stop)
    stop.vehicle, stop.day = vehicle, day
    stop.position = max([s.position for s in others], default=0) + 1
    offer.status = OfferStatus.SCHEDULED
    db.session.flush()
    audit(actor, "offer.schedule", offer, {"vehicle": vehicle.name, "day": day.isoformat()}, now=now)
    return stop


def unschedule(actor: Actor, offer: DonationOffer) -> None:
    """Take an offer off its van's day (it stays accepted)."""
    if offer.stop is None or offer.status != OfferStatus.SCHEDULED:
        raise ConflictError(_("This offer is not scheduled."))
    db.session.delete(offer.stop)
    offer.status = OfferStatus.ACCEPTED
    db.session.flush()
    audit(actor, "offer.unschedule", offer, None)


def order_by_postcode(actor: Actor, vehicle: Vehicle, day: date) -> None:
    """Number the day's stops by postcode (a rough route; the crew can move stops by hand)."""
    current = slot(vehicle, day)
    ordered = sorted(current.stops, key=lambda s: (s.postcode, s.id))
    for position, stop in enumerate(ordered, start=1):
        stop.position = position
    audit(actor, "route.order", vehicle, {"day": day.isoformat(), "by": "postcode"})


def move_stop(actor: Actor, stop: Stop, delta: int) -> None:
    """Move a stop one place up (-1) or down (+1) on its van's day."""
    stops = slot(stop.vehicle, stop.day).stops
    index = next(i for i, s in enumerate(stops) if s.id == stop.id)
    other = index + (1 if delta > 0 else -1)
    if not 0 <= other < len(stops):
        return
    stops[index], stops[other] = stops[other], stops[index]
    for position, s in enumerate(stops, start=1):
        s.position = position
    audit(actor, "route.order", stop.vehicle, {"day": stop.day.isoformat(), "by": "hand"})


def get_stop(stop_id: int) -> Stop:
    stop = db.session.get(Stop, stop_id)
    if stop is None:
        raise NotFoundError(_("This stop does not exist."))
    return stop


def first_free_vehicle(offer: DonationOffer, day: date) -> Vehicle:
    """The first van that drives that day and still has room for the offer."""
    for current in day_slots(day):
        if (
            current.vehicle.is_active
            and current.free_stops > 0
            and current.free_l >= offer.volume_l
            and day.isoweekday() in current.vehicle.day_numbers
        ):
            return current.vehicle
    raise ConflictError(_("No vehicle has room left on %(d)s.", d=day.isoformat()))
