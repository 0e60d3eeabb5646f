"""Deposits on reservations (fiscal receipts at the till) and deliveries of sales (issue 18).

The receipt's lines get their DSFinV-K business case (every existing line is a sale: "Umsatz") and
a reference to the receipt that took a deposit; a reservation records the receipts that took and
settled its deposit; deliveries share the vans' days (route_stop) with pick-ups. Existing rows keep
their data: the new columns are nullable or default to what every existing row was.

Revision ID: 8aa32b0896b1
Revises: c7d4f1a9e2b6
Create Date: 2026-12-03 06:47:59
"""

import sqlalchemy as sa
from alembic import op

import store.core.types
from store.core.immutable import drop_append_only, make_append_only

revision = "8aa32b0896b1"
down_revision = "c7d4f1a9e2b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", store.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("receipt_number", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("volume_l", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned", "delivered", "cancelled", name="deliverystatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("floor", sa.Integer(), nullable=True),
        sa.Column("has_lift", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("erased_at", store.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_delivery_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(["sale_id"], ["sale.id"], name=op.f("fk_delivery_sale_id_sale")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_delivery_sale_id")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_done_on"), ["done_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_postcode"), ["postcode"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_status"), ["status"], unique=False)

    with op.batch_alter_table("cart_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reservation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("service", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cart_line_reservation_id_reservation"),
            "reservation",
            ["reservation_id"],
            ["id"],
        )

    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deposit_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("deposit_settled_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("deposit_outcome", sa.String(length=16), nullable=True))

    with op.batch_alter_table("route_stop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivery_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_route_stop_delivery_id"), ["delivery_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_route_stop_delivery_id_delivery"), "delivery", ["delivery_id"], ["id"]
        )

    # sale_line is append-only: its triggers stand aside while SQLite copies the table to add the
    # foreign key (no row changes: every existing line is a sale, "Umsatz", the server default).
    drop_append_only(op, "sale_line")
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("business_case", sa.String(length=30), server_default="Umsatz", nullable=False)
        )
        batch_op.add_column(sa.Column("ref_sale_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("service", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sale_line_ref_sale_id_sale"), "sale", ["ref_sale_id"], ["id"]
        )
    make_append_only(op, "sale_line")


def downgrade():
    drop_append_only(op, "sale_line")
    with op.batch_alter_table("sale_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_sale_line_ref_sale_id_sale"), type_="foreignkey")
        batch_op.drop_column("service")
        batch_op.drop_column("ref_sale_id")
        batch_op.drop_column("business_case")
    make_append_only(op, "sale_line")

    with op.batch_alter_table("route_stop", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_route_stop_delivery_id_delivery"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_route_stop_delivery_id"), type_="unique")
        batch_op.drop_column("delivery_id")

    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_column("deposit_outcome")
        batch_op.drop_column("deposit_settled_ref")
        batch_op.drop_column("deposit_ref")

    with op.batch_alter_table("cart_line", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cart_line_reservation_id_reservation"), type_="foreignkey"
        )
        batch_op.drop_column("service")
        batch_op.drop_column("reservation_id")

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_delivery_postcode"))
        batch_op.drop_index(batch_op.f("ix_delivery_done_on"))
        batch_op.drop_index(batch_op.f("ix_delivery_day"))
    op.drop_table("delivery")
