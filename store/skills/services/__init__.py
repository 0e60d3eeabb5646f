"""Skills: the catalogue, assessments (append-only), current levels and history, goals, and the
evidence figures computed from the bookings of the till, the goods intake and attendance.

Rules: supervisors and admins assess participants; a participant may only assess themselves (a
self-assessment); coordinators and admins edit the catalogue and the goals. There is no
"who supervises whom" record yet, so every supervisor may assess every participant.

- people: the participants, who may do what, and the own-records rule
- catalogue: skill groups, skills and their level descriptors
- assessments: recording an assessment; current levels and history per skill
- goals: setting and closing goals
- evidence: facts from the bookings (hours per station, sales, voids, intake, till closings)
- overview: the staff's list of every participant
"""

from store.skills.services.assessments import (
    NOTE_LENGTH,
    Point,
    RatingInput,
    SkillState,
    assessments_of,
    last_assessment_day,
    record_assessment,
    skill_states,
)
from store.skills.services.catalogue import get_skill, groups, save_skill, skills
from store.skills.services.evidence import NO_STATION, Evidence, evidence
from store.skills.services.goals import close_goal, get_goal, goals_of, open_goals, set_goal
from store.skills.services.overview import OverviewRow, overview
from store.skills.services.people import (
    ASSESSORS,
    KEEPERS,
    get_participant,
    may_see,
    visible_participant,
)

__all__ = [
    "ASSESSORS",
    "KEEPERS",
    "NOTE_LENGTH",
    "NO_STATION",
    "Evidence",
    "OverviewRow",
    "Point",
    "RatingInput",
    "SkillState",
    "assessments_of",
    "close_goal",
    "evidence",
    "get_goal",
    "get_participant",
    "get_skill",
    "goals_of",
    "groups",
    "last_assessment_day",
    "may_see",
    "open_goals",
    "overview",
    "record_assessment",
    "save_skill",
    "set_goal",
    "skill_states",
    "skills",
    "visible_participant",
]
