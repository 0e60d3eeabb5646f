"""What skills holds about a person: assessments with their levels and notes, goals, and the
evidence from the work (registered with store.core.personal_data for the Art. 15 export and the
retention run)."""

from datetime import datetime

import sqlalchemy as sa

from store.auth.models import User
from store.core.personal_data import Section, register, who
from store.core.timeutil import local_today
from store.extensions import db
from store.skills import services
from store.skills.models import Assessment, AssessmentRating, Goal


def assessments(user: User, now: datetime) -> list:
    return [
        {
            "id": a.id,
            "day": a.day,
            "self": a.is_self,
            "assessor": who(a.assessor, user.id),
            "created_at": a.created_at,
            "ratings": [
                {
                    "skill": r.skill.name,
                    "level": r.level,
                    "descriptor": r.skill.descriptor(r.level),
                    "note": r.note,
                }
                for r in a.ratings
            ],
        }
        for a in services.assessments_of(user.id)
    ]


def erase_rating_notes(user: User, actor, now: datetime) -> None:
    """The notes of the ratings; the levels stay (inside the retention run's erasure window,
    store.core.immutable)."""
    db.session.execute(
        sa.update(AssessmentRating)
        .where(
            AssessmentRating.assessment_id.in_(
                sa.select(Assessment.id).where(Assessment.participant_id == user.id)
            )
        )
        .values(note=None),
        execution_options={"synchronize_session": False},
    )


def goals(user: User, now: datetime) -> list:
    rows = db.session.scalars(
        sa.select(Goal).where(Goal.participant_id == user.id).order_by(Goal.created_at)
    )
    return [
        {
            "id": g.id,
            "skill": g.skill.name,
            "target_level": g.target_level,
            "due_on": g.due_on,
            "set_by": who(g.set_by, user.id),
            "created_at": g.created_at,
            "closed_at": g.closed_at,
        }
        for g in rows
    ]


def evidence(user: User, now: datetime) -> dict:
    """Figures from the work: hours by station, sales, voids, items taken in, till closings."""
    found = services.evidence(user.id, today=local_today(now))
    return {
        "minutes_by_station": [
            {"station": station, "minutes": minutes}
            for station, minutes in found.minutes_by_station.items()
        ],
        "sales": found.sales,
        "voids": found.voids,
        "items_taken_in": found.items_taken_in,
        "till_closings": found.closings,
        "till_closings_with_difference": found.closings_with_difference,
        "till_difference_cents": found.difference_cents,
    }


register(
    Section("assessments", assessments, erase_rating_notes, audit_type="assessment"),
    Section("goals", goals, audit_type="skill_goal"),
    Section("evidence", evidence),
)
