"""Files kept in the database when STORAGE_URL=db:// (store.core.storage): item and offer photos that
several app servers share.

Revision ID: 5c0a1e7f3b2d
Revises: 8aa32b0896b1
Create Date: 2026-12-05 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from store.core.types import UTCDateTime

revision = "5c0a1e7f3b2d"
down_revision = "8aa32b0896b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_file",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_file")),
    )


def downgrade():
    op.drop_table("stored_file")
