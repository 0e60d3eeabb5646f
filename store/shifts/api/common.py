"""What the API modules of shifts share: the blueprint, who may call what, and a participant as the
answers show them."""

from pydantic import BaseModel

from store.auth.models import User
from store.core.access import Role
from store.core.api import api_blueprint

bp = api_blueprint("shifts_api")

STAFF = [Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN]
CONFIRMERS = STAFF
PLANNERS = [Role.SUPERVISOR, Role.ADMIN]
CLOCKERS = [Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN]


class ParticipantOut(BaseModel):
    id: int
    name: str
    username: str
    badge: str | None

    @classmethod
    def of(cls, user: User) -> "ParticipantOut":
        return cls(id=user.id, name=user.display_name, username=user.username, badge=user.badge)


class ParticipantList(BaseModel):
    participants: list[ParticipantOut]
