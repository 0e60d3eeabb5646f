"""Skills: the catalogue, assessments (append-only), current levels and history, goals, and the
evidence figures computed from the bookings of the till, the goods intake and attendance.

Rules: supervisors and admins assess participants; a participant may only assess themselves (a
self-assessment); coordinators and admins edit the catalogue and the goals. There is no
"who supervises whom" record yet, so every supervisor may assess every participant.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from store.auth.models import User
from store.core import events
from store.core.access import Role
from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from store.core.timeutil import as_utc, local_today
from store.extensions import db
from store.goods.models import Item
from store.shifts import services as shifts
from store.shifts.models import AttendanceCode, Shift, ShiftStatus
from store.skills.models import LEVELS, Assessment, AssessmentRating, Goal, Skill, SkillGroup
from store.till.models import Closing, Sale, SaleKind

ASSESSORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})
NOTE_LENGTH = 300


# ---------------------------------------------------------------- people


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


# ---------------------------------------------------------------- catalogue


def groups() -> list[SkillGroup]:
    return list(db.session.scalars(sa.select(SkillGroup).order_by(SkillGroup.sort, SkillGroup.id)))


def skills(include_inactive: bool = False) -> list[Skill]:
    query = (
        sa.select(Skill)
        .join(SkillGroup)
        .order_by(SkillGroup.sort, SkillGroup.id, Skill.sort, Skill.name)
    )
    if not include_inactive:
        query = query.where(Skill.is_active.is_(True))
    return list(db.session.scalars(query))


def get_skill(skill_id: int | None) -> Skill:
    skill = db.session.get(Skill, skill_id) if skill_id is not None else None
    if skill is None:
        raise NotFoundError(_("There is no skill with this number."), field="skill")
    return skill


def _clean(text: str | None, length: int) -> str:
    return " ".join((text or "").split())[:length]


def save_skill(
    actor: Actor,
    skill: Skill | None,
    *,
    group_id: int | None,
    name: str,
    descriptors: list[str],
    sort: int = 0,
    is_active: bool = True,
) -> Skill:
    """Create or change a skill and its four level descriptors (coordinators and admins)."""
    if actor.user is not None and actor.user.role not in KEEPERS:
        raise PermissionDeniedError(_("Only coordinators change the skill catalogue."))
    name = _clean(name, 80)
    if not name:
        raise ValidationError(_("Please enter a name."), field="name")
    group = db.session.get(SkillGroup, group_id) if group_id is not None else None
    if group is None:
        raise ValidationError(_("Please choose a group."), field="group_id")
    texts = [_clean(d, 200) for d in descriptors]
    if len(texts) != len(LEVELS) or not all(texts):
        raise ValidationError(
            _("Please describe each of the four levels in a few words."), field="descriptors"
        )
    clash = db.session.scalar(sa.select(Skill.id).where(Skill.name == name))
    if clash is not None and (skill is None or clash != skill.id):
        raise ValidationError(_("A skill with this name exists already."), field="name")
    created = skill is None
    if created:
        skill = Skill()
        db.session.add(skill)
    skill.group_id, skill.name, skill.descriptors = group.id, name, texts
    skill.sort, skill.is_active = int(sort or 0), bool(is_active)
    audit(
        actor,
        "skill.create" if created else "skill.update",
        skill,
        {"name": name, "group": group.key, "descriptors": texts, "active": skill.is_active},
    )
    return skill


# ---------------------------------------------------------------- assessments


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


# ---------------------------------------------------------------- goals


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


# ---------------------------------------------------------------- evidence

NO_STATION = None


@dataclass
class Evidence:
    """Facts from the bookings, all time up to today:

    - minutes per station: confirmed days "present" (the entry that counts, after corrections),
      each split across the stations of the shifts planned that day in proportion to their
      planned minutes; a day without a planned shift counts as "no station";
    - sales: receipts of kind sale the person booked as cashier (training receipts excluded);
    - voids: whole-sale voids (Storno) the person booked as cashier;
    - items taken in: goods items with the person as the one who took them in;
    - till closings and differences: Z closings the person counted, how many had a difference,
      and the sum of the absolute differences in cents.
    """

    minutes_by_station: dict[str | None, int]
    sales: int
    voids: int
    items_taken_in: int
    closings: int
    closings_with_difference: int
    difference_cents: int

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes_by_station.values())


def evidence(participant_id: int, *, today: date | None = None) -> Evidence:
    today = today or local_today()
    entries = shifts.effective_entries([participant_id], date(2000, 1, 1), today)
    present = {
        day: e.minutes
        for (_uid, day), e in entries.items()
        if e.code == AttendanceCode.PRESENT and e.minutes > 0
    }
    by_day: dict[date, list[Shift]] = defaultdict(list)
    if present:
        for shift in db.session.scalars(
            sa.select(Shift).where(
                Shift.user_id == participant_id,
                Shift.status == ShiftStatus.PLANNED,
                Shift.day.in_(list(present)),
            )
        ):
            by_day[shift.day].append(shift)
    minutes: dict[str | None, int] = defaultdict(int)
    for day, worked in sorted(present.items()):
        planned = by_day.get(day)
        total = sum(max(s.minutes, 0) for s in planned or [])
        if not planned or total <= 0:
            minutes[NO_STATION] += worked
            continue
        given = 0
        for n, shift in enumerate(sorted(planned, key=lambda s: s.starts_at)):
            share = worked - given if n == len(planned) - 1 else worked * max(shift.minutes, 0) // total
            minutes[shift.station.name] += share
            given += share

    def count(query) -> int:
        return db.session.scalar(query) or 0

    def sales_of(kind: SaleKind):
        return sa.select(sa.func.count(Sale.id)).where(
            Sale.cashier_id == participant_id, Sale.kind == kind, Sale.training.is_(False)
        )

    closing_rows = (
        db.session.execute(
            sa.select(Closing.difference_cents).where(Closing.closed_by_id == participant_id)
        )
        .scalars()
        .all()
    )
    return Evidence(
        minutes_by_station=dict(sorted(minutes.items(), key=lambda kv: (kv[0] is None, -kv[1]))),
        sales=count(sales_of(SaleKind.SALE)),
        voids=count(sales_of(SaleKind.VOID)),
        items_taken_in=count(
            sa.select(sa.func.count(Item.id)).where(Item.taken_in_by_id == participant_id)
        ),
        closings=len(closing_rows),
        closings_with_difference=sum(1 for d in closing_rows if d),
        difference_cents=sum(abs(d) for d in closing_rows),
    )


# ---------------------------------------------------------------- overview


@dataclass
class OverviewRow:
    participant: User
    rated: int
    average: float | None
    last_day: date | None
    open_goals: int


def overview() -> list[OverviewRow]:
    rows = []
    for person in shifts.list_trainees():
        states = skill_states(person.id)
        levels = [s.level for s in states if s.level]
        rows.append(
            OverviewRow(
                participant=person,
                rated=len(levels),
                average=round(sum(levels) / len(levels), 1) if levels else None,
                last_day=last_assessment_day(person.id),
                open_goals=sum(1 for s in states if s.goal),
            )
        )
    return rows
