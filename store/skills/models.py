"""The skill catalogue (groups, skills, a plain-language descriptor per level), assessments with
their ratings (append-only: a new assessment never overwrites an older one), and goals.

The catalogue texts are data, kept in German in the database and edited by coordinators.
"""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from store.core.types import UTCDateTime
from store.extensions import db

LEVELS = (1, 2, 3, 4)


class SkillGroup(db.Model):
    """Work skills (Arbeitsfertigkeiten) or key skills (Schlüsselkompetenzen)."""

    __tablename__ = "skill_group"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)  # work | key
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    sort: so.Mapped[int] = so.mapped_column(default=0)

    skills: so.Mapped[list["Skill"]] = so.relationship(
        back_populates="group", order_by="(Skill.sort, Skill.name)"
    )


class Skill(db.Model):
    """One skill with four level descriptors (level 1 = descriptors[0] … level 4)."""

    __tablename__ = "skill"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skill_group.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    descriptors: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    sort: so.Mapped[int] = so.mapped_column(default=0)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    group: so.Mapped[SkillGroup] = so.relationship(back_populates="skills")

    def descriptor(self, level: int | None) -> str:
        if level is None or not 1 <= level <= len(self.descriptors):
            return ""
        return self.descriptors[level - 1]


class Assessment(db.Model):
    """One dated assessment of a participant, by a supervisor or by the participant (self).
    Never changed or deleted: the latest one per skill is the current level."""

    __tablename__ = "assessment"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    day: so.Mapped[date]
    assessor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    is_self: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    participant = so.relationship("User", foreign_keys=[participant_id])
    assessor = so.relationship("User", foreign_keys=[assessor_id])
    ratings: so.Mapped[list["AssessmentRating"]] = so.relationship(
        back_populates="assessment", order_by="AssessmentRating.id"
    )


class AssessmentRating(db.Model):
    """The level of one skill in one assessment, with an optional note. Append-only."""

    __tablename__ = "assessment_rating"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    assessment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("assessment.id"), index=True)
    skill_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skill.id"), index=True)
    level: so.Mapped[int]
    note: so.Mapped[str | None] = so.mapped_column(sa.String(300))

    assessment: so.Mapped[Assessment] = so.relationship(back_populates="ratings")
    skill: so.Mapped[Skill] = so.relationship()

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "skill_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
    )


class Goal(db.Model):
    """A development goal a coordinator sets: reach `target_level` in a skill by `due_on`.
    Closed (not deleted) when reached, dropped or replaced; every change is audited."""

    __tablename__ = "skill_goal"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    participant_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    skill_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("skill.id"))
    target_level: so.Mapped[int]
    due_on: so.Mapped[date]
    set_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    closed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    participant = so.relationship("User", foreign_keys=[participant_id])
    skill: so.Mapped[Skill] = so.relationship()
    set_by = so.relationship("User", foreign_keys=[set_by_id])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
