"""users.locale holds catalogue names such as de@simple (plain German): 8 → 16 characters

Revision ID: a4c1e7d2b9f0
Revises: e15a0b1c2d3e
Create Date: 2026-12-03 00:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4c1e7d2b9f0"
down_revision = "e15a0b1c2d3e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch:
        batch.alter_column(
            "locale",
            existing_type=sa.String(length=8),
            type_=sa.String(length=16),
            existing_nullable=True,
        )


def downgrade():
    op.execute(sa.text("UPDATE \"user\" SET locale = 'de' WHERE locale = 'de@simple'"))
    with op.batch_alter_table("user") as batch:
        batch.alter_column(
            "locale",
            existing_type=sa.String(length=16),
            type_=sa.String(length=8),
            existing_nullable=True,
        )
