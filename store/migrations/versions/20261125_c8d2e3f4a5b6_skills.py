"""Skills: catalogue (seeded with the default), assessments and ratings (append-only), goals.

Revision ID: c8d2e3f4a5b6
Revises: b7c1d2e3f4a5
Create Date: 2026-11-25 10:07:00.914703
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only
from store.skills import defaults

revision = "c8d2e3f4a5b6"
down_revision = "b7c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "skill_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_group")),
        sa.UniqueConstraint("key", name=op.f("uq_skill_group_key")),
    )
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=True),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["user.id"], name=op.f("fk_assessment_assessor_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["user.id"], name=op.f("fk_assessment_participant_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "skill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("descriptors", sa.JSON(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["skill_group.id"], name=op.f("fk_skill_group_id_skill_group")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill")),
        sa.UniqueConstraint("name", name=op.f("uq_skill_name")),
    )
    with op.batch_alter_table("skill", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skill_group_id"), ["group_id"], unique=False)

    op.create_table(
        "assessment_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.CheckConstraint("level BETWEEN 1 AND 4", name=op.f("ck_assessment_rating_level_range")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_rating_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skill.id"], name=op.f("fk_assessment_rating_skill_id_skill")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_rating")),
        sa.UniqueConstraint(
            "assessment_id", "skill_id", name=op.f("uq_assessment_rating_assessment_id_skill_id")
        ),
    )
    with op.batch_alter_table("assessment_rating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_rating_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_rating_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "skill_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["user.id"], name=op.f("fk_skill_goal_closed_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["user.id"], name=op.f("fk_skill_goal_participant_id_user")
        ),
        sa.ForeignKeyConstraint(["set_by_id"], ["user.id"], name=op.f("fk_skill_goal_set_by_id_user")),
        sa.ForeignKeyConstraint(["skill_id"], ["skill.id"], name=op.f("fk_skill_goal_skill_id_skill")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_goal")),
    )
    with op.batch_alter_table("skill_goal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_skill_goal_participant_id"), ["participant_id"], unique=False
        )
    make_append_only(op, "assessment")
    make_append_only(op, "assessment_rating")
    _seed()


def _seed():
    """The default catalogue (store.skills.defaults); coordinators edit it afterwards."""
    groups = sa.table(
        "skill_group",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("sort", sa.Integer),
    )
    skills = sa.table(
        "skill",
        sa.column("group_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("descriptors", sa.JSON),
        sa.column("sort", sa.Integer),
        sa.column("is_active", sa.Boolean),
    )
    ids = {}
    for n, (key, name, sort) in enumerate(defaults.GROUPS, start=1):
        ids[key] = n
        op.bulk_insert(groups, [{"id": n, "key": key, "name": name, "sort": sort}])
    op.bulk_insert(
        skills,
        [
            {"group_id": ids[group], "name": name, "descriptors": texts, "sort": n, "is_active": True}
            for n, (group, name, texts) in enumerate(defaults.SKILLS, start=1)
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('skill_group_id_seq', (SELECT MAX(id) FROM skill_group))")


def downgrade():
    drop_append_only(op, "assessment_rating")
    drop_append_only(op, "assessment")
    with op.batch_alter_table("skill_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_goal_participant_id"))

    op.drop_table("skill_goal")
    with op.batch_alter_table("assessment_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_rating_skill_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_rating_assessment_id"))

    op.drop_table("assessment_rating")
    with op.batch_alter_table("skill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_group_id"))

    op.drop_table("skill")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_participant_id"))

    op.drop_table("assessment")
    op.drop_table("skill_group")
