"""API: partners and their deliveries.

Admins configure partners; coordinators (and admins) watch the outbox and re-send what failed.
A partner's secret is write-only: no answer ever contains it.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from store.core.access import Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Text
from store.core.web import current_actor
from store.network import KEEPERS, outbox, services
from store.network.models import Delivery, DeliveryStatus, Partner

bp = api_blueprint("partners_api")

ADMINS = [Role.ADMIN]

EventType = Literal["attendance.confirmed", "month.closed", "assessment.recorded", "participant.exited"]
Kind = Literal[
    "jobcenter",
    "municipality",
    "youth_workshop",
    "youth_services",
    "school",
    "employer",
    "university",
    "other",
]
Status = Literal["pending", "delivered", "failed", "cancelled"]


class PartnerIn(Schema):
    name: Text(80, min_length=1)
    url: Text(300) | None = Field(default=None, description="https:// endpoint that receives the events")
    secret: Text(200) | None = Field(
        default=None,
        description="16–200 characters, or whsec_ + base64; signs every request (Standard Webhooks)",
    )
    events: list[EventType] = Field(default_factory=list, max_length=10)
    kind: Kind = "other"
    contact: Text(200, multiline=True) | None = None


class PartnerOut(BaseModel):
    id: int
    name: str
    kind: str
    contact: str | None
    url: str | None
    events: list[str]
    is_active: bool
    syncs: bool = Field(description="active, with an address, a secret and events")
    has_secret: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, partner: Partner) -> "PartnerOut":
        return cls(
            id=partner.id,
            name=partner.name,
            kind=partner.kind.value,
            contact=partner.contact,
            url=partner.url,
            events=list(partner.events or []),
            is_active=partner.is_active,
            syncs=partner.syncs,
            has_secret=bool(partner.secret),
            created_at=partner.created_at,
            updated_at=partner.updated_at,
        )


class PartnerList(BaseModel):
    partners: list[PartnerOut]


@endpoint(
    bp,
    "/partners",
    methods=["POST"],
    roles=ADMINS,
    body=PartnerIn,
    response=PartnerOut,
    status=201,
    summary="Configure a partner that receives events",
)
def create_partner(body: PartnerIn):
    """The partner receives the chosen events, signed with its secret, for the people whose
    consent covers it. The secret is never shown again."""
    partner = services.save_partner(
        current_actor(),
        None,
        name=body.name,
        kind=body.kind,
        contact=body.contact,
        url=body.url,
        secret=body.secret,
        events=body.events,
    )
    return PartnerOut.of(partner)


@endpoint(bp, "/partners", roles=KEEPERS, response=PartnerList, summary="The partners")
def partners():
    return PartnerList(partners=[PartnerOut.of(p) for p in services.list_partners()])


class DeliveryQuery(Schema):
    status: Status | None = None
    limit: int = Field(default=200, ge=1, le=1000)


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    type: str
    participant_id: int
    partner_id: int
    status: str
    attempts: int
    last_error: str | None
    last_status_code: int | None
    next_attempt_at: datetime | None = Field(description="while pending: when it is tried next")
    delivered_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> "DeliveryOut":
        pending = delivery.status == DeliveryStatus.PENDING
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            type=delivery.event.type,
            participant_id=delivery.event.participant_id,
            partner_id=delivery.partner_id,
            status=delivery.status.value,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
            last_status_code=delivery.last_status_code,
            next_attempt_at=delivery.next_attempt_at if pending else None,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
        )


class DeliveryList(BaseModel):
    partner: PartnerOut
    counts: dict[str, int] = Field(description="deliveries of this partner by status")
    deliveries: list[DeliveryOut] = Field(description="newest first")


@endpoint(
    bp,
    "/partners/<int:partner_id>/deliveries",
    roles=KEEPERS,
    query=DeliveryQuery,
    response=DeliveryList,
    summary="The outbox of one partner",
)
def partner_deliveries(partner_id: int, query: DeliveryQuery):
    partner = services.get_partner(partner_id)
    counts = outbox.summary().get(partner.id) or dict.fromkeys((s.value for s in DeliveryStatus), 0)
    rows = outbox.deliveries_for(partner.id, query.status, limit=query.limit)
    return DeliveryList(
        partner=PartnerOut.of(partner), counts=counts, deliveries=[DeliveryOut.of(d) for d in rows]
    )


@endpoint(
    bp,
    "/deliveries/<int:delivery_id>/resend",
    methods=["POST"],
    roles=KEEPERS,
    response=DeliveryOut,
    summary="Send a failed or cancelled delivery again",
)
def resend_delivery(delivery_id: int):
    """Refused (422) for a delivery that is pending or was delivered, and while the person's
    consent or the partner's settings do not allow it."""
    delivery = outbox.resend(current_actor(), outbox.get_delivery(delivery_id))
    return DeliveryOut.of(delivery)
