"""fiscal: TSE devices and transactions, training mode, till service dates

Revision ID: 96ac1e2fa733
Revises: f71a96c526f8
Create Date: 2026-11-25 09:09:49.897791
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only

revision = "96ac1e2fa733"
down_revision = "f71a96c526f8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tse_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("backend", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.String(length=128), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("algorithm", sa.String(length=40), nullable=False),
        sa.Column("time_format", sa.String(length=16), nullable=False),
        sa.Column("certified", sa.Boolean(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("last_tx_number", sa.Integer(), nullable=False),
        sa.Column("last_signature_counter", sa.Integer(), nullable=False),
        sa.Column("in_service_on", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("out_of_service_on", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tse_device")),
        sa.UniqueConstraint("serial", name=op.f("uq_tse_device_serial")),
    )
    op.create_table(
        "fiscal_transaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("till_id", sa.Integer(), nullable=False),
        sa.Column("client_serial", sa.String(length=40), nullable=False),
        sa.Column("tx_id", sa.String(length=36), nullable=False),
        sa.Column("tx_number", sa.Integer(), nullable=True),
        sa.Column("process_type", sa.String(length=30), nullable=False),
        sa.Column("process_data", sa.Text(), nullable=False),
        sa.Column("receipt_type", sa.String(length=30), nullable=False),
        sa.Column("started_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signature_counter", sa.Integer(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("algorithm", sa.String(length=40), nullable=True),
        sa.Column("time_format", sa.String(length=16), nullable=True),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("tse_serial", sa.String(length=128), nullable=True),
        sa.Column("qr_code_data", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("sale_id", sa.Integer(), nullable=True),
        sa.Column("ref_type", sa.String(length=32), nullable=True),
        sa.Column("ref_id", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["tse_device.id"], name=op.f("fk_fiscal_transaction_device_id_tse_device")
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale.id"], name=op.f("fk_fiscal_transaction_sale_id_sale")
        ),
        sa.ForeignKeyConstraint(
            ["till_id"], ["till.id"], name=op.f("fk_fiscal_transaction_till_id_till")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_transaction")),
        sa.UniqueConstraint("tx_id", name=op.f("uq_fiscal_transaction_tx_id")),
    )
    with op.batch_alter_table("fiscal_transaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fiscal_transaction_recorded_at"), ["recorded_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fiscal_transaction_sale_id"), ["sale_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fiscal_transaction_till_id"), ["till_id"], unique=False)

    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tse_tx_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("tse_number", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("tse_started_at", store.core.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("tse_error", sa.String(length=500), nullable=True))

    # SQLite may rebuild the table for this; its append-only triggers are made again after.
    drop_append_only(op, "sale")
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("training", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    make_append_only(op, "sale")

    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("training", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("in_service_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("out_of_service_on", sa.Date(), nullable=True))

    make_append_only(op, "fiscal_transaction")


def downgrade():
    drop_append_only(op, "fiscal_transaction")
    with op.batch_alter_table("till", schema=None) as batch_op:
        batch_op.drop_column("out_of_service_on")
        batch_op.drop_column("in_service_on")
        batch_op.drop_column("training")

    drop_append_only(op, "sale")
    with op.batch_alter_table("sale", schema=None) as batch_op:
        batch_op.drop_column("training")
    make_append_only(op, "sale")

    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_column("tse_error")
        batch_op.drop_column("tse_started_at")
        batch_op.drop_column("tse_number")
        batch_op.drop_column("tse_tx_id")

    with op.batch_alter_table("fiscal_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fiscal_transaction_till_id"))
        batch_op.drop_index(batch_op.f("ix_fiscal_transaction_sale_id"))
        batch_op.drop_index(batch_op.f("ix_fiscal_transaction_recorded_at"))

    op.drop_table("fiscal_transaction")
    op.drop_table("tse_device")
