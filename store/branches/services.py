"""Branches: who sees which, the branch a user works in now, and keeping the list of branches.

One rule for every list that is per branch: `visible_ids(user)`. Trainees and supervisors see the
branches they work in; coordinators and admins see all. `current(user, chosen)` is the branch a user
works in right now (the header's switcher remembers `chosen` in the session); `scope(user, chosen)` is
what a list shows: the chosen branch, or every visible one.
"""

import time
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from store.branches.models import Branch, first_branch
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from store.core.timeutil import as_utc
from store.extensions import db

SEES_ALL = frozenset({Role.COORDINATOR, Role.ADMIN})


def all_branches(active_only: bool = False) -> list[Branch]:
    query = sa.select(Branch).order_by(Branch.name)
    if active_only:
        query = query.where(Branch.is_active)
    return list(db.session.scalars(query))


def all_users() -> list:
    """Every user (the auth area's model, reached through the members relationship: branches lie
    below auth)."""
    user_class = sa.inspect(Branch).relationships["members"].mapper.class_
    return list(db.session.scalars(sa.select(user_class).order_by(user_class.username)))


def sees_all(user) -> bool:
    return getattr(user, "role", None) in SEES_ALL


def sees_every_branch(user) -> bool:
    """Whether `user` sees the whole provider: coordinators and admins, or a supervisor of every
    branch there is (in a single shop: of that shop)."""
    if sees_all(user):
        return True
    every = set(db.session.scalars(sa.select(Branch.id)))
    return every <= visible_ids(user)


def first_branch_id() -> int | None:
    return db.session.scalar(sa.select(sa.func.min(Branch.id)))


# Who sees which branches, kept a few seconds per process: every till call asks it. A branch or a
# user written in this process forgets it at once; other processes see a change within seconds.
CACHE_SECONDS = 5.0
_seen: dict[tuple, tuple[float, frozenset[int]]] = {}


def visible_ids(user) -> set[int]:
    """The ids of the branches `user` may see (coordinators and admins: all)."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return _visible_ids(user)
    key = (str(db.engine.url), user_id, getattr(user, "role", None))
    hit = _seen.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return set(hit[1])
    ids = _visible_ids(user)
    _seen[key] = (time.monotonic() + CACHE_SECONDS, frozenset(ids))
    return ids


@sa.event.listens_for(so.Session, "after_flush")
def _changed(session: so.Session, _context) -> None:
    """A branch or a user (their branches) written here: forget who sees what."""
    for obj in (*session.dirty, *session.new, *session.deleted):
        if getattr(obj, "__tablename__", None) in ("branch", "user"):
            _seen.clear()
            return


def _visible_ids(user) -> set[int]:
    if user is None:
        return set()
    if sees_all(user):
        return set(db.session.scalars(sa.select(Branch.id)))
    own = {b.id for b in getattr(user, "branches", [])}
    if not own:
        # Someone assigned to no branch works in the first one (in a single-shop store: the shop).
        first = first_branch_id()
        own = {first} if first is not None else set()
    return own


def works_in(user, branch_ids: set[int] | None) -> bool:
    """Whether someone works in one of these branches (None: any; assigned to none: the first)."""
    if branch_ids is None:
        return True
    own = {b.id for b in getattr(user, "branches", [])}
    return bool(own & branch_ids) if own else first_branch_id() in branch_ids


def visible(user) -> list[Branch]:
    ids = visible_ids(user)
    return [b for b in all_branches() if b.id in ids]


def current(user, chosen: int | None = None) -> Branch:
    """The branch the user works in now: the one chosen in the switcher if visible, else the first of
    theirs (the store's first branch for someone without any)."""
    ids = visible_ids(user)
    if chosen is not None and chosen in ids:
        branch = db.session.get(Branch, chosen)
        if branch is not None:
            return branch
    own = sorted((b for b in getattr(user, "branches", []) if b.id in ids), key=lambda b: b.id)
    if own:
        return own[0]
    if ids:
        return db.session.get(Branch, min(ids))
    return first_branch(db.session)


def scope(user, chosen: int | None = None) -> set[int]:
    """What a per-branch list shows: the chosen branch, or all the user may see when none is chosen
    (or the chosen one is not theirs)."""
    ids = visible_ids(user)
    if chosen is not None and chosen in ids:
        return {chosen}
    return ids


def check_visible(user, branch_id: int | None) -> None:
    """Refuse a thing of a branch the user does not see (as if it did not exist)."""
    if branch_id is not None and branch_id not in visible_ids(user):
        raise NotFoundError(_("Not found."))


def is_branch(branch_id: int) -> bool:
    return db.session.get(Branch, branch_id) is not None


def get_branch(branch_id: int) -> Branch:
    branch = db.session.get(Branch, branch_id)
    if branch is None:
        raise NotFoundError(_("There is no such branch."))
    return branch


def save_branch(
    actor: Actor,
    branch: Branch | None,
    *,
    name: str,
    address: str = "",
    tax_number: str = "",
    vat_id: str = "",
    is_active: bool = True,
    label_printer_id: int | None = None,
    now: datetime | None = None,
) -> Branch:
    """Create a branch (branch=None) or change one. Names are unique. `label_printer_id`: one of
    the branch's own printers, or None (the store's)."""
    now = as_utc(now)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A branch needs a name."), field="name")
    clash = db.session.scalar(sa.select(Branch).where(sa.func.lower(Branch.name) == name.lower()))
    if clash is not None and clash is not branch:
        raise ValidationError(_("There is already a branch of this name."), field="name")
    created = branch is None
    if created:
        branch = Branch(created_at=now)
        db.session.add(branch)
    branch.name = name
    branch.address = (address or "").strip()
    branch.tax_number = (tax_number or "").strip()
    branch.vat_id = (vat_id or "").strip()
    branch.is_active = is_active
    db.session.flush()
    _check_label_printer(branch, label_printer_id)
    branch.label_printer_id = label_printer_id
    audit(
        actor,
        "branch.create" if created else "branch.change",
        branch,
        {"name": branch.name, "address": branch.address, "active": branch.is_active},
    )
    return branch


# The printing area lies above branches: its table, by name.
_printer = sa.table("printer", sa.column("id"), sa.column("name"), sa.column("branch_id"))


def printers_of(branch: Branch | None) -> list:
    """The printers that stand in this branch: rows of (id, name)."""
    if branch is None:
        return []
    query = sa.select(_printer.c.id, _printer.c.name).where(_printer.c.branch_id == branch.id)
    return list(db.session.execute(query.order_by(_printer.c.name)))


def _check_label_printer(branch: Branch, printer_id: int | None) -> None:
    """A branch's label printer stands in that branch."""
    if printer_id is None:
        return
    owner = db.session.scalar(sa.select(_printer.c.branch_id).where(_printer.c.id == printer_id))
    if owner != branch.id:
        raise ValidationError(_("This printer stands in another branch."), field="label_printer_id")


def set_members(actor: Actor, branch: Branch, users: list) -> None:
    """Who works in `branch` (the other branches of those users stay as they are)."""
    before = {u.id for u in branch.members}
    wanted = {u.id for u in users}
    for user in users:
        if branch not in user.branches:
            user.branches.append(branch)
    for user in list(branch.members):
        if user.id not in wanted and branch in user.branches:
            user.branches.remove(branch)
    db.session.flush()
    audit(actor, "branch.members", branch, {"before": sorted(before), "after": sorted(wanted)})


def set_user_branches(actor: Actor, user, branches: list[Branch]) -> None:
    """The branches one user works in."""
    before = sorted(b.id for b in user.branches)
    user.branches = list(branches)
    db.session.flush()
    audit(actor, "user.branches", user, {"before": before, "after": sorted(b.id for b in branches)})


def require_branch_of(user, branch_id: int) -> Branch:
    """The branch `branch_id` if the user may see it, else PermissionDenied."""
    if branch_id not in visible_ids(user):
        raise PermissionDeniedError(_("You do not work in this branch."))
    return get_branch(branch_id)


# Who must work in at least one branch when an admin sets someone's branches (the others see all).
NEEDS_A_BRANCH = frozenset({Role.TRAINEE, Role.SUPERVISOR})


def assign_branches(actor: Actor, user, branch_ids: list[int], role: Role | str | None = None) -> None:
    """The branches `user` works in, as the admin's user form or the users API sets them: every id
    must be a branch; trainees and supervisors (`role`, else the user's) need at least one."""
    wanted = sorted(set(branch_ids))
    found = {b.id: b for b in db.session.scalars(sa.select(Branch).where(Branch.id.in_(wanted)))}
    unknown = [str(i) for i in wanted if i not in found]
    if unknown:
        raise ValidationError(
            _("There is no branch with the id %(ids)s.", ids=", ".join(unknown)), field="branches"
        )
    role = Role(role) if role is not None else getattr(user, "role", None)
    if not wanted and role in NEEDS_A_BRANCH:
        raise ValidationError(
            _("Trainees and supervisors work in at least one branch: please choose one."),
            field="branches",
        )
    if sorted(b.id for b in user.branches) != wanted:
        set_user_branches(actor, user, [found[i] for i in wanted])
