"""A print agent's token belongs to one branch: its claims return only the jobs of that branch's
printers. The column is nullable: tokens made before (NULL) keep serving every branch.

Revision ID: b5d2f8a3c6e1
Revises: a4c9e1f27b3d
Create Date: 2026-12-03 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b5d2f8a3c6e1"
down_revision = "a4c9e1f27b3d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("branch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_api_token_branch_id_branch"), "branch", ["branch_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_token_branch_id_branch"), type_="foreignkey")
        batch_op.drop_column("branch_id")
