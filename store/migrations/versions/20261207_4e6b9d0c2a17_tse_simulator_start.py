"""The TSE simulator keeps the starts it signed, so its TAR export holds StartTransaction log messages
too (TR-03153). Starts signed before this release were not kept: their counters stay missing from the
simulator's export (the simulator is for demo and tests only).

Revision ID: 4e6b9d0c2a17
Revises: d3f8a2c61e90
Create Date: 2026-12-03 13:50:00
"""

import sqlalchemy as sa
from alembic import op

import store.core.types

revision = "4e6b9d0c2a17"
down_revision = "d3f8a2c61e90"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tse_simulator_start",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("signature_counter", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tx_number", sa.Integer(), nullable=False),
        sa.Column("client_serial", sa.String(length=40), nullable=False),
        sa.Column("started_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["tse_device.id"], name=op.f("fk_tse_simulator_start_device_id_tse_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "signature_counter", name=op.f("pk_tse_simulator_start")),
    )


def downgrade():
    op.drop_table("tse_simulator_start")
