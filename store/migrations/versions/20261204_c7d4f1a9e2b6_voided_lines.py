"""Till: lines taken off a receipt before payment and the lines of abandoned carts are kept
(append-only), so the DSFinV-K export shows them (DSFinV-K 2.4, 4.2.3; AVBelegabbruch with its
positions); a fiskaly transaction keeps the process data we sent when the TSE signed another.

Revision ID: c7d4f1a9e2b6
Revises: ba5aaafa4794
Create Date: 2026-12-04 09:00:00
"""

import sqlalchemy as sa
from alembic import op

from store.core.immutable import drop_append_only, make_append_only
from store.core.types import UTCDateTime

revision = "c7d4f1a9e2b6"
down_revision = "ba5aaafa4794"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "voided_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cart_uuid", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=13), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["till_session.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_voided_line_cart_uuid", "voided_line", ["cart_uuid"])
    op.create_index("ix_voided_line_session_id", "voided_line", ["session_id"])
    make_append_only(op, "voided_line")
    # A plain ADD COLUMN (no batch copy): the table keeps its append-only triggers.
    op.add_column("fiscal_transaction", sa.Column("sent_process_data", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("fiscal_transaction", "sent_process_data")  # SQLite ≥ 3.35 drops it in place
    drop_append_only(op, "voided_line")
    op.drop_index("ix_voided_line_session_id", table_name="voided_line")
    op.drop_index("ix_voided_line_cart_uuid", table_name="voided_line")
    op.drop_table("voided_line")
