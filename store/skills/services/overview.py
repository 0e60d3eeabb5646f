"""The staff's overview of every participant: skills rated, average level, last assessment, open
goals."""

from dataclasses import dataclass
from datetime import date

from store.auth.models import User
from store.shifts import services as shifts
from store.skills.services.assessments import last_assessment_day, skill_states


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
