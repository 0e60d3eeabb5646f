"""Assessments are dated records that are never overwritten; the latest is the current level;
validation refuses and saves nothing; roles are enforced."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from store.core.audit import Actor
from store.core.errors import PermissionDeniedError, ValidationError
from store.core.timeutil import local_today
from store.extensions import db
from store.skills import defaults, services
from store.skills.models import Assessment, AssessmentRating
from tests.skills.conftest import rate

pytestmark = pytest.mark.clock  # "today" and the days around it: one fixed day


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_default_catalogue_is_seeded(team):
    names = [s.name for s in services.skills()]
    assert names == [name for _group, name, _texts in defaults.SKILLS]
    assert len(names) == 13
    groups = services.groups()
    assert [g.key for g in groups] == ["work", "key"]
    assert all(len(s.descriptors) == 4 and all(s.descriptors) for s in services.skills())


def test_a_second_assessment_adds_rows_and_leaves_the_first_unchanged(team):
    today = local_today()
    first = services.record_assessment(
        team.sup,
        team.olena,
        today - timedelta(days=14),
        rate(team, ("Kasse bedienen", 1), ("Teamarbeit", 2)),
    )
    db.session.commit()
    first_rows = [(r.id, r.skill_id, r.level) for r in first.ratings]
    second = services.record_assessment(team.sup, team.olena, today, rate(team, ("Kasse bedienen", 3)))
    db.session.commit()
    assert second.id != first.id
    assert count(Assessment) == 2 and count(AssessmentRating) == 3
    db.session.expire_all()
    again = db.session.get(Assessment, first.id)
    assert [(r.id, r.skill_id, r.level) for r in again.ratings] == first_rows
    states = {s.skill.name: s for s in services.skill_states(team.olena.id)}
    assert states["Kasse bedienen"].level == 3
    assert [p.level for p in states["Kasse bedienen"].history] == [1, 3]
    assert states["Kasse bedienen"].words == team.skills["Kasse bedienen"].descriptors[2]
    assert states["Teamarbeit"].level == 2  # not rated again: keeps its level
    assert states["Pünktlichkeit"].level is None


@pytest.mark.parametrize("table", ["assessment", "assessment_rating"])
def test_the_database_refuses_update_and_delete(team, table):
    services.record_assessment(team.sup, team.olena, local_today(), rate(team, ("Kasse bedienen", 2)))
    db.session.commit()
    column = "day = day" if table == "assessment" else "level = 4"
    for statement in (f"UPDATE {table} SET {column}", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError):
            db.session.execute(sa.text(statement))
            db.session.flush()
        db.session.rollback()
    assert db.session.scalar(sa.select(AssessmentRating.level)) == 2


def test_self_assessment_is_shown_beside_and_does_not_change_the_level(team):
    services.record_assessment(team.sup, team.olena, local_today(), rate(team, ("Teamarbeit", 2)))
    services.record_assessment(
        Actor(user=team.olena), team.olena, local_today(), rate(team, ("Teamarbeit", 4)), is_self=True
    )
    db.session.commit()
    state = next(s for s in services.skill_states(team.olena.id) if s.skill.name == "Teamarbeit")
    assert state.level == 2 and state.self_rating.level == 4
    assert [p.level for p in state.history] == [2]


@pytest.mark.parametrize(
    "later, ratings, field",
    [
        (0, [("Kasse bedienen", 5)], "ratings"),
        (0, [("Teamarbeit", 2), ("Kasse bedienen", 0)], "ratings"),
        (0, [], "ratings"),
        (1, [("Kasse bedienen", 2)], "date"),
    ],
)
def test_invalid_assessments_save_nothing(team, later, ratings, field):
    when = local_today() + timedelta(days=later)
    with pytest.raises(ValidationError) as error:
        services.record_assessment(team.sup, team.olena, when, rate(team, *ratings))
    db.session.rollback()
    assert error.value.field == field
    assert count(Assessment) == 0 and count(AssessmentRating) == 0


def test_unknown_skill_is_refused(team):
    with pytest.raises(ValidationError):
        services.record_assessment(team.sup, team.olena, local_today(), [services.RatingInput(99999, 2)])
    db.session.rollback()
    assert count(Assessment) == 0


def test_who_may_assess(team):
    kasse = rate(team, ("Kasse bedienen", 2))
    with pytest.raises(PermissionDeniedError):  # a trainee cannot assess another
        services.record_assessment(Actor(user=team.olena), team.ahmad, local_today(), kasse)
    with pytest.raises(PermissionDeniedError):  # nor give themselves a supervisor rating
        services.record_assessment(Actor(user=team.olena), team.olena, local_today(), kasse)
    with pytest.raises(PermissionDeniedError):  # self-assessment only of oneself
        services.record_assessment(
            Actor(user=team.olena), team.ahmad, local_today(), kasse, is_self=True
        )
    with pytest.raises(PermissionDeniedError):  # coordinators set goals, they do not assess
        services.record_assessment(team.coord, team.olena, local_today(), kasse)
    with pytest.raises(ValidationError):  # staff are not assessed
        services.record_assessment(team.sup, team.supervisor, local_today(), kasse)
    db.session.rollback()
    assert count(Assessment) == 0
    services.record_assessment(Actor(user=team.admin), team.olena, local_today(), kasse)
    db.session.commit()
    assert count(Assessment) == 1


def test_goals_replace_an_open_goal_of_the_same_skill(team):
    kasse = team.skills["Kasse bedienen"].id
    due = local_today() + timedelta(days=30)
    first = services.set_goal(team.coord, team.olena, skill_id=kasse, target_level=2, due_on=due)
    db.session.commit()
    second = services.set_goal(team.coord, team.olena, skill_id=kasse, target_level=3, due_on=due)
    db.session.commit()
    assert not first.is_open and second.is_open
    assert services.open_goals(team.olena.id) == [second]
    with pytest.raises(PermissionDeniedError):
        services.set_goal(team.sup, team.olena, skill_id=kasse, target_level=3, due_on=due)
    with pytest.raises(ValidationError):
        services.set_goal(team.coord, team.olena, skill_id=kasse, target_level=5, due_on=due)
    with pytest.raises(ValidationError):
        services.set_goal(
            team.coord, team.olena, skill_id=kasse, target_level=3, due_on=date(2000, 1, 1)
        )
