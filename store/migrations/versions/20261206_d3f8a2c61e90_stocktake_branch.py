"""Stocktakes count a shelf of one branch: two branches may both have a shelf "A1", and a count in
one must not find the other's items missing. Existing stocktakes are the first branch's (the single
shop's, as everything before branches).

Revision ID: d3f8a2c61e90
Revises: b7a1c4e9d2f3
Create Date: 2026-12-03 11:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d3f8a2c61e90"
down_revision = "b7a1c4e9d2f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stocktake", schema=None) as batch_op:
        batch_op.add_column(sa.Column("branch_id", sa.Integer(), nullable=True))
    conn = op.get_bind()
    first = conn.execute(sa.text("SELECT min(id) FROM branch")).scalar()
    conn.execute(sa.text("UPDATE stocktake SET branch_id = :b"), {"b": first})
    with op.batch_alter_table("stocktake", schema=None) as batch_op:
        batch_op.alter_column("branch_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_stocktake_branch_id"), ["branch_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_stocktake_branch_id_branch"), "branch", ["branch_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("stocktake", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_stocktake_branch_id_branch"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_stocktake_branch_id"))
        batch_op.drop_column("branch_id")
