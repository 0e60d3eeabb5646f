"""API: the skill catalogue, recording an assessment, and a participant's skills.

A trainee's token sees only its own skills and may record only its own self-assessment.
"""

from datetime import date

from flask_login import current_user
from pydantic import BaseModel, Field

from store.core.access import ALL_ROLES
from store.core.api import Schema, api_blueprint, endpoint
from store.core.bounds import Day, Id, Text
from store.core.web import current_actor
from store.skills import services

bp = api_blueprint("skills_api")


class LevelOut(BaseModel):
    level: int
    descriptor: str


class SkillOut(BaseModel):
    id: int
    name: str
    group: str = Field(description="work | key")
    group_name: str
    levels: list[LevelOut]


class Catalogue(BaseModel):
    skills: list[SkillOut]


@endpoint(
    bp,
    "/skills",
    roles=ALL_ROLES,
    response=Catalogue,
    summary="The skill catalogue with the descriptor of each level",
)
def skill_catalogue():
    return Catalogue(
        skills=[
            SkillOut(
                id=s.id,
                name=s.name,
                group=s.group.key,
                group_name=s.group.name,
                levels=[LevelOut(level=n, descriptor=d) for n, d in enumerate(s.descriptors, start=1)],
            )
            for s in services.skills()
        ]
    )


class RatingIn(Schema):
    skill: Id = Field(description="skill id")
    level: int = Field(ge=1, le=4, description="1–4")
    note: Text(services.NOTE_LENGTH, multiline=True) | None = None


class AssessmentIn(Schema):
    participant: Id = Field(description="participant (user) id")
    date: Day
    ratings: list[RatingIn] = Field(min_length=1, max_length=100)
    self: bool = Field(default=False, description="a self-assessment by the participant")


class RatingOut(BaseModel):
    skill: int
    level: int
    note: str | None


class AssessmentOut(BaseModel):
    id: int
    participant: int
    date: date
    assessor: int | None
    self: bool
    ratings: list[RatingOut]


@endpoint(
    bp,
    "/assessments",
    methods=["POST"],
    roles=ALL_ROLES,
    body=AssessmentIn,
    response=AssessmentOut,
    status=201,
    summary="Record an assessment (never overwritten)",
)
def record_assessment(body: AssessmentIn):
    """Supervisors and admins assess participants; a participant may only record a
    self-assessment (`"self": true`) of themselves. Level 1–4, known skills, no future date;
    otherwise 422 and nothing is saved."""
    participant = services.get_participant(body.participant)
    assessment = services.record_assessment(
        current_actor(),
        participant,
        body.date,
        [services.RatingInput(r.skill, r.level, r.note) for r in body.ratings],
        is_self=body.self,
    )
    return AssessmentOut(
        id=assessment.id,
        participant=participant.id,
        date=assessment.day,
        assessor=assessment.assessor_id,
        self=assessment.is_self,
        ratings=[RatingOut(skill=r.skill_id, level=r.level, note=r.note) for r in assessment.ratings],
    )


class PointOut(BaseModel):
    date: date
    level: int
    note: str | None


class GoalOut(BaseModel):
    target_level: int
    due_on: date
    reached: bool


class SkillStateOut(BaseModel):
    skill: int
    name: str
    level: int | None = Field(description="current level: the latest supervisor rating")
    descriptor: str | None
    assessed_on: date | None
    self_level: int | None = Field(description="the latest self-assessment")
    history: list[PointOut] = Field(description="supervisor ratings, oldest first")
    goal: GoalOut | None


class EvidenceOut(BaseModel):
    minutes_by_station: dict[str, int] = Field(
        description='confirmed minutes at work per planned station ("" = no planned shift)'
    )
    total_minutes: int
    sales: int
    voids: int
    items_taken_in: int
    closings: int
    closings_with_difference: int
    difference_cents: int = Field(description="sum of the absolute till differences")


class ParticipantSkills(BaseModel):
    participant: int
    name: str
    skills: list[SkillStateOut]
    evidence: EvidenceOut


@endpoint(
    bp,
    "/participants/<int:user_id>/skills",
    roles=ALL_ROLES,
    response=ParticipantSkills,
    summary="A participant's current level per skill, history and evidence figures",
)
def participant_skills(user_id: int):
    """A trainee's token sees only its own skills."""
    person = services.visible_participant(current_user, user_id)
    facts = services.evidence(person.id)
    return ParticipantSkills(
        participant=person.id,
        name=person.display_name,
        skills=[
            SkillStateOut(
                skill=s.skill.id,
                name=s.skill.name,
                level=s.level,
                descriptor=s.words or None,
                assessed_on=s.current.day if s.current else None,
                self_level=s.self_rating.level if s.self_rating else None,
                history=[PointOut(date=p.day, level=p.level, note=p.note) for p in s.history],
                goal=GoalOut(
                    target_level=s.goal.target_level, due_on=s.goal.due_on, reached=s.goal_reached
                )
                if s.goal
                else None,
            )
            for s in services.skill_states(person.id)
        ],
        evidence=EvidenceOut(
            minutes_by_station={k or "": v for k, v in facts.minutes_by_station.items()},
            total_minutes=facts.total_minutes,
            sales=facts.sales,
            voids=facts.voids,
            items_taken_in=facts.items_taken_in,
            closings=facts.closings,
            closings_with_difference=facts.closings_with_difference,
            difference_cents=facts.difference_cents,
        ),
    )
