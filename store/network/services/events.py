"""Outbox events: an event is written in the transaction of the booking it reports, so it can
never be lost; when it is released (at once, or once the participant has seen what it reports),
one delivery is queued per partner that subscribes to its type and whose consent covers it. The
worker (store.network.outbox) sends it and checks the consent again just before."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from store.auth.models import User
from store.core.access import Role
from store.core.timeutil import as_utc, local_today
from store.core.transaction import after_commit
from store.extensions import db
from store.network import outbox  # outbox uses services at call time only: no import cycle
from store.network.models import Delivery, DeliveryStatus, OutboxEvent
from store.network.services.common import EVENT_SCOPES, record_of
from store.network.services.consents import covers
from store.network.services.partners import list_partners


def _person(user: User) -> dict:
    record = record_of(user)
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "customer_number": record.customer_number if record else None,
    }


def add_event(
    type_: str,
    user: User,
    data: dict,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    held: bool = False,
    now: datetime | None = None,
) -> OutboxEvent:
    """Write an event in the current transaction; release it now unless it waits to be seen."""
    now = as_utc(now)
    event = OutboxEvent(
        id=str(uuid.uuid4()),
        type=type_,
        participant_id=user.id,
        scope=EVENT_SCOPES[type_].value,
        created_at=now,
        data={"participant": _person(user), **data},
        object_type=object_type,
        object_id=object_id,
    )
    db.session.add(event)
    if not held:
        release(event, now=now)
    return event


def release(event: OutboxEvent, *, now: datetime | None = None) -> list[Delivery]:
    """Queue the event for every partner that wants its type and may receive it."""
    now = as_utc(now)
    event.released_at = now
    queued = []
    for partner in list_partners(include_inactive=False):
        if not partner.syncs or event.type not in partner.events:
            continue
        if not covers(event.participant_id, partner.id, event.scope, local_today(now)):
            continue
        delivery = Delivery(
            event=event,
            partner_id=partner.id,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        db.session.add(delivery)
        queued.append(delivery)
    after_commit(outbox.wake, *queued)
    return queued


def release_held(object_type: str, object_id: int, *, now: datetime | None = None) -> None:
    for event in db.session.scalars(
        sa.select(OutboxEvent).where(
            OutboxEvent.object_type == object_type,
            OutboxEvent.object_id == object_id,
            OutboxEvent.released_at.is_(None),
        )
    ):
        release(event, now=now)


def shown_name(event: OutboxEvent, viewer: User) -> str:
    """Who an event is about, as the outbox page shows it. Admins see the outbox for technical
    support only: the participant's number, never the name."""
    if viewer.role == Role.ADMIN:
        return f"#{event.participant_id}"
    person = event.data.get("participant", {})
    return f"{person.get('first_name', '')} {person.get('last_name', '')}"


def backoff_seconds(attempts: int) -> float:
    """Wait before the next try after `attempts` failures: base × 2^(n−1), capped."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    cap = current_app.config["OUTBOX_BACKOFF_MAX_SECONDS"]
    return min(cap, base * 2 ** max(0, attempts - 1))
