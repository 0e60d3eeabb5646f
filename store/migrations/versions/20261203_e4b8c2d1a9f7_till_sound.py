"""Till: a short tone on a good and a refused scan, switchable per till (on for every till).

Revision ID: e4b8c2d1a9f7
Revises: a4c1e7d2b9f0
Create Date: 2026-12-03 01:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e4b8c2d1a9f7"
down_revision = "a4c1e7d2b9f0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("till") as batch:
        batch.add_column(sa.Column("sound", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table("till") as batch:
        batch.drop_column("sound")
