"""Goals: the level a participant should reach in a skill by a date (coordinators and admins set
them; a new goal for the same skill replaces the open one)."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.skills.models import LEVELS, Goal, Skill
from store.skills.services.people import KEEPERS


def open_goals(participant_id: int) -> list[Goal]:
    return list(
        db.session.scalars(
            sa.select(Goal)
            .where(Goal.participant_id == participant_id, Goal.closed_at.is_(None))
            .order_by(Goal.due_on)
        )
    )


def goals_of(participant_id: int) -> list[Goal]:
    return list(
        db.session.scalars(
            sa.select(Goal)
            .where(Goal.participant_id == participant_id)
            .order_by(Goal.closed_at.is_not(None), Goal.due_on)
        )
    )


def get_goal(goal_id: int) -> Goal:
    goal = db.session.get(Goal, goal_id)
    if goal is None:
        raise NotFoundError(_("There is no goal with this number."))
    return goal


def set_goal(
    actor: Actor,
    participant: User,
    *,
    skill_id: int | None,
    target_level: int | None,
    due_on: date | None,
    now: datetime | None = None,
) -> Goal:
    """A new goal for a skill; an open goal for the same skill is closed (replaced)."""
    now = as_utc(now)
    if actor.user is not None and actor.user.role not in KEEPERS:
        raise PermissionDeniedError(_("Only coordinators set goals."))
    if participant.role != Role.TRAINEE:
        raise ValidationError(_("Only participants have goals."), field="participant")
    skill = db.session.get(Skill, skill_id) if skill_id is not None else None
    if skill is None or not skill.is_active:
        raise ValidationError(_("Please choose a skill."), field="skill_id")
    if target_level not in LEVELS:
        raise ValidationError(_("The level must be between 1 and 4."), field="target_level")
    if due_on is None:
        raise ValidationError(_("Please choose by when."), field="due_on")
    if due_on < local_today(now):
        raise ValidationError(_("The date lies in the past."), field="due_on")
    for old in open_goals(participant.id):
        if old.skill_id == skill.id:
            close_goal(actor, old, now=now)
    goal = Goal(
        participant_id=participant.id,
        skill_id=skill.id,
        target_level=target_level,
        due_on=due_on,
        set_by_id=actor.user_id,
        created_at=now,
    )
    db.session.add(goal)
    audit(
        actor,
        "skill.goal_set",
        goal,
        {
            "participant": participant.username,
            "skill": skill.name,
            "level": target_level,
            "due": due_on.isoformat(),
        },
        now=now,
    )
    return goal


def close_goal(actor: Actor, goal: Goal, *, now: datetime | None = None) -> Goal:
    now = as_utc(now)
    if goal.closed_at is not None:
        raise ValidationError(_("This goal is closed already."))
    goal.closed_at, goal.closed_by_id = now, actor.user_id
    audit(actor, "skill.goal_close", goal, {"skill": goal.skill.name}, now=now)
    return goal
