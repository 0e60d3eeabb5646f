"""Assessments: a supervisor's rating of a participant's skills, or the participant's own
self-assessment; never overwritten. The latest supervisor rating per skill is the current level."""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core import events
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import PermissionDeniedError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.skills.models import LEVELS, Assessment, AssessmentRating, Goal, Skill
from store.skills.services.catalogue import skills
from store.skills.services.goals import open_goals
from store.skills.services.people import ASSESSORS

NOTE_LENGTH = 300


@dataclass
class RatingInput:
    skill_id: int | None
    level: int | None
    note: str | None = None


def record_assessment(
    actor: Actor,
    participant: User,
    day: date | None,
    ratings: list[RatingInput],
    *,
    is_self: bool = False,
    now: datetime | None = None,
) -> Assessment:
    """Book one assessment with its ratings. Nothing is ever overwritten: a later assessment is a
    new record, and the latest rating per skill is the current level."""
    now = as_utc(now)
    user = actor.user
    if participant.role != Role.TRAINEE:
        raise ValidationError(_("Only participants are assessed."), field="participant")
    if is_self:
        if user is None or user.id != participant.id:
            raise PermissionDeniedError(_("A self-assessment is made by the participant."))
    elif user is not None and user.role not in ASSESSORS:
        raise PermissionDeniedError(_("Only supervisors assess participants."))
    if day is None:
        raise ValidationError(_("Please choose the date."), field="date")
    if day > local_today(now):
        raise ValidationError(_("The date of an assessment cannot be in the future."), field="date")
    if not ratings:
        raise ValidationError(_("Please rate at least one skill."), field="ratings")
    known = {s.id: s for s in skills()}
    seen: set[int] = set()
    for rating in ratings:
        skill = known.get(rating.skill_id)
        if skill is None:
            raise ValidationError(_("This skill is not in the catalogue."), field="ratings")
        if rating.skill_id in seen:
            raise ValidationError(
                _("Each skill can be rated only once per assessment."), field="ratings"
            )
        seen.add(rating.skill_id)
        if rating.level not in LEVELS:
            raise ValidationError(
                _("%(skill)s: the level must be between 1 and 4.", skill=skill.name), field="ratings"
            )
        if rating.note and len(rating.note.strip()) > NOTE_LENGTH:
            raise ValidationError(
                _("A note can have at most %(n)s characters.", n=NOTE_LENGTH), field="ratings"
            )
    assessment = Assessment(
        participant_id=participant.id,
        day=day,
        assessor_id=actor.user_id,
        is_self=is_self,
        created_at=now,
    )
    db.session.add(assessment)
    for rating in ratings:
        assessment.ratings.append(
            AssessmentRating(
                skill_id=rating.skill_id,
                level=rating.level,
                note=" ".join((rating.note or "").split()) or None,
            )
        )
    audit(
        actor,
        "skill.self_assess" if is_self else "skill.assess",
        assessment,
        {
            "participant": participant.username,
            "date": day.isoformat(),
            "ratings": {known[r.skill_id].name: r.level for r in ratings},
        },
        now=now,
    )
    events.assessment_recorded.send(assessment, actor=actor)
    return assessment


@dataclass
class Point:
    day: date
    level: int
    note: str | None
    by: str | None


@dataclass
class SkillState:
    """A skill of one participant: current level (latest supervisor rating), latest self rating,
    the supervisor ratings over time, and an open goal."""

    skill: Skill
    current: Point | None = None
    self_rating: Point | None = None
    history: list[Point] = field(default_factory=list)
    goal: Goal | None = None

    @property
    def level(self) -> int | None:
        return self.current.level if self.current else None

    @property
    def words(self) -> str:
        return self.skill.descriptor(self.level)

    @property
    def goal_reached(self) -> bool:
        return bool(self.goal and self.level and self.level >= self.goal.target_level)


def assessments_of(participant_id: int) -> list[Assessment]:
    """Oldest first: by date, then by when they were written."""
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.participant_id == participant_id)
            .order_by(Assessment.day, Assessment.created_at, Assessment.id)
        )
    )


def skill_states(participant_id: int) -> list[SkillState]:
    states = {s.id: SkillState(skill=s) for s in skills()}
    for assessment in assessments_of(participant_id):
        by = assessment.assessor.display_name if assessment.assessor else None
        for rating in assessment.ratings:
            state = states.get(rating.skill_id)
            if state is None:
                continue
            point = Point(assessment.day, rating.level, rating.note, by)
            if assessment.is_self:
                state.self_rating = point
            else:
                state.current = point
                state.history.append(point)
    for goal in open_goals(participant_id):
        if goal.skill_id in states:
            states[goal.skill_id].goal = goal
    return list(states.values())


def last_assessment_day(participant_id: int) -> date | None:
    return db.session.scalar(
        sa.select(sa.func.max(Assessment.day)).where(
            Assessment.participant_id == participant_id, Assessment.is_self.is_(False)
        )
    )
