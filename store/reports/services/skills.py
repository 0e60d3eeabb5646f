"""Skills progress across the cohort: per skill, how many people rose at least one level in the
period (their latest assessment by a supervisor at the end against the one before the period)."""

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from store.branches.models import Branch, user_branch
from store.reports.services.period import Period
from store.reports.services.sql import read
from store.skills.models import Assessment, AssessmentRating, Skill

SKILLS_METHOD = _l(
    "Per skill: people whose latest rating by a supervisor up to the period's last day is higher than "
    "their latest rating before its first day (self-assessments do not count; a first rating is "
    "no rise)."
)


def people_of(column, branches: frozenset[int] | None):
    """People (a user id column) who work in one of `branches` (None: everyone; someone assigned to
    no branch works in the first)."""
    if branches is None:
        return sa.true()
    theirs = sa.select(user_branch.c.user_id).where(user_branch.c.branch_id.in_(sorted(branches)))
    assigned = sa.select(user_branch.c.user_id)
    first = sa.select(sa.func.min(Branch.id)).scalar_subquery()
    return sa.or_(column.in_(theirs), sa.and_(column.not_in(assigned), first.in_(sorted(branches))))


def skills_progress(period: Period, branches: frozenset[int] | None = None) -> dict:
    """Per skill, the people (of `branches`; None: all) who rose a level in the period."""
    rows = read(
        sa.select(
            Assessment.participant_id, AssessmentRating.skill_id, Assessment.day, AssessmentRating.level
        )
        .join(Assessment, Assessment.id == AssessmentRating.assessment_id)
        .where(
            Assessment.is_self.is_(False),
            Assessment.day <= period.last,
            people_of(Assessment.participant_id, branches),
        )
        .order_by(Assessment.day, Assessment.id, AssessmentRating.id)
    )
    before: dict[tuple[int, int], int] = {}
    latest: dict[tuple[int, int], int] = {}
    for person, skill, day, level in rows:
        if day < period.first:
            before[(person, skill)] = level
        latest[(person, skill)] = level
    rose: dict[int, set] = defaultdict(set)
    for (person, skill), level in latest.items():
        start = before.get((person, skill))
        if start is not None and level > start:
            rose[skill].add(person)
    names = dict(read(sa.select(Skill.id, Skill.name)).all())
    groups = [
        {"key": str(sid), "label": names.get(sid, str(sid)), "people_rose": len(rose.get(sid, ()))}
        for sid in sorted(rose, key=lambda s: names.get(s, ""))
    ]
    return {
        "people_rose": len({p for people in rose.values() for p in people}),
        "rises": sum(len(p) for p in rose.values()),
        "groups": groups,
    }
