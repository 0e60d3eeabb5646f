"""The trainees whose shifts and hours this area keeps, and who may read whose records: a trainee
only their own, supervisors those of their branches, coordinators and admins everybody's."""

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.branches.services import sees_all, visible_ids, works_in
from store.core.access import Role
from store.core.errors import NotFoundError, PermissionDeniedError
from store.extensions import db


def list_trainees(include_inactive: bool = False) -> list[User]:
    query = sa.select(User).where(User.role == Role.TRAINEE).order_by(User.first_name, User.last_name)
    if not include_inactive:
        query = query.where(User.is_active_account.is_(True))
    return list(db.session.scalars(query))


def trainees_of(branch_ids: set[int] | None, include_inactive: bool = False) -> list[User]:
    """The trainees who work in one of these branches (None: all)."""
    return [t for t in list_trainees(include_inactive) if works_in(t, branch_ids)]


def get_trainee(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.TRAINEE:
        raise NotFoundError(_("There is no participant with this number."))
    return user


def trainee_by_badge(badge: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.badge == (badge or "").strip()))
    if user is None or user.role != Role.TRAINEE or not user.is_active_account:
        raise NotFoundError(_("This card is not known. Please ask your supervisor."))
    return user


# ---------------------------------------------------------------- own records


def may_see_records(viewer: User, user_id: int | None) -> bool:
    """A trainee reads only their own records (shifts, hours, skills); staff read everybody's."""
    return viewer.role != Role.TRAINEE or viewer.id == user_id


def check_own_records(viewer: User, user_id: int | None) -> None:
    """Refuse a trainee another person's records."""
    if not may_see_records(viewer, user_id):
        raise PermissionDeniedError(_("You may only see your own records."))


def _scope(viewer: User) -> set[int] | None:
    """The branches whose trainees `viewer` (staff) sees: None for coordinators and admins (all)."""
    return None if sees_all(viewer) else visible_ids(viewer)


def visible_trainee(viewer: User, user_id: int) -> User:
    """The trainee `user_id`, whose records `viewer` may read (staff: of a branch they see)."""
    check_own_records(viewer, user_id)
    trainee = get_trainee(user_id)
    if viewer.role != Role.TRAINEE and not works_in(trainee, _scope(viewer)):
        raise NotFoundError(_("There is no participant with this number."))
    return trainee


def visible_trainees(viewer: User) -> list[User]:
    """The trainees `viewer` may see: a trainee only themselves, staff the active trainees of the
    branches they see (coordinators and admins: all)."""
    return [viewer] if viewer.role == Role.TRAINEE else trainees_of(_scope(viewer))


def visible_user_ids(viewer: User, user_id: int | None) -> list[int] | None:
    """Whose shifts a list shows: a trainee's own; for staff the trainee asked for (of a branch they
    see), else everybody they see (None: everybody)."""
    if viewer.role == Role.TRAINEE:
        check_own_records(viewer, user_id if user_id is not None else viewer.id)
        return [viewer.id]
    scope = _scope(viewer)
    if user_id is not None:
        person = db.session.get(User, user_id)
        if person is not None and person.role == Role.TRAINEE and not works_in(person, scope):
            raise NotFoundError(_("There is no participant with this number."))
        return [user_id]
    return None if scope is None else [t.id for t in trainees_of(scope, include_inactive=True)]
