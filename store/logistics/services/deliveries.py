"""Deliveries: a sale whose receipt carries the delivery line (the store's fee, a service line at
its own VAT rate, store.till) goes to the customer's address on a van's day, beside the pick-ups.
The address is given after paying (at the till's "paid" screen, or `POST /api/v1/deliveries`), so
the till's tables never hold it; the retention run removes it a while after the day."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import ConflictError, NotFoundError, ValidationError
from store.core.exports import safe_cell
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.logistics.models import DeliveryStatus, SaleDelivery, Stop, Vehicle
from store.logistics.services.offers import POSTCODE
from store.logistics.services.routes import first_free_vehicle, slot
from store.till.models import Sale, SaleKind

DELIVERY = "delivery"  # the service of the receipt's delivery line (store.till.services.cart)


def get_sale_for_delivery(sale_id: int) -> Sale:
    sale = db.session.get(Sale, sale_id)
    if sale is None:
        raise NotFoundError(_("This sale does not exist."))
    return sale


def get_delivery(delivery_id: int) -> SaleDelivery:
    delivery = db.session.get(SaleDelivery, delivery_id)
    if delivery is None:
        raise NotFoundError(_("This delivery does not exist."))
    return delivery


def delivery_of(sale: Sale) -> SaleDelivery | None:
    return db.session.scalar(sa.select(SaleDelivery).where(SaleDelivery.sale_id == sale.id))


def _check_sale(sale: Sale) -> None:
    if sale.kind != SaleKind.SALE or sale.training:
        raise ValidationError(_("Only a sale is delivered."), field="sale")
    if not any(line.service == DELIVERY for line in sale.lines):
        raise ValidationError(
            _("This receipt has no delivery line. Please add the delivery at the till."), field="sale"
        )
    if delivery_of(sale) is not None:
        raise ConflictError(_("This sale's delivery is planned already."))


def plan_delivery(
    actor: Actor,
    sale: Sale,
    *,
    day: date | None,
    address: str,
    name: str | None = None,
    phone: str | None = None,
    floor: int | None = None,
    has_lift: bool = False,
    volume_l: int = 0,
    vehicle: Vehicle | None = None,
    now: datetime | None = None,
) -> SaleDelivery:
    """Plan the delivery of a paid sale: its address and day, on a van with room that day."""
    now = as_utc(now)
    _check_sale(sale)
    address = safe_cell((address or "").strip())
    postcode = POSTCODE.search(address)
    if not address or postcode is None:
        raise ValidationError(_("Please give the address with its postcode."), field="address")
    if day is None or day < local_today(now):
        raise ValidationError(_("The date must not be in the past."), field="day")
    if not 0 <= (volume_l or 0) <= 50_000:
        raise ValidationError(_("Please give the load in m³ (at most 100)."), field="volume")
    goods_lines = [line for line in sale.lines if line.item_id or line.article_id]
    what = ", ".join(f"{line.quantity} × {line.description}" for line in goods_lines)
    delivery = SaleDelivery(
        created_at=now,
        created_by_id=actor.user_id,
        sale_id=sale.id,
        receipt_number=sale.receipt_number,
        what=what[:200] or "–",
        volume_l=volume_l or 0,
        day=day,
        status=DeliveryStatus.PLANNED,
        name=safe_cell((name or "").strip())[:120] or None,
        address=address[:200],
        postcode=postcode.group(1),
        floor=floor,
        has_lift=bool(has_lift),
        phone=(phone or "").strip()[:40] or None,
    )
    db.session.add(delivery)
    _place(delivery, vehicle or first_free_vehicle(delivery, day), day, now)
    db.session.flush()  # one delivery per sale: the unique index refuses a second (409)
    audit(
        actor,
        "delivery.plan",
        delivery,
        {"sale": sale.id, "receipt": sale.receipt_number, "day": day.isoformat()},
        now=now,
    )
    return delivery


def _place(delivery: SaleDelivery, vehicle: Vehicle, day: date, now: datetime) -> Stop:
    """The delivery on the van's day, if the van drives then and has room (as a pick-up)."""
    if day.isoweekday() not in vehicle.day_numbers or not vehicle.is_active:
        raise ValidationError(_("%(v)s does not drive on that day.", v=vehicle.name), field="day")
    db.session.execute(sa.select(Vehicle.id).where(Vehicle.id == vehicle.id).with_for_update())
    current = slot(vehicle, day)
    if current.free_stops <= 0:
        raise ConflictError(_("%(v)s has no stop left on that day.", v=vehicle.name))
    if current.free_l < delivery.volume_l:
        raise ConflictError(_("%(v)s has not enough room left on that day.", v=vehicle.name))
    stop = Stop(
        delivery=delivery,
        vehicle=vehicle,
        day=day,
        position=max([s.position for s in current.stops], default=0) + 1,
        created_at=now,
    )
    db.session.add(stop)
    return stop


def mark_delivered(actor: Actor, delivery: SaleDelivery, *, now: datetime | None = None) -> None:
    """The crew delivered it: the job is done (the retention clock starts)."""
    now = as_utc(now)
    if delivery.status != DeliveryStatus.PLANNED:
        raise ConflictError(_("This delivery is done already."))
    delivery.status = DeliveryStatus.DELIVERED
    delivery.done_on = local_today(now)
    audit(actor, "delivery.done", delivery, {"sale": delivery.sale_id}, now=now)


def deliveries_on(day: date) -> list[SaleDelivery]:
    return list(
        db.session.scalars(
            sa.select(SaleDelivery).where(SaleDelivery.day == day).order_by(SaleDelivery.id)
        )
    )
