"""The participants whose skills are kept, and who may do what: supervisors and admins assess,
coordinators and admins keep the catalogue and the goals, a participant reads only their own."""

from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.errors import NotFoundError
from store.extensions import db
from store.shifts import services as shifts

ASSESSORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def get_participant(user_id: int | None) -> User:
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or user.role != Role.TRAINEE:
        raise NotFoundError(_("There is no participant with this number."), field="participant")
    return user


def may_see(viewer: User, participant: User) -> bool:
    """A participant sees only their own skills; staff see everybody's."""
    return shifts.may_see_records(viewer, participant.id)


def visible_participant(viewer: User, user_id: int) -> User:
    """The participant `user_id`, whose skills `viewer` may read (a trainee only their own)."""
    shifts.check_own_records(viewer, user_id)
    return get_participant(user_id)
