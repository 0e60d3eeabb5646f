"""API: the participants the caller may see, and clocking in or out by badge."""

from datetime import datetime
from typing import Literal

from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from store.core.access import ALL_ROLES
from store.core.api import Schema, endpoint
from store.core.bounds import Text
from store.core.web import current_actor
from store.shifts import services
from store.shifts.api.common import CLOCKERS, ParticipantList, ParticipantOut, bp


@endpoint(
    bp,
    "/participants",
    roles=ALL_ROLES,
    response=ParticipantList,
    summary="Participants the caller may see (a trainee: only themselves)",
)
def participants():
    people = services.visible_trainees(current_user)
    return ParticipantList(participants=[ParticipantOut.of(u) for u in people])


class ClockIn(Schema):
    badge: Text(64, min_length=1)
    action: Literal["in", "out"]


class ClockOut(BaseModel):
    id: int
    participant: ParticipantOut
    action: str
    at: datetime
    local_time: str = Field(description="H:MM in the store's zone")
    message: str


@endpoint(
    bp,
    "/clock",
    methods=["POST"],
    roles=CLOCKERS,
    body=ClockIn,
    response=ClockOut,
    status=201,
    summary="Clock in or out by badge",
)
def clock(body: ClockIn):
    """Refuses "out" without "in" and a second "in" with 409 and a message; books nothing then.
    A trainee's token may clock only its own badge."""
    event = services.clock_by_badge(current_actor(), body.badge, body.action)
    when = services.clock_time(event.at)
    message = (
        _("Clocked in at %(time)s.", time=when)
        if body.action == "in"
        else _("Clocked out at %(time)s.", time=when)
    )
    return ClockOut(
        id=event.id,
        participant=ParticipantOut.of(event.user),
        action=body.action,
        at=event.at,
        local_time=when,
        message=message,
    )
