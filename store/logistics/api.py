"""API: pick-ups booked by staff, a day's pick-ups, deliveries of sales, and the day's routes per
van."""

from datetime import date

from flask_babel import gettext as _
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from store.core.access import STAFF, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Day, Id, Text
from store.core.errors import ValidationError
from store.core.web import current_actor
from store.logistics import services
from store.logistics.models import DeliveryStatus, DonationOffer, OfferStatus, SaleDelivery

bp = api_blueprint("logistics_api")

OFFICE = list(STAFF)
CREW = [Role.TRAINEE, *STAFF]


class PickupIn(Schema):
    date: Day
    name: Text(120, min_length=1)
    address: Text(200, min_length=1)
    phone: Text(40) | None = None
    description: Text(200, min_length=1)
    volume_l: int = Field(default=0, ge=0, le=50_000)


class PickupOut(BaseModel):
    id: int
    status: OfferStatus
    date: date | None
    vehicle: str | None
    position: int | None
    name: str | None
    address: str | None
    postcode: str | None
    phone: str | None
    description: str
    quantity: int
    floor: int | None
    has_lift: bool
    volume_l: int

    @classmethod
    def of(cls, offer: DonationOffer) -> "PickupOut":
        stop = offer.stop
        return cls(
            id=offer.id,
            status=offer.status,
            date=stop.day if stop else None,
            vehicle=stop.vehicle.name if stop else None,
            position=stop.position if stop else None,
            name=offer.name,
            address=offer.address,
            postcode=offer.postcode,
            phone=offer.phone,
            description=offer.what,
            quantity=offer.quantity,
            floor=offer.floor,
            has_lift=offer.has_lift,
            volume_l=offer.volume_l,
        )


class HomeDeliveryIn(Schema):
    sale: Id = Field(description="The sale's id; its receipt carries the delivery line")
    date: Day
    address: Text(200, min_length=1)
    name: Text(120) | None = None
    phone: Text(40) | None = None
    floor: int | None = Field(default=None, ge=-5, le=60)
    has_lift: bool = False
    volume_l: int = Field(default=0, ge=0, le=50_000)


class HomeDeliveryOut(BaseModel):
    id: int
    sale: int
    receipt_number: int
    status: DeliveryStatus
    date: date
    vehicle: str | None
    position: int | None
    name: str | None
    address: str | None
    postcode: str | None
    phone: str | None
    description: str
    floor: int | None
    has_lift: bool
    volume_l: int

    @classmethod
    def of(cls, delivery: SaleDelivery) -> "HomeDeliveryOut":
        stop = delivery.stop
        return cls(
            id=delivery.id,
            sale=delivery.sale_id,
            receipt_number=delivery.receipt_number,
            status=delivery.status,
            date=delivery.day,
            vehicle=stop.vehicle.name if stop else None,
            position=stop.position if stop else None,
            name=delivery.name,
            address=delivery.address,
            postcode=delivery.postcode,
            phone=delivery.phone,
            description=delivery.what,
            floor=delivery.floor,
            has_lift=delivery.has_lift,
            volume_l=delivery.volume_l,
        )


class PickupList(BaseModel):
    pickups: list[PickupOut]


class DateQuery(Schema):
    date: Day


class RouteOut(BaseModel):
    vehicle: str
    vehicle_id: int
    max_stops: int
    volume_l: int
    load_l: int
    stops: list[PickupOut]
    # The sales delivered that day by this van (their `position` is in the same order as stops').
    deliveries: list[HomeDeliveryOut] = []


class RoutesOut(BaseModel):
    date: date
    routes: list[RouteOut]


@endpoint(
    bp,
    "/pickups",
    methods=["POST"],
    roles=OFFICE,
    body=PickupIn,
    response=PickupOut,
    status=201,
    summary="Book a pick-up: the offer, accepted, on the first van with room that day",
)
def create_pickup(body: PickupIn):
    offer = services.book_pickup(
        current_actor(),
        body.date,
        name=body.name,
        address=body.address,
        phone=body.phone,
        description=body.description,
        volume_l=body.volume_l,
    )
    return PickupOut.of(offer)


@endpoint(
    bp, "/pickups", roles=CREW, query=DateQuery, response=PickupList, summary="The pick-ups of a day"
)
def list_pickups(query: DateQuery):
    stops = [s for slot in services.day_slots(query.date) for s in slot.stops if s.offer is not None]
    return PickupList(pickups=[PickupOut.of(s.offer) for s in stops])


@endpoint(
    bp,
    "/routes/<day>",
    roles=CREW,
    response=RoutesOut,
    summary="A day's routes: the stops per van in order, each with its address",
)
def routes(day: str):
    try:
        when = DateQuery(date=day).date
    except PydanticError:
        raise ValidationError(_("Please give the day as YYYY-MM-DD."), field="date") from None
    return RoutesOut(
        date=when,
        routes=[
            RouteOut(
                vehicle=s.vehicle.name,
                vehicle_id=s.vehicle.id,
                max_stops=s.vehicle.max_stops,
                volume_l=s.vehicle.volume_l,
                load_l=s.load_l,
                stops=[PickupOut.of(stop.offer) for stop in s.stops if stop.offer is not None],
                deliveries=[
                    HomeDeliveryOut.of(stop.delivery) for stop in s.stops if stop.delivery is not None
                ],
            )
            for s in services.day_slots(when)
        ],
    )


@endpoint(
    bp,
    "/deliveries",
    methods=["POST"],
    roles=OFFICE,
    body=HomeDeliveryIn,
    response=HomeDeliveryOut,
    status=201,
    summary="Deliver a sale: its address and day, on the first van with room that day",
)
def create_delivery(body: HomeDeliveryIn):
    """The sale's receipt must carry the delivery line (the store's fee, added at the till): 422
    otherwise; 409 when the sale's delivery is planned already or no van has room that day."""
    delivery = services.plan_delivery(
        current_actor(),
        services.get_sale_for_delivery(body.sale),
        day=body.date,
        address=body.address,
        name=body.name,
        phone=body.phone,
        floor=body.floor,
        has_lift=body.has_lift,
        volume_l=body.volume_l,
    )
    return HomeDeliveryOut.of(delivery)
