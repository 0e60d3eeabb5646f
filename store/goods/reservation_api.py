"""API: reservations of unique items."""

from datetime import date, datetime

from pydantic import BaseModel

from store.core.access import STAFF, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Cents, Day, Text
from store.core.web import current_actor
from store.goods import services
from store.goods.models import Reservation, ReservationStatus

bp = api_blueprint("reservations_api")

FLOOR = [Role.TRAINEE, *STAFF]


class ReservationIn(Schema):
    code: Text(20, min_length=1)
    until: Day
    customer: Text(80, min_length=1)
    phone: Text(40) | None = None
    # The deposit agreed: recorded as due; a till takes it with a signed receipt of its own.
    deposit_cents: Cents = 0


class ReservationOut(BaseModel):
    id: int
    number: str
    code: str
    description: str
    customer: str
    phone: str | None
    until: date
    deposit_cents: int
    # none, due (to be taken at a till), held, used (counted in the sale), refunded or kept
    deposit_state: str
    status: ReservationStatus
    created_at: datetime
    ended_at: datetime | None

    @classmethod
    def of(cls, r: Reservation) -> "ReservationOut":
        return cls(
            id=r.id,
            number=r.number,
            code=r.item.code,
            description=r.item.description,
            customer=r.customer,
            phone=r.phone,
            until=r.until,
            deposit_cents=r.deposit_cents,
            deposit_state=r.deposit_state,
            status=r.status,
            created_at=r.created_at,
            ended_at=r.ended_at,
        )


class ReservationList(BaseModel):
    reservations: list[ReservationOut]


class ReservationQuery(Schema):
    all: bool = False


@endpoint(
    bp,
    "/reservations",
    methods=["POST"],
    roles=FLOOR,
    body=ReservationIn,
    response=ReservationOut,
    status=201,
    summary="Reserve a unique item for a customer until a date",
)
def create_reservation(body: ReservationIn):
    """A trainee may reserve only at a till (not through the API); supervisors anywhere. A reserved
    item cannot be sold but by its reservation: 409 at any till that did not type its number."""
    reservation = services.reserve(
        current_actor(),
        body.code,
        customer=body.customer,
        until=body.until,
        phone=body.phone,
        deposit_cents=body.deposit_cents,
    )
    return ReservationOut.of(reservation)


@endpoint(
    bp,
    "/reservations",
    roles=FLOOR,
    query=ReservationQuery,
    response=ReservationList,
    summary="Active reservations (all=true: the latest, ended ones too)",
)
def list_reservations(query: ReservationQuery):
    rows = services.list_reservations(active_only=not query.all)
    return ReservationList(reservations=[ReservationOut.of(r) for r in rows])


@endpoint(
    bp,
    "/reservations/<int:reservation_id>/release",
    methods=["POST"],
    roles=list(STAFF),
    response=ReservationOut,
    summary="End a reservation before its date: the item is for sale again",
)
def release_reservation(reservation_id: int):
    reservation = services.release(current_actor(), services.get_reservation(reservation_id))
    return ReservationOut.of(reservation)
