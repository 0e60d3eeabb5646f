"""Demo assessments: for each demo participant two or three assessments over the past weeks by a
supervisor, a self-assessment for some, and a goal or two. The catalogue comes from the migration."""

import random
from datetime import timedelta

import sqlalchemy as sa

from store.auth.models import User
from store.core.access import Role
from store.core.audit import Actor
from store.core.timeutil import local_today
from store.extensions import db
from store.skills import services
from store.skills.models import Assessment


def load_assessments(actor: Actor, seed: int = 11) -> bool:
    if db.session.scalar(sa.select(sa.func.count(Assessment.id))):
        return False
    skills = services.skills()
    trainees = list(
        db.session.scalars(sa.select(User).where(User.role == Role.TRAINEE).order_by(User.username))
    )
    supervisor = db.session.scalar(sa.select(User).where(User.role == Role.SUPERVISOR).order_by(User.id))
    coordinator = db.session.scalar(
        sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.id)
    )
    if not skills or not trainees or supervisor is None:
        return False
    boss = Actor(user=supervisor, source="web")
    keeper = Actor(user=coordinator, source="web") if coordinator else actor
    rng = random.Random(seed)
    today = local_today()
    for n, person in enumerate(trainees):
        levels = {s.id: rng.choice([1, 1, 2, 2, 3]) for s in skills}
        rounds = 2 + n % 2
        for r in range(rounds):
            day = today - timedelta(days=7 * (3 * (rounds - r) - 2) + n % 5)
            chosen = skills if r == 0 else rng.sample(skills, k=rng.randint(4, 8))
            ratings = []
            for skill in chosen:
                if r:
                    levels[skill.id] = min(4, levels[skill.id] + rng.choice([0, 1, 1]))
                ratings.append(services.RatingInput(skill.id, levels[skill.id]))
            services.record_assessment(boss, person, day, ratings)
        if n % 3 == 0:
            self_ratings = [
                services.RatingInput(s.id, min(4, levels[s.id] + rng.choice([0, 1])))
                for s in rng.sample(skills, k=6)
            ]
            services.record_assessment(
                Actor(user=person, source="web"),
                person,
                today - timedelta(days=n % 4),
                self_ratings,
                is_self=True,
            )
        if n % 2 == 0:
            low = sorted(skills, key=lambda s: levels[s.id])[: 1 + n % 3 // 2]
            for skill in low:
                services.set_goal(
                    keeper,
                    person,
                    skill_id=skill.id,
                    target_level=min(4, levels[skill.id] + 1),
                    due_on=today + timedelta(days=30 * (2 + n % 3)),
                )
    return True
