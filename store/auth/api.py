"""API: who am I, and user management for admins."""

from flask_login import current_user
from pydantic import BaseModel, Field

from store.auth import services
from store.auth.models import User
from store.branches import services as branches
from store.core.access import SIGNED_IN, Role
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Id, Text
from store.core.web import current_actor

bp = api_blueprint("auth_api")


class UserOut(BaseModel):
    id: int
    username: str
    first_name: str
    last_name: str
    role: Role
    is_active: bool
    has_badge: bool
    has_pin: bool
    locale: str | None
    branches: list[int] = Field(description="the branches the user works in (ids)")

    @classmethod
    def of(cls, user: User) -> "UserOut":
        return cls(
            id=user.id,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            role=user.role,
            is_active=user.is_active_account,
            has_badge=user.badge is not None,
            has_pin=user.pin_hash is not None,
            locale=user.locale,
            branches=[b.id for b in user.branches],
        )


class UserList(BaseModel):
    users: list[UserOut]


class UserIn(Schema):
    username: Text(64, min_length=1)
    role: Role
    first_name: Text(80) = ""
    last_name: Text(80) = ""
    password: Text(200) | None = None
    badge: Text(64) | None = None
    pin: Text(8) | None = None
    branches: list[Id] | None = Field(
        default=None,
        max_length=100,
        description="the branches the user works in (ids); trainees and supervisors need one",
    )


@endpoint(bp, "/me", roles=SIGNED_IN, summary="The user of this token", response=UserOut)
def me():
    return UserOut.of(current_user)


@endpoint(bp, "/users", roles=[Role.ADMIN], summary="All users", response=UserList)
def list_users():
    return UserList(users=[UserOut.of(u) for u in services.list_users()])


@endpoint(
    bp,
    "/users",
    methods=["POST"],
    roles=[Role.ADMIN],
    summary="Create a user",
    body=UserIn,
    response=UserOut,
    status=201,
)
def create_user(body: UserIn):
    user = services.create_user(current_actor(), **body.model_dump(exclude={"branches"}))
    if body.branches is not None:
        branches.assign_branches(current_actor(), user, body.branches)
    return UserOut.of(user)
