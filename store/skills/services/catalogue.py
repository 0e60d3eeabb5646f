"""The skill catalogue: groups, skills and the descriptor of each of the four levels (coordinators
and admins edit it)."""

import sqlalchemy as sa
from flask_babel import gettext as _

from store.core.audit import Actor, audit
from store.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from store.extensions import db
from store.skills.models import LEVELS, Skill, SkillGroup
from store.skills.services.people import KEEPERS


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
